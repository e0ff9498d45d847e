"""The outcomes' narrow rows give the numbers of the full snapshot; a quarter's rows and its counts
in SQL give its numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.jobs.models import Job, JobHours
from caseload.outcomes.employment import employment_json
from caseload.outcomes.quarterly import Quarter, quarterly_outcome
from caseload.outcomes.queries import program_rows
from caseload.teams.models import Program
from tests import factories
from tests.reference_rows import program_data
from tests.sample_rows import SAMPLE


def _quarters(first: date, last: date) -> list[Quarter]:
    quarters = [Quarter.containing(first)]
    while quarters[-1].end < last:
        quarters.append(quarters[-1].next())
    return quarters


def _edge_cases(session) -> Program:
    """Clients at the quarters' edges, jobs kept from before entry, not competitive, or started after
    the client's closure, hours changes, and referrals of every decision."""
    prog = factories.program(session)
    spec = factories.user(session, role="specialist", prog=prog)
    a = factories.client(session, spec, entry=date(2025, 1, 1), status_at_entry="employed")
    b = factories.client(session, spec, entry=date(2025, 2, 14), status_at_entry="student")
    c = factories.client(session, spec, entry=date(2024, 12, 31))
    a.closed_on, a.closure_reason = date(2025, 7, 1), "other"
    c.closed_on, c.closure_reason = date(2025, 3, 31), "other"
    factories.job(session, a, start=date(2024, 11, 1), end_date=date(2025, 4, 1), end_reason="other")
    factories.job(session, a, start=date(2025, 5, 5), hours_per_week=Decimal("12.5"))
    factories.job(session, b, start=date(2025, 4, 1), set_aside=True)
    factories.job(session, b, start=date(2025, 6, 30), end_date=date(2025, 10, 1), end_reason="fired")
    late = factories.job(session, c, start=date(2025, 9, 1))  # after the closure: still a job start
    session.add(JobHours(job_id=late.id, effective_from=date(2025, 10, 6), hours_per_week=Decimal("30")))
    for day, decision in ((date(2025, 1, 1), "accepted"), (date(2025, 3, 31), "withdrawn")):
        factories.referral(session, prog, received_on=day, decision=decision)
    session.commit()
    return prog


@pytest.fixture(params=["edge_cases", "sample_bundle"])
def program(request, db, runner):
    if request.param == "edge_cases":
        return _edge_cases(db.session)
    result = runner.invoke(args=["exchange", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(Program).where(Program.ref == "DEMO"))


def _span(data) -> tuple[date, date]:
    days = [c.entry_date for c in data.clients] + [j.start_date for j in data.jobs]
    return min(days) - timedelta(days=95), max(days) + timedelta(days=400)


def test_narrow_rows_give_the_numbers_of_the_full_snapshot(db, program):
    full, narrow = program_data(db.session, program), program_rows(db.session, program)
    assert narrow.clients and sorted(narrow.clients, key=str) == sorted(full.clients, key=str)
    assert {j.ref for j in narrow.jobs} == {j.ref for j in full.jobs if j.competitive}
    first, last = _span(full)
    for quarter in _quarters(first, last):
        assert quarterly_outcome(narrow, quarter) == quarterly_outcome(full, quarter), quarter
    for as_of in (first, date(2025, 6, 30), date(2026, 1, 1), last):
        assert employment_json(narrow, as_of) == employment_json(full, as_of), as_of


def test_a_quarters_rows_give_that_quarters_numbers(db, program):
    everything = program_rows(db.session, program)
    for quarter in _quarters(*_span(everything)):
        rows = program_rows(db.session, program, quarter=quarter)
        assert quarterly_outcome(rows, quarter) == quarterly_outcome(everything, quarter), quarter


def test_a_quarters_rows_are_fewer(db):
    prog = _edge_cases(db.session)
    rows = program_rows(db.session, prog, quarter=Quarter(2025, 4))
    assert [c.entry_date for c in rows.clients] == [date(2025, 2, 14)]
    assert rows.referrals == []


def test_questionnaires_are_loaded_only_when_asked_for(db, runner):
    runner.invoke(args=["exchange", "import", str(SAMPLE)])
    prog = db.session.scalar(select(Program).where(Program.ref == "DEMO"))
    assert program_rows(db.session, prog).measures == []
    narrow = program_rows(db.session, prog, measures=True).measures
    assert narrow and sorted(narrow, key=str) == sorted(program_data(db.session, prog).measures, key=str)


def test_the_sql_of_competitive_is_the_property(db):
    prog = factories.program(db.session)
    who = factories.client(db.session, factories.user(db.session, prog=prog))
    for bits in range(64):
        flags = [bool(bits >> i & 1) for i in range(6)]
        keys = ("open_to_anyone", "min_wage_or_above", "paid_by_employer", "integrated_setting")
        factories.job(
            db.session,
            who,
            start=date(2025, 1, 1) + timedelta(days=bits),
            **dict(zip(keys, flags[:4], strict=True)),
            set_aside=flags[4],
            time_limited=flags[5],
        )
    db.session.commit()
    in_sql = set(db.session.scalars(select(Job.id).where(Job.competitive)))
    assert in_sql == {j.id for j in db.session.scalars(select(Job)) if j.competitive}
    assert len(in_sql) == 1
