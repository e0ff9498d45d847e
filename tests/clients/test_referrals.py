"""Referrals become clients or are declined with a reason; clients close, reopen and move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseload.auth.models import AuditEvent
from caseload.clients.models import Client, Referral
from tests import factories

TODAY = date.today()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_specialist_records_a_referral(client, db, login_as):
    login_as("specialist")
    response = client.post(
        "/referrals/new",
        data={"person_name": "Per Hansen", "received_on": TODAY.isoformat(), "source": "NAV"},
    )
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert (referral.person_name, referral.source, referral.decision) == ("Per Hansen", "NAV", "pending")
    assert referral.ref.startswith("R-")


def test_recording_a_referral_writes_an_audit_event_naming_the_user(client, db, login_as):
    spec = login_as("specialist")
    response = client.post(
        "/referrals/new",
        data={"person_name": "Per Hansen", "received_on": TODAY.isoformat(), "source": "NAV"},
    )
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.target == referral.ref)).all()
    assert (event.user_id, event.action, event.client_id) == (spec.id, "create", None)
    assert "Per Hansen" not in (event.target or "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"person_name": "", "received_on": TODAY.isoformat()}, "This field is required."),
        ({"person_name": "x" * 201, "received_on": TODAY.isoformat()}, "Field cannot be longer than 200"),
        ({"person_name": "Per", "received_on": "2026-02-30"}, "Not a valid date value."),
        (
            {"person_name": "Per", "received_on": (TODAY + timedelta(days=1)).isoformat()},
            "cannot be in the future",
        ),
        ({"person_name": "Per", "received_on": "0001-01-01"}, "too far in the past"),
        ({"person_name": "Per\x00", "received_on": TODAY.isoformat()}, "not allowed"),
    ],
)
def test_bad_referral_input_is_refused_by_the_field(client, db, login_as, data, message):
    login_as("specialist")
    response = client.post("/referrals/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, Referral) == 0


def _accept_data(specialist, **overrides):
    data = {
        "name": "Per Hansen",
        "specialist_id": specialist.id,
        "team_id": 0,
        "entry_date": TODAY.isoformat(),
        "status_at_entry": "sick_leave",
        "birth_date": "",
    }
    data.update(overrides)
    return data


def test_accepting_a_referral_creates_the_client(client, db, login_as):
    spec = login_as("specialist")
    referral = factories.referral(db.session, received_on=TODAY - timedelta(days=5))
    db.session.commit()
    response = client.post(f"/referrals/{referral.ref}/accept", data=_accept_data(spec))
    assert response.status_code == 302
    c = db.session.scalar(select(Client))
    assert response.location.endswith(f"/clients/{c.ref}")
    assert (c.specialist_id, c.status_at_entry, c.referral_date) == (
        spec.id,
        "sick_leave",
        referral.received_on,
    )
    assert db.session.get(Referral, referral.id).decision == "accepted"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"entry_date": (TODAY + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"entry_date": (TODAY - timedelta(days=30)).isoformat()}, "before the referral was received"),
        ({"name": ""}, "This field is required."),
        ({"status_at_entry": "ready_for_work"}, "Not a valid choice"),
        ({"birth_date": "9999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_acceptance_writes_nothing(client, db, login_as, override, message):
    spec = login_as("specialist")
    referral = factories.referral(db.session, received_on=TODAY - timedelta(days=5))
    db.session.commit()
    response = client.post(f"/referrals/{referral.ref}/accept", data=_accept_data(spec, **override))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, Client) == 0
    assert db.session.get(Referral, referral.id).decision == "pending"


def test_declined_referral_keeps_its_reason_and_the_decision_is_audited(client, db, login_as):
    spec = login_as("specialist")
    referral = factories.referral(db.session)
    db.session.commit()
    response = client.post(
        f"/referrals/{referral.ref}/decline", data={"decision": "declined", "reason": "Under 18"}
    )
    assert response.status_code == 302
    saved = db.session.get(Referral, referral.id)
    assert (saved.decision, saved.reason) == ("declined", "Under 18")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "declined")).all()
    assert (event.user_id, event.target) == (spec.id, referral.ref)  # the reason stays out of the log
    assert "Under 18" in client.get("/referrals").get_data(as_text=True)


def test_declining_without_a_reason_is_refused(client, db, login_as):
    login_as("specialist")
    referral = factories.referral(db.session)
    db.session.commit()
    response = client.post(f"/referrals/{referral.ref}/decline", data={"decision": "declined", "reason": ""})
    assert response.status_code == 422
    assert db.session.get(Referral, referral.id).decision == "pending"


def test_referral_of_another_programme_is_not_found(client, db, login_as):
    factories.program(db.session, "Own programme")
    other = factories.program(db.session, "Other programme")
    referral = factories.referral(db.session, other)
    db.session.commit()
    login_as("specialist")
    assert client.get(f"/referrals/{referral.ref}/accept").status_code == 404


def test_client_closes_with_a_closure_code_and_reopens(client, db, login_as):
    spec = login_as("specialist")
    c = factories.client(db.session, spec)
    db.session.commit()
    response = client.post(
        f"/clients/{c.ref}/close", data={"closed_on": TODAY.isoformat(), "reason": "moved"}
    )
    assert response.status_code == 302
    assert (c.closed_on, c.closure_reason) == (TODAY, "moved")
    assert client.post(f"/clients/{c.ref}/reopen").status_code == 302
    assert c.closed_on is None and c.closure_reason is None


def test_no_closing_for_missed_appointments(client, db, login_as):
    spec = login_as("specialist")
    c = factories.client(db.session, spec)
    db.session.commit()
    response = client.post(
        f"/clients/{c.ref}/close", data={"closed_on": TODAY.isoformat(), "reason": "missed_appointments"}
    )
    assert response.status_code == 422
    assert c.closed_on is None


def test_supervisor_moves_a_departing_specialists_caseload(client, db, login_as):
    leaving = factories.user(db.session, "specialist")
    staying = factories.user(db.session, "specialist")
    clients = [factories.client(db.session, leaving) for _ in range(3)]
    login_as("supervisor")
    program_ref = leaving.program.ref
    db.session.commit()
    response = client.post(
        f"/programs/{program_ref}/specialists/{leaving.id}/reassign", data={"specialist_id": staying.id}
    )
    assert response.status_code == 302
    assert {c.specialist_id for c in clients} == {staying.id}


def test_specialist_cannot_reassign(client, db, login_as):
    spec = login_as("specialist")
    c = factories.client(db.session, spec)
    db.session.commit()
    assert client.get(f"/clients/{c.ref}/reassign").status_code == 404
