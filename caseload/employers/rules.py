"""Pure rules of the job development log: ISO weeks, the weekly target, organisation numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

WEEKLY_TARGET = 6  # face-to-face employer contacts per specialist and week (IPS fidelity V6)
FACE_TO_FACE = "face_to_face"
_ORG_NUMBER = re.compile(r"[0-9]{9}", re.ASCII)


def monday_of(day: date) -> date:
    """The Monday of the ISO week that holds ``day``."""
    return day - timedelta(days=day.weekday())


def week_end(monday: date) -> date:
    """The Sunday that closes the ISO week starting on ``monday``."""
    return monday + timedelta(days=6)


def recent_mondays(monday: date, weeks: int) -> list[date]:
    """``weeks`` Mondays ending with ``monday``, newest first."""
    return [monday - timedelta(weeks=k) for k in range(weeks)]


def counts_by_week(days: Iterable[date], mondays: Iterable[date]) -> dict[date, int]:
    """How many of ``days`` fall in each ISO week starting on one of ``mondays``."""
    counts = dict.fromkeys(mondays, 0)
    for day in days:
        key = monday_of(day)
        if key in counts:
            counts[key] += 1
    return counts


def normalise_org_number(value: str | None) -> str | None:
    """Drop spaces from an organisation number ("923 609 016" -> "923609016"); empty -> None."""
    if value is None:
        return None
    cleaned = "".join(value.split())
    return cleaned or None


def valid_org_number(value: str) -> bool:
    """A Norwegian organisation number has exactly nine ASCII digits."""
    return _ORG_NUMBER.fullmatch(value) is not None
