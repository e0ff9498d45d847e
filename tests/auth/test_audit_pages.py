"""Pages that list clients record every client shown in their one audit event, so each client's
access report finds the view; refused (404) attempts on a client's routes are recorded too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from caseload.auth.models import AuditEvent
from caseload.forms import today
from caseload.prompts.sweep import prompts_sweep
from tests import factories


def _events(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(AuditEvent.id)))


def _last(db) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()


def _access_report(client, login_as, sup, ref: str) -> str:
    login_as(user=sup)
    page = client.get(f"/clients/{ref}/access")
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.fixture
def caseload(db):
    """A specialist holding two clients, a colleague holding one, and their supervisor."""
    spec = factories.user(db.session, "specialist", name="Siv Specialist")
    colleague = factories.user(db.session, "specialist", name="Cato Colleague")
    sup = factories.user(db.session, "supervisor", name="Sofie Supervisor")
    mine = [factories.client(db.session, spec, name=n) for n in ("Kari Nordmann", "Ola Hansen")]
    theirs = factories.client(db.session, colleague, name="Per Berg")
    db.session.commit()
    return spec, sup, mine, theirs


def test_the_access_report_of_a_client_lists_a_view_of_the_specialist_home_that_showed_them(
    client, db, login_as, caseload
):
    spec, sup, mine, theirs = caseload
    login_as(user=spec)
    before = _events(db)
    home = client.get("/")
    assert home.status_code == 200 and "Kari Nordmann" in home.get_data(as_text=True)
    assert _events(db) == before + 1  # still one event for the page
    event = _last(db)
    assert event.action == "view_caseload" and event.client_id is None
    assert event.shown == f" {mine[0].ref} {mine[1].ref} "
    report = _access_report(client, login_as, sup, mine[0].ref)
    assert "Siv Specialist" in report and "Seen in a caseload" in report
    assert "Siv Specialist" not in _access_report(client, login_as, sup, theirs.ref)


def test_the_clinician_home_records_the_clients_it_lists(client, db, login_as):
    spec = factories.user(db.session, "specialist")
    team = factories.team(db.session)
    listed = factories.client(db.session, spec, team_obj=team, name="Kari Nordmann")
    factories.client(db.session, spec, name="Not In The Team")
    clinician = factories.user(db.session, "clinician", teams=[team])
    db.session.commit()
    login_as(user=clinician)
    assert client.get("/").status_code == 200
    assert _last(db).shown == f" {listed.ref} "


def test_the_supervisors_view_of_a_specialists_prompts_records_the_clients(client, db, login_as):
    spec = factories.user(db.session, "specialist")
    sup = factories.user(db.session, "supervisor")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=60), name="Kari Nordmann")
    factories.job(db.session, cl, start=today() - timedelta(days=5))
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    login_as(user=sup)
    assert "Kari Nordmann" in client.get(f"/prompts/team/{spec.id}").get_data(as_text=True)
    event = _last(db)
    assert event.action == "view_prompts" and event.shown == f" {cl.ref} "
    assert "Seen in prompts" in _access_report(client, login_as, sup, cl.ref)


def test_a_refused_attempt_on_a_clients_page_is_recorded_with_the_person_and_the_ref(
    client, db, login_as, caseload
):
    _, sup, mine, _ = caseload
    intruder = login_as("specialist", name="Ivar Intruder")
    assert client.get(f"/clients/{mine[0].ref}").status_code == 404
    event = _last(db)
    assert (event.action, event.user_id, event.client_id, event.target) == (
        "refused",
        intruder.id,
        mine[0].id,
        mine[0].ref,
    )
    report = _access_report(client, login_as, sup, mine[0].ref)
    assert "Ivar Intruder" in report and "Refused (out of scope)" in report


def test_a_refused_post_keeps_nothing_but_the_record_of_the_attempt(client, db, login_as, caseload):
    _, _, mine, _ = caseload
    intruder = login_as("specialist")
    before = _events(db)
    assert client.post(f"/clients/{mine[0].ref}/close", data={}).status_code == 404
    assert _events(db) == before + 1
    assert (_last(db).action, _last(db).user_id) == ("refused", intruder.id)


def test_a_refused_attempt_on_an_unknown_ref_keeps_no_text_typed_in_the_address(client, db, login_as):
    intruder = login_as("specialist")
    assert client.get("/clients/C-999999").status_code == 404
    assert (_last(db).target, _last(db).client_id) == ("C-999999", None)
    assert client.get("/clients/Kari Nordmann").status_code == 404
    event = _last(db)
    assert (event.action, event.user_id, event.target, event.client_id) == (
        "refused",
        intruder.id,
        None,
        None,
    )
