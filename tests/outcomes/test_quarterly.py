"""Quarterly outcomes: quarter parsing, boundaries and every count of metrics.md."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from caseload.outcomes.quarterly import (
    Quarter,
    benchmark_reached,
    last_quarters,
    quarterly_outcome,
    quarterly_series,
)
from caseload.rows import ProgramData, ReferralRow
from tests.fidelity import builders as b

Q3 = Quarter(2026, 3)


def client(ref, entry=date(2026, 1, 5), status="unemployed", closed_on=None):
    return b.client(ref, entry, "s@x.org", status_at_entry=status, closed_on=closed_on)


def job(ref, client_ref, start, end=None, competitive=True):
    return b.job(client_ref, start, end=end, employer="E-1", job_type=None, competitive=competitive, ref=ref)


def test_quarters_parse_and_know_their_days():
    assert Quarter.parse("2026Q3") == Q3
    assert Quarter.parse(" 2026q3 ") == Q3
    assert (Q3.start, Q3.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert Quarter(2024, 1).end == date(2024, 3, 31)
    assert Quarter(2026, 4).end == date(2026, 12, 31)
    assert Quarter.containing(date(2026, 10, 1)) == Quarter(2026, 4)
    assert str(Quarter(2026, 1).previous()) == "2025Q4"


@pytest.mark.parametrize("text", ["2026Q5", "2026-Q3", "Q3 2026", "", "26Q1"])
def test_bad_quarters_are_refused(text):
    with pytest.raises(ValueError, match="not a quarter"):
        Quarter.parse(text)


def test_last_eight_quarters_run_oldest_first_across_years():
    quarters = last_quarters(Quarter(2026, 2))
    assert [str(q) for q in quarters] == [
        "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2",
    ]  # fmt: skip


def test_a_client_closed_on_the_first_day_of_a_quarter_is_not_served_but_is_a_closure():
    data = ProgramData("P", clients=[client("C-1", closed_on=Q3.start)])
    outcome = quarterly_outcome(data, Q3)
    assert outcome.counts["clients_served"] == 0
    assert outcome.counts["closures"] == 1
    assert outcome.rates["employment_rate"] is None
    assert quarterly_outcome(data, Q3.previous()).counts["clients_served"] == 1


def test_a_client_closed_on_the_second_day_is_served():
    data = ProgramData("P", clients=[client("C-1", closed_on=date(2026, 7, 2))])
    assert quarterly_outcome(data, Q3).counts["clients_served"] == 1


def test_a_job_ending_on_the_last_day_of_a_quarter_counts_in_it_and_not_in_the_next():
    data = ProgramData("P", clients=[client("C-1")], jobs=[job("J-1", "C-1", date(2026, 2, 2), Q3.end)])
    assert quarterly_outcome(data, Q3).counts["clients_working"] == 1
    assert quarterly_outcome(data, Q3.next()).counts["clients_working"] == 0


def test_a_job_starting_on_the_first_or_last_day_is_a_start_of_that_quarter():
    data = ProgramData(
        "P",
        clients=[client("C-1"), client("C-2")],
        jobs=[job("J-1", "C-1", Q3.start), job("J-2", "C-2", Q3.end)],
    )
    outcome = quarterly_outcome(data, Q3)
    assert outcome.counts["job_starts"] == 2
    assert outcome.counts["first_job_starts"] == 2
    assert outcome.refs["job_starts"] == ("C-1", "C-2")
    assert quarterly_outcome(data, Q3.next()).counts["job_starts"] == 0


def test_rates_counts_and_refs():
    clients = [
        client("C-1"),
        client("C-2", status="inactive"),
        client("C-3", status="employed", entry=date(2026, 8, 1)),
        client("C-4", status="sick_leave", entry=date(2026, 9, 30)),
        client("C-5", entry=date(2026, 10, 1)),
    ]
    jobs = [
        job("J-1", "C-1", date(2026, 3, 1)),  # first job before the quarter
        job("J-2", "C-1", date(2026, 8, 3)),  # a second start in the quarter, not a first start
        job("J-3", "C-2", date(2026, 7, 6), competitive=False),
        job("J-4", "C-3", date(2025, 5, 1)),  # kept from before entry: working, not a start
    ]
    referrals = [
        ReferralRow("R-1", date(2026, 7, 1), "accepted"),
        ReferralRow("R-2", date(2026, 9, 30), "declined", "other"),
        ReferralRow("R-3", date(2026, 10, 1), "accepted"),
    ]
    outcome = quarterly_outcome(ProgramData("P", clients=clients, jobs=jobs, referrals=referrals), Q3)
    assert outcome.as_json() == {
        "program": "P",
        "quarter": "2026Q3",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "clients_served": 4,
        "clients_working": 2,
        "employment_rate": 50.0,
        "out_of_work_served": 2,
        "out_of_work_working": 1,
        "out_of_work_employment_rate": 50.0,
        "job_starts": 1,
        "first_job_starts": 0,
        "new_clients": 2,
        "in_work_at_entry_pct": 100.0,
        "referrals_received": 2,
        "referrals_accepted": 1,
        "closures": 0,
    }
    assert outcome.refs["clients_working"] == ("C-1", "C-3")
    assert outcome.refs["referrals_received"] == ("R-1", "R-2")


def test_an_empty_programme_has_null_rates():
    result = quarterly_outcome(ProgramData("P"), Q3).as_json()
    assert result["employment_rate"] is None
    assert result["in_work_at_entry_pct"] is None
    assert result["clients_served"] == 0


def test_series_and_benchmarks():
    series = quarterly_series(ProgramData("P", clients=[client("C-1")]), Q3)
    assert [str(o.quarter) for o in series][-1] == "2026Q3"
    assert len(series) == 8
    assert benchmark_reached(Fraction(30)) is None
    assert benchmark_reached(Fraction(31)) == "minimal"
    assert benchmark_reached(Fraction(4099, 100)) == "minimal"
    assert benchmark_reached(Fraction(41)) == "average"
    assert benchmark_reached(Fraction(50)) == "excellent"
    assert benchmark_reached(None) is None
