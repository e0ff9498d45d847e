"""The sweep date t is the date where the programme is, across both daylight-saving changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from caseload.prompts.clock import parse_now, sweep_date
from caseload.prompts.rules import derive_prompts
from tests.prompts.rule_cases import base


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "t"),
    [
        # 30 March 2025: Oslo goes from UTC+1 to UTC+2 at 01:00 UTC
        (utc(2025, 3, 29, 22, 59), date(2025, 3, 29)),
        (utc(2025, 3, 29, 23, 0), date(2025, 3, 30)),
        (utc(2025, 3, 30, 0, 59), date(2025, 3, 30)),
        (utc(2025, 3, 30, 1, 0), date(2025, 3, 30)),
        (utc(2025, 3, 30, 21, 59), date(2025, 3, 30)),
        (utc(2025, 3, 30, 22, 0), date(2025, 3, 31)),
        # 26 October 2025: back from UTC+2 to UTC+1 at 01:00 UTC
        (utc(2025, 10, 25, 21, 59), date(2025, 10, 25)),
        (utc(2025, 10, 25, 22, 0), date(2025, 10, 26)),
        (utc(2025, 10, 26, 0, 30), date(2025, 10, 26)),
        (utc(2025, 10, 26, 1, 30), date(2025, 10, 26)),
        (utc(2025, 10, 26, 22, 59), date(2025, 10, 26)),
        (utc(2025, 10, 26, 23, 0), date(2025, 10, 27)),
    ],
)
def test_sweep_date_is_the_oslo_calendar_date(now: datetime, t: date):
    assert sweep_date(now) == t


def test_naive_now_is_utc_and_offsets_are_honoured():
    assert sweep_date(datetime(2025, 3, 29, 23, 30)) == date(2025, 3, 30)
    assert parse_now("2025-03-12T10:00:00") == utc(2025, 3, 12, 10)
    assert parse_now("2025-03-12T00:30:00+01:00") == utc(2025, 3, 11, 23, 30)
    plus_ten = datetime(2025, 10, 26, 7, 59, tzinfo=timezone(timedelta(hours=10)))
    assert sweep_date(plus_ten) == date(2025, 10, 25)


def test_other_time_zones_are_supported():
    assert sweep_date(utc(2025, 3, 30, 3, 0), "America/New_York") == date(2025, 3, 29)


@pytest.mark.parametrize("change", [date(2025, 3, 30), date(2025, 10, 26)])
def test_due_dates_never_shift_when_sweeping_every_15_minutes_across_a_change(change: date):
    data = base()
    data.clients = [replace(data.clients[0], entry_date=change - timedelta(days=2))]
    now = datetime.combine(change - timedelta(days=3), time(), UTC)
    end = now + timedelta(days=6)
    seen: dict[date, set[tuple[str, date]]] = {}
    previous = sweep_date(now)
    while now < end:
        t = sweep_date(now)
        assert t - previous in (timedelta(0), timedelta(days=1))
        previous = t
        keys = {(i.rule, i.due_on) for i in derive_prompts(data, t)}
        assert seen.setdefault(t, keys) == keys
        now += timedelta(minutes=15)
    firsts = {due for keys in seen.values() for rule, due in keys if rule == "first_contact"}
    assert firsts == {change + timedelta(days=1)}
