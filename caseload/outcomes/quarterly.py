"""Quarterly outcomes of a programme (metrics.md: IPS Learning Community and IPS Grow)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from caseload.csvcells import extract_cell
from caseload.metrics.numbers import percent, to_float
from caseload.rows import ClientRow, JobRow, ProgramData

OUT_OF_WORK = frozenset({"unemployed", "inactive", "student"})
IN_WORK = frozenset({"employed", "sick_leave"})
# Quarterly employment rate benchmarks (US Learning Community): shown beside the rate.
RATE_BENCHMARKS = (("minimal", 31), ("average", 41), ("excellent", 50))
OUT_OF_WORK_BENCHMARK = 40  # IPS Grow, since 2024
IN_WORK_AT_ENTRY_MAX = 15  # IPS Grow: keep at or below
COUNT_KEYS = (
    "clients_served",
    "clients_working",
    "out_of_work_served",
    "out_of_work_working",
    "job_starts",
    "first_job_starts",
    "new_clients",
    "referrals_received",
    "referrals_accepted",
    "closures",
)
RATE_KEYS = ("employment_rate", "out_of_work_employment_rate", "in_work_at_entry_pct")
KEYS = (
    "clients_served",
    "clients_working",
    "employment_rate",
    "out_of_work_served",
    "out_of_work_working",
    "out_of_work_employment_rate",
    "job_starts",
    "first_job_starts",
    "new_clients",
    "in_work_at_entry_pct",
    "referrals_received",
    "referrals_accepted",
    "closures",
)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``2026Q3``; ValueError with a clear message otherwise."""
        match = _QUARTER.match(text.strip().upper())
        if not match:
            raise ValueError(f"not a quarter: {text!r} (expected e.g. 2026Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The calendar quarter that contains ``day``."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The preceding quarter."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def last_quarters(quarter: Quarter, count: int = 8) -> list[Quarter]:
    """The ``count`` quarters ending with ``quarter``, oldest first."""
    quarters = [quarter]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


@dataclass(frozen=True, slots=True)
class QuarterlyOutcome:
    """The quarterly table for one programme, with the refs behind every count when computed from rows."""

    program: str
    quarter: Quarter
    refs: dict[str, tuple[str, ...]]  # count key -> client refs (referral refs for referrals_*), or {}
    counts: dict[str, int]
    rates: dict[str, Fraction | None]

    def as_json(self) -> dict:
        """The dict of ``outcomes quarterly --json`` (cli.md)."""
        out: dict = {
            "program": self.program,
            "quarter": str(self.quarter),
            "start": self.quarter.start.isoformat(),
            "end": self.quarter.end.isoformat(),
        }
        for key in KEYS:
            out[key] = self.counts[key] if key in self.counts else to_float(self.rates[key])
        return out


def _overlaps(job: JobRow, start: date, end: date) -> bool:
    return job.start_date <= end and (job.end_date is None or job.end_date >= start)


def _first_obtained_start(client: ClientRow, jobs: list[JobRow]) -> date | None:
    starts = [j.start_date for j in jobs if j.competitive and j.start_date >= client.entry_date]
    return min(starts, default=None)


def _client_sets(data: ProgramData, qs: date, qe: date) -> dict[str, list[str]]:
    jobs_of: dict[str, list[JobRow]] = {}
    for job in data.jobs:
        jobs_of.setdefault(job.client_ref, []).append(job)
    sets: dict[str, list[str]] = {key: [] for key in COUNT_KEYS}
    for c in sorted(data.clients, key=lambda c: c.ref):
        jobs = jobs_of.get(c.ref, [])
        served = c.entry_date <= qe and (c.closed_on is None or c.closed_on > qs)
        working = served and any(j.competitive and _overlaps(j, qs, qe) for j in jobs)
        out_of_work = c.status_at_entry in OUT_OF_WORK
        first = _first_obtained_start(c, jobs)
        flags = {
            "clients_served": served,
            "clients_working": working,
            "out_of_work_served": served and out_of_work,
            "out_of_work_working": working and out_of_work,
            "first_job_starts": first is not None and qs <= first <= qe,
            "new_clients": qs <= c.entry_date <= qe,
            "closures": c.closed_on is not None and qs <= c.closed_on <= qe,
        }
        for key, flag in flags.items():
            if flag:
                sets[key].append(c.ref)
        starts = [j for j in jobs if j.competitive and qs <= j.start_date <= qe]
        sets["job_starts"] += [c.ref for j in starts if j.start_date >= c.entry_date]
    return sets


def quarterly_outcome(data: ProgramData, quarter: Quarter) -> QuarterlyOutcome:
    """Compute the quarterly outcomes of metrics.md for ``quarter`` from plain rows."""
    qs, qe = quarter.start, quarter.end
    sets = _client_sets(data, qs, qe)
    received = sorted((r for r in data.referrals if qs <= r.received_on <= qe), key=lambda r: r.ref)
    sets["referrals_received"] = [r.ref for r in received]
    sets["referrals_accepted"] = [r.ref for r in received if r.decision == "accepted"]
    in_work = {c.ref for c in data.clients if c.status_at_entry in IN_WORK}
    new_in_work = sum(1 for ref in sets["new_clients"] if ref in in_work)
    # job_starts counts jobs, so a client may stand behind two; the links list each client once.
    refs = {key: tuple(dict.fromkeys(values)) for key, values in sets.items()}
    counts = {key: len(values) for key, values in sets.items()}
    rates = {
        "employment_rate": percent(counts["clients_working"], counts["clients_served"]),
        "out_of_work_employment_rate": percent(counts["out_of_work_working"], counts["out_of_work_served"]),
        "in_work_at_entry_pct": percent(new_in_work, counts["new_clients"]),
    }
    return QuarterlyOutcome(data.program_ref, quarter, refs, counts, rates)


def quarterly_series(data: ProgramData, quarter: Quarter, count: int = 8) -> list[QuarterlyOutcome]:
    """The outcomes of the ``count`` quarters ending with ``quarter``, oldest first (for charts)."""
    return [quarterly_outcome(data, q) for q in last_quarters(quarter, count)]


def benchmark_reached(rate: Fraction | None) -> str | None:
    """The highest rate benchmark (minimal/average/excellent) that ``rate`` reaches, else None."""
    reached = None
    for name, threshold in RATE_BENCHMARKS:
        if rate is not None and rate >= threshold:
            reached = name
    return reached


def quarterly_csv(series: list[QuarterlyOutcome]) -> str:
    """One CSV row per quarter with every key of the quarterly table (rates to 6 decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["program", "quarter", "start", "end", *KEYS])
    for outcome in series:
        row = outcome.as_json()
        writer.writerow([extract_cell(row[k]) for k in ["program", "quarter", "start", "end", *KEYS]])
    return buffer.getvalue()
