"""Days and windows of metrics.md's common definitions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

ACTIVITY_WEEKS = 13  # the activity window: 13 complete ISO weeks
JOB_YEAR_DAYS = 365  # the job year [A − 364, A]
ONE_WEEK = timedelta(weeks=1)


@lru_cache(maxsize=4096)  # the rules ask for the same few spans hundreds of thousands of times a sweep
def days(n: int) -> timedelta:
    """``n`` days, for readable date arithmetic."""
    return timedelta(days=n)


@dataclass(frozen=True, slots=True)
class Window:
    """A closed range of calendar days ``[start, end]``."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def mondays(self) -> tuple[date, ...]:
        """The Mondays of the complete ISO weeks inside the window."""
        first = self.start + days((7 - self.start.weekday()) % 7)
        return tuple(first + timedelta(weeks=k) for k in range((self.end - first).days // 7 + 1))

    def as_json(self) -> dict[str, str]:
        """``{"start", "end"}`` as ISO dates."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def activity_window(as_of: date) -> Window:
    """The 13 complete ISO weeks ending on the latest Sunday on or before ``as_of``."""
    sunday = as_of - days((as_of.weekday() + 1) % 7)
    return Window(sunday - days(7 * ACTIVITY_WEEKS - 1), sunday)


def job_year(as_of: date) -> Window:
    """``[A − 364, A]``."""
    return Window(as_of - days(JOB_YEAR_DAYS - 1), as_of)


FOLLOW_UP_DAYS = 365  # the employment outcome's window W = [entry, entry + 364]


def twelve_months(entry: date) -> Window:
    """The 12 months after entry, ``[entry, entry + 364]`` (the employment outcome's W)."""
    return Window(entry, entry + days(FOLLOW_UP_DAYS - 1))


# V12 follow-along evidence: jobs started in [A − 364, A − 28] (a first month behind them), jobs
# ended in [A − 364, A − 3] (three days after the end to make contact).
V12_FIRST_MONTH_DAYS = 28
V12_AFTER_END_DAYS = 3
V2_ENTERED_DAYS = 60  # V2 asks about disclosure talks of clients in the programme this long
V3_ENTERED_DAYS = 30  # V3 asks for a started career profile of clients in the programme this long


def v12_started(as_of: date) -> Window:
    """The start dates of the jobs V12's start and first-year rules look at."""
    return Window(job_year(as_of).start, as_of - days(V12_FIRST_MONTH_DAYS))


def v12_ended(as_of: date) -> Window:
    """The end dates of the jobs V12's job-loss rule looks at."""
    return Window(job_year(as_of).start, as_of - days(V12_AFTER_END_DAYS))


def held_through_first_month(start: date) -> date:
    """The day a job must still be held on to count for V12's weekly first month."""
    return start + days(V12_FIRST_MONTH_DAYS - 1)


def monday_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - days(day.weekday())


def week_end(monday: date) -> date:
    """The Sunday that closes the ISO week starting on ``monday``."""
    return monday + days(6)


def recent_mondays(monday: date, weeks: int) -> list[date]:
    """``weeks`` Mondays ending with ``monday``, newest first."""
    return [monday - timedelta(weeks=k) for k in range(weeks)]


def counts_by_week(dates: Iterable[date], mondays: Iterable[date]) -> dict[date, int]:
    """How many of ``dates`` fall in each ISO week starting on one of ``mondays``."""
    counts = dict.fromkeys(mondays, 0)
    for day in dates:
        key = monday_of(day)
        if key in counts:
            counts[key] += 1
    return counts
