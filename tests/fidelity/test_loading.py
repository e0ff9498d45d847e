"""The narrowed loading of fidelity (SQL aggregates, fewer rows) gives exactly what the pure functions
give over every record of the programme: the same numbers and the same records behind them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.clients.models import Client
from caseload.fidelity.evidence import V12_SPAN, summarise_contacts
from caseload.fidelity.loading import fidelity_input, v12_clients
from caseload.fidelity.own_work import own_work
from caseload.fidelity.queries import fidelity_result
from caseload.fidelity.scoring import compute_fidelity
from tests import factories
from tests.fidelity.conftest import AS_OF, days_before
from tests.fidelity.year_of_data import seed_year
from tests.reference_rows import program_data


def _same_as_the_whole_history(session, program, day: date) -> None:
    full = program_data(session, program)
    assert fidelity_result(session, program, day) == compute_fidelity(full, day)
    for email in sorted({c.specialist_email for c in full.clients}):
        mine = fidelity_result(session, program, day, specialist_email=email)
        assert mine == compute_fidelity(own_work(full, email), day)


@pytest.mark.slow
def test_a_year_of_records_gives_the_same_items_evidence_and_records_on_any_day(db):
    seeded_to = date(2026, 6, 30)
    program = seed_year(db.session, seeded_to)
    for day in (seeded_to, seeded_to - timedelta(days=45), date(2026, 1, 4), date(2025, 9, 1)):
        _same_as_the_whole_history(db.session, program, day)


def test_contacts_on_the_edges_of_the_look_back_count_as_in_the_pure_functions(db, programme):
    s, spec = db.session, programme.spec
    old = factories.client(s, spec, entry=days_before(500), team_obj=programme.teams[0], name="Long-time")
    job = factories.job(s, old, start=days_before(364), job_type="9412")  # pre-start from A − 371
    job.end_date, job.end_reason = days_before(5), "fired"
    ended_long_ago = factories.job(s, old, start=days_before(800))
    ended_long_ago.end_date, ended_long_ago.end_reason = days_before(400), "laid_off"
    for n in (372, 371, 5, 4, 2, 0, -1):
        factories.contact(s, old, spec, on=days_before(n))
    factories.contact(s, old, spec, on=days_before(3), mode="message")
    factories.contact(s, old, spec, on=days_before(1), purpose="outreach")
    for n in (900, 600, -3):  # disclosure talks long before the look-back, and one after A
        factories.contact(s, programme.clients[2], spec, on=days_before(n), purpose="disclosure")
    other_program = factories.program(s, "Elsewhere")
    stranger = factories.client(s, factories.user(s, "specialist", other_program), entry=days_before(90))
    factories.employer_contact(s, spec, on=days_before(30), clients=[old, stranger])
    s.commit()
    _same_as_the_whole_history(s, programme.program, AS_OF)
    _same_as_the_whole_history(s, programme.program, days_before(4))


def test_the_contact_summary_in_sql_is_the_summary_of_the_rows_in_v12s_span(db, programme):
    for n in (400, 371, 100, 1):
        factories.contact(
            db.session, programme.clients[1], programme.spec, on=days_before(n), purpose="disclosure"
        )
    factories.contact(db.session, programme.clients[1], programme.spec, on=days_before(2), mode="phone")
    db.session.commit()
    _data, summary = fidelity_input(db.session, programme.program, AS_OF)
    expected = summarise_contacts(program_data(db.session, programme.program).client_contacts, AS_OF)
    span = days_before(V12_SPAN)

    v12 = set(
        db.session.scalars(select(Client.ref).where(Client.id.in_(v12_clients(programme.program, AS_OF))))
    )
    assert v12  # the fixture's year has jobs started and ended in V12's spans

    def in_span(found: dict) -> dict:
        return {
            ref: kept
            for ref, days in found.items()
            if ref in v12 and (kept := {d for d in days if span <= d <= AS_OF})
        }

    assert summary.face_to_face == in_span(expected.face_to_face)
    assert summary.counting == in_span(expected.counting)
    # V2's counts are only loaded for the clients it applies to (active on A, in for 60 days or more)
    assert (
        summary.disclosures
        == {programme.clients[1].ref: 4}
        == {ref: n for ref, n in expected.disclosures.items() if ref == programme.clients[1].ref}
    )
