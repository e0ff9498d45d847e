"""The 12-month employment outcome (the trial's primary outcome): per client and summarised."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from caseload.csvcells import neutralise
from caseload.metrics.numbers import mean, median, percent, to_float, to_json
from caseload.metrics.periods import twelve_months
from caseload.rows import ClientRow, JobRow, ProgramData

CSV_HEADER = (
    "client_ref",
    "trial_arm",
    "entry_date",
    "window_end",
    "window_complete",
    "days_employed",
    "weeks_employed",
    "hours_worked",
    "days_to_first_job",
)


@dataclass(frozen=True, slots=True)
class EmploymentOutcome:
    """One client's competitive employment in the 12 months after entry, as of a date."""

    client_ref: str
    trial_arm: str | None
    entry_date: date
    window_end: date
    window_complete: bool
    days_employed: int
    weeks_employed: int
    hours_worked: Fraction
    days_to_first_job: int | None

    @property
    def any_competitive_employment(self) -> bool:
        """At least one day of competitive employment in the window."""
        return self.days_employed > 0

    def as_json(self) -> dict:
        """One row of ``clients`` in ``outcomes employment --json``."""
        return {
            "client_ref": self.client_ref,
            "entry_date": self.entry_date.isoformat(),
            "window_end": self.window_end.isoformat(),
            "window_complete": self.window_complete,
            "any_competitive_employment": self.any_competitive_employment,
            "days_employed": self.days_employed,
            "weeks_employed": self.weeks_employed,
            "hours_worked": to_float(self.hours_worked),
            "days_to_first_job": self.days_to_first_job,
        }


class HoursChange(Protocol):
    @property
    def effective_from(self) -> date: ...
    @property
    def hours_per_week(self) -> Decimal: ...


class HasHours(Protocol):
    """A job's hours: a row of the numbers or the record on the clinician's page."""

    @property
    def hours_per_week(self) -> Decimal: ...
    @property
    def hours_changes(self) -> Sequence[HoursChange]: ...


def hours_in_force(job: HasHours, day: date) -> Decimal:
    """Contracted weekly hours of ``job`` on ``day``: the start value, replaced by later changes."""
    hours = job.hours_per_week
    for change in job.hours_changes:
        if change.effective_from <= day:
            hours = change.hours_per_week
    return hours


def _episode(job: JobRow, start: date, end: date) -> tuple[date, date] | None:
    """The days of ``job`` inside ``[start, end]``, or None when there are none."""
    first = max(job.start_date, start)
    last = end if job.end_date is None else min(job.end_date, end)
    return (first, last) if first <= last else None


def _merge(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _iso_weeks(spans: list[tuple[date, date]]) -> int:
    """Distinct ISO weeks touched by sorted, disjoint ``spans`` (week n = days 7n + 1 … 7n + 7 of
    the proleptic calendar: day 1, 1 January of year 1, is a Monday)."""
    count, previous = 0, None
    for first, last in spans:
        week, last_week = (first.toordinal() - 1) // 7, (last.toordinal() - 1) // 7
        if week == previous:  # the span begins in the week the previous one ended in
            week += 1
        count += max(0, last_week - week + 1)
        previous = last_week
    return count


def _hour_days(job: JobRow, first: date, last: date) -> Decimal:
    """Σ over the days of ``[first, last]`` of the weekly hours in force that day (exact)."""
    bounds = [first] + [c.effective_from for c in job.hours_changes if first < c.effective_from <= last]
    bounds.append(last + timedelta(days=1))
    return sum(
        (hours_in_force(job, a) * (b - a).days for a, b in zip(bounds, bounds[1:], strict=False)), Decimal(0)
    )


def employment_outcome(client: ClientRow, jobs: list[JobRow], as_of: date) -> EmploymentOutcome:
    """The employment outcome of ``client`` as of ``as_of``; only competitive jobs count."""
    window = twelve_months(client.entry_date)
    window_end = min(window.end, as_of)
    competitive = [j for j in jobs if j.competitive and j.client_ref == client.ref]
    episodes = [(j, e) for j in competitive if (e := _episode(j, client.entry_date, window_end))]
    merged = _merge([e for _, e in episodes])
    hours = Fraction(sum((_hour_days(j, *e) for j, e in episodes), Decimal(0))) / 7
    starts = [j.start_date for j in competitive if client.entry_date <= j.start_date <= as_of]
    first = min(starts, default=None)
    return EmploymentOutcome(
        client_ref=client.ref,
        trial_arm=client.trial_arm,
        entry_date=client.entry_date,
        window_end=window_end,
        window_complete=as_of >= window.end,
        days_employed=sum((last - first_day).days + 1 for first_day, last in merged),
        weeks_employed=_iso_weeks(merged),
        hours_worked=hours,
        days_to_first_job=None if first is None else (first - client.entry_date).days,
    )


def employment_outcomes(data: ProgramData, as_of: date) -> list[EmploymentOutcome]:
    """The outcome of every client with entry_date ≤ as_of, closed ones included, by ref."""
    jobs_of: dict[str, list[JobRow]] = {}
    for job in data.jobs:
        jobs_of.setdefault(job.client_ref, []).append(job)
    clients = sorted((c for c in data.clients if c.entry_date <= as_of), key=lambda c: c.ref)
    return [employment_outcome(c, jobs_of.get(c.ref, []), as_of) for c in clients]


def summarise(listed: list[EmploymentOutcome]) -> dict:
    """Over the listed clients whose 12-month window is complete (``n``; ``n_incomplete`` left out):
    % with any competitive employment, mean and median days, weeks and hours (JSON values)."""
    outcomes = [o for o in listed if o.window_complete]
    days = [o.days_employed for o in outcomes]
    hours = [o.hours_worked for o in outcomes]
    employed = sum(1 for o in outcomes if o.any_competitive_employment)
    return {
        "n": len(outcomes),
        "n_incomplete": len(listed) - len(outcomes),
        "any_employment_pct": to_float(percent(employed, len(outcomes))),
        "mean_days": to_float(mean(days)),
        "median_days": to_json(median(days)),
        "mean_weeks": to_float(mean([o.weeks_employed for o in outcomes])),
        "mean_hours": to_float(mean(hours)),
        "median_hours": to_float(median(hours)),
    }


def summary_by_arm(outcomes: list[EmploymentOutcome]) -> dict[str, dict]:
    """The summary per trial arm, arms sorted; ``{}`` when no client has an arm."""
    arms = sorted({o.trial_arm for o in outcomes if o.trial_arm})
    return {arm: summarise([o for o in outcomes if o.trial_arm == arm]) for arm in arms}


def employment_json(data: ProgramData, as_of: date) -> dict:
    """The dict of ``outcomes employment --json`` (cli.md)."""
    outcomes = employment_outcomes(data, as_of)
    return {
        "program": data.program_ref,
        "as_of": as_of.isoformat(),
        "clients": [o.as_json() for o in outcomes],
        "summary": {"all": summarise(outcomes), "by_arm": summary_by_arm(outcomes)},
    }


def employment_csv(outcomes: list[EmploymentOutcome]) -> str:
    """The statisticians' extract: one row per client, hours to 6 decimals, ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for o in outcomes:
        writer.writerow(
            [
                neutralise(o.client_ref),
                neutralise(o.trial_arm or ""),
                o.entry_date.isoformat(),
                o.window_end.isoformat(),
                "true" if o.window_complete else "false",
                o.days_employed,
                o.weeks_employed,
                f"{float(o.hours_worked):.6f}",
                "" if o.days_to_first_job is None else o.days_to_first_job,
            ]
        )
    return buffer.getvalue()
