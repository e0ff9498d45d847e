"""The programme page reads its last complete quarter's outcome stored (outcomes/stored.py): after
each kind of change to the records the quarter reads, the page's numbers equal the pure
computation from scratch; a fresh row is read without loading a row; the roll-over recomputes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from caseload.clients.models import Referral
from caseload.db import voided_included
from caseload.exchange.services import bundle_import
from caseload.jobs.models import JobHours
from caseload.outcomes.models import ProgramQuarterOutcome
from caseload.outcomes.pages import program_outcomes_context
from caseload.outcomes.quarterly import Quarter, quarterly_outcome
from caseload.outcomes.queries import program_rows
from caseload.outcomes.stored import decode, encode
from caseload.rows import ProgramData, ReferralRow
from caseload.teams.models import Program
from tests import factories
from tests.exchange.bundles import append_row, copy_sample
from tests.fidelity import builders as b
from tests.sample_rows import sample_program_data

Q = Quarter(2025, 1)
TODAY = date(2025, 4, 10)  # the page's last complete quarter is Q
IN_Q = date(2025, 2, 10)


def _page(db, program) -> dict:
    """The programme page's quarter (as its view computes it), committed as the view does."""
    outcome = program_outcomes_context(db.session, program, TODAY)["outcomes_view"].outcome
    db.session.commit()
    return outcome.as_json() | {"refs": outcome.refs}


def _scratch(db, program, quarter: Quarter = Q) -> dict:
    outcome = quarterly_outcome(program_rows(db.session, program, quarter=quarter), quarter)
    return outcome.as_json() | {"refs": outcome.refs}


@pytest.fixture()
def world(db):
    s = db.session
    prog = factories.program(s)
    spec = factories.user(s, role="specialist", prog=prog)
    working = factories.client(s, spec, entry=date(2024, 11, 4))
    searching = factories.client(s, spec, entry=date(2025, 2, 3), status_at_entry="employed")
    job = factories.job(s, working, start=date(2025, 1, 13))
    factories.referral(s, prog, received_on=date(2025, 1, 20), decision="accepted")
    other = factories.program(s, name="Other programme")
    other_spec = factories.user(s, role="specialist", prog=other)
    s.commit()
    _page(db, prog)  # stored: each change below must make it stale
    assert db.session.get(ProgramQuarterOutcome, prog.id).payload is not None
    return {"prog": prog, "spec": spec, "working": working, "searching": searching, "job": job} | {
        "other": other,
        "other_spec": other_spec,
    }


def _new_job(s, w):
    factories.job(s, w["searching"], start=IN_Q)


def _hours_change(s, w):
    s.add(JobHours(job_id=w["job"].id, effective_from=IN_Q, hours_per_week=Decimal("30")))


def _hours_corrected(s, w):
    _hours_change(s, w)
    s.commit()
    s.scalar(select(JobHours)).hours_per_week = Decimal("10")


def _job_voided(s, w):
    w["job"].voided_on, w["job"].void_reason, w["job"].voided_by_id = TODAY, "wrong client", w["spec"].id


def _job_unvoided(s, w):
    _job_voided(s, w)
    s.commit()
    with voided_included(s):
        w["job"].voided_on = w["job"].void_reason = w["job"].voided_by_id = None
        s.flush()


def _job_not_competitive(s, w):
    w["job"].set_aside = True


def _client_closed(s, w):
    w["searching"].closed_on, w["searching"].closure_reason = IN_Q, "moved"


def _entry_corrected(s, w):
    w["searching"].entry_date = date(2025, 4, 2)


def _referral_added(s, w):
    factories.referral(s, w["prog"], received_on=IN_Q)


def _referral_decided(s, w):
    s.scalar(select(Referral).where(Referral.program_id == w["prog"].id)).decision = "pending"


def _client_moved_out(s, w):
    w["working"].program_id, w["working"].specialist_id = w["other"].id, w["other_spec"].id


CHANGES = {
    "new job in the quarter": _new_job,
    "job hours change": _hours_change,
    "job hours corrected": _hours_corrected,
    "job voided": _job_voided,
    "job unvoided": _job_unvoided,
    "job no longer competitive": _job_not_competitive,
    "client closed": _client_closed,
    "client entry date corrected": _entry_corrected,
    "referral added": _referral_added,
    "referral decided": _referral_decided,
    "client moved programme": _client_moved_out,
}


@pytest.mark.parametrize("change", CHANGES)
def test_after_each_kind_of_change_the_page_shows_the_quarter_computed_from_scratch(db, world, change):
    before = _page(db, world["prog"])
    other_before = _page(db, world["other"])
    CHANGES[change](db.session, world)
    db.session.commit()
    stored = db.session.get(ProgramQuarterOutcome, world["prog"].id)
    db.session.refresh(stored)
    assert stored.payload is None, "the change made the stored quarter stale"
    after = _page(db, world["prog"])
    assert after == _scratch(db, world["prog"])
    assert _page(db, world["other"]) == _scratch(db, world["other"])
    if change not in ("job hours change", "job hours corrected", "job unvoided"):
        assert (after, _page(db, world["other"])) != (before, other_before), "the change shows"


def test_a_client_moved_in_counts_in_the_programme_it_joined(db, world):
    _page(db, world["other"])
    _client_moved_out(db.session, world)
    db.session.commit()
    assert (
        _page(db, world["other"])["clients_working"] == 1 == _scratch(db, world["other"])["clients_working"]
    )
    assert _page(db, world["prog"])["clients_working"] == 0


def test_a_change_marks_the_row_stale_and_bumps_its_stamp(db, world):
    row = db.session.get(ProgramQuarterOutcome, world["prog"].id)
    stamp = row.stamp
    _new_job(db.session, world)
    db.session.commit()
    db.session.refresh(row)
    assert row.payload is None and row.stamp == stamp + 1


def test_a_computation_from_rows_read_before_a_change_is_not_stored(db, world):
    from caseload.outcomes.stored import store_quarter, stored_quarter

    prog = world["prog"]
    _new_job(db.session, world)
    db.session.commit()
    seen = stored_quarter(db.session, prog.id, Q)
    assert seen.outcome is None
    old = quarterly_outcome(program_rows(db.session, prog, quarter=Q), Q)
    _client_closed(db.session, world)  # a concurrent change, after the rows were read
    db.session.flush()
    store_quarter(db.session, prog.id, seen.stamp, old)
    db.session.commit()
    assert db.session.get(ProgramQuarterOutcome, prog.id).payload is None
    assert _page(db, prog) == _scratch(db, prog)


def test_an_exchange_import_makes_the_stored_quarter_stale(db, tmp_path):
    assert bundle_import(db.session, path=copy_sample(tmp_path / "first")).ok
    db.session.commit()
    prog = db.session.scalar(select(Program).where(Program.ref == "DEMO"))
    quarter, today = Quarter(2024, 4), date(2025, 1, 15)

    def page():
        outcome = program_outcomes_context(db.session, prog, today)["outcomes_view"].outcome
        db.session.commit()
        return outcome

    before = page()
    folder = copy_sample(tmp_path / "second")  # a pending referral: it names no client
    append_row(
        folder,
        "referrals.csv",
        {"ref": "R-000099", "program_ref": "DEMO", "received_on": "2024-11-05", "decision": "pending"},
    )
    append_row(
        folder,
        "referrals.csv",
        {"ref": "R-000098", "program_ref": "DEMO", "received_on": "2024-11-06", "decision": "pending"},
    )
    assert bundle_import(db.session, path=folder).ok
    db.session.commit()
    after = page()
    assert after.counts["referrals_received"] == before.counts["referrals_received"] + 2
    assert after == quarterly_outcome(program_rows(db.session, prog, quarter=quarter), quarter)


def test_the_quarter_rolls_over(db, world):
    prog = world["prog"]
    later = program_outcomes_context(db.session, prog, TODAY + timedelta(days=91))["outcomes_view"].outcome
    db.session.commit()
    assert later.quarter == Q.next()
    assert later == quarterly_outcome(program_rows(db.session, prog, quarter=Q.next()), Q.next())
    row = db.session.get(ProgramQuarterOutcome, prog.id)
    db.session.refresh(row)
    assert row.quarter == str(Q.next()) and decode(row.payload) == later


def _statements(db, client, path: str) -> list[str]:
    db.session.remove()
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    db.session.remove()
    return sent


def test_a_second_request_reads_the_stored_row_and_no_job(app, db, client, login_as):
    prog = factories.program(db.session)
    spec = factories.user(db.session, role="specialist", prog=prog)
    c = factories.client(db.session, spec, entry=date.today() - timedelta(days=400))
    factories.job(db.session, c, start=date.today() - timedelta(days=200))
    db.session.commit()
    login_as("supervisor", prog=prog)
    with app.test_request_context():
        path = url_for("principles.program_page", ref=prog.ref)
    first, second = _statements(db, client, path), _statements(db, client, path)
    jobs = [s for s in first if "FROM jobs" in s]
    assert jobs and not [s for s in second if "FROM jobs" in s or "FROM job_hours" in s]
    assert len(first) == len(second) + 5  # the rows' four statements and the store
    third = _statements(db, client, path)
    assert len(third) == len(second)


day = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
client_spec = st.tuples(
    day, st.sampled_from(("unemployed", "employed", "student", "sick_leave")), st.none() | day
)
job_spec = st.tuples(st.integers(0, 9), day, st.none() | st.integers(0, 400), st.booleans())
referral_spec = st.tuples(day, st.sampled_from(("pending", "accepted", "declined")))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(client_spec, max_size=10),
    st.lists(job_spec, max_size=12),
    st.lists(referral_spec, max_size=6),
    st.sampled_from([Quarter(2024, 3), Quarter(2025, 1), Quarter(2025, 4), Quarter(2026, 2)]),
)
def test_an_outcome_round_trips_through_its_stored_text(clients, jobs, referrals, quarter):
    data = ProgramData(program_ref="P-1")
    data.clients = [
        b.client(f"C-{i:06d}", entry, status_at_entry=status, closed_on=closed)
        for i, (entry, status, closed) in enumerate(clients)
    ]
    if data.clients:
        data.jobs = [
            b.job(data.clients[who % len(data.clients)].ref, start, competitive=competitive)
            if end is None
            else b.job(data.clients[who % len(data.clients)].ref, start, end=start + timedelta(end))
            for who, start, end, competitive in jobs
        ]
    data.referrals = [
        ReferralRow(f"R-{i:06d}", on, decision, None) for i, (on, decision) in enumerate(referrals)
    ]
    outcome = quarterly_outcome(data, quarter)
    assert decode(encode(outcome)) == outcome


def test_the_sample_bundles_outcomes_round_trip():
    data = sample_program_data()
    for year in (2024, 2025):
        for number in (1, 2, 3, 4):
            outcome = quarterly_outcome(data, Quarter(year, number))
            assert decode(encode(outcome)) == outcome
