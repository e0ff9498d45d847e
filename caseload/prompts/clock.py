"""The sweep date: the calendar date of an instant where the programme is."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/Oslo"


def as_utc(now: datetime) -> datetime:
    """An aware UTC instant; a naive ``now`` is taken to be UTC already (timestamps are UTC)."""
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def sweep_date(now: datetime, tz: str = DEFAULT_TZ) -> date:
    """The calendar date t of the instant ``now`` in the time zone ``tz``."""
    return as_utc(now).astimezone(ZoneInfo(tz)).date()


def parse_now(text: str) -> datetime:
    """Parse ``--now`` (an ISO date-time, offset optional and UTC when absent) as aware UTC."""
    return as_utc(datetime.fromisoformat(text))
