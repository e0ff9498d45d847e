"""A late action does not satisfy its rule (metrics.md): the prompt stays open and shows the late
record, and one click, "Done late", dismisses it with that record as the reason (stored, audited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.forms import today
from caseload.prompts.models import DONE_LATE, Prompt
from caseload.prompts.sweep import prompts_sweep
from tests import factories


def _sweep(db) -> None:
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()


def _prompt(db, rule: str) -> Prompt:
    db.session.expire_all()
    return db.session.scalars(select(Prompt).where(Prompt.rule == rule)).one()


@pytest.fixture
def missed(db):
    """A job that started 10 days ago and nobody met the client in its first 3 days."""
    spec = factories.user(db.session, "specialist", name="Siv Specialist")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=60), name="Kari Nordmann")
    job = factories.job(db.session, cl, start=today() - timedelta(days=10))
    db.session.commit()
    _sweep(db)
    return spec, cl, job


def test_a_late_face_to_face_contact_leaves_the_prompt_open_with_the_late_record(db, missed):
    spec, cl, job = missed
    late = factories.contact(db.session, cl, spec, on=job.start_date + timedelta(days=5))
    db.session.commit()
    _sweep(db)
    p = _prompt(db, "start_followup")
    assert (p.status, p.late_record) == ("open", late.ref)


def test_a_late_benefits_session_is_shown_on_its_prompt(db, missed):
    _, cl, job = missed
    late = factories.benefits_session(db.session, cl, on=job.start_date + timedelta(days=1))
    db.session.commit()
    _sweep(db)
    p = _prompt(db, "benefits_before_start")
    assert (p.status, p.late_record) == ("open", late.ref)


def test_a_contact_in_time_closes_the_prompt_and_is_no_late_record(db, missed):
    spec, cl, job = missed
    factories.contact(db.session, cl, spec, on=job.start_date + timedelta(days=2))
    db.session.commit()
    _sweep(db)
    p = _prompt(db, "start_followup")
    assert (p.status, p.late_record) == ("done", None)


def test_logging_late_in_the_app_shows_done_late_at_once_and_one_click_dismisses(
    client, db, login_as, missed
):
    spec, cl, job = missed
    login_as(user=spec)
    day = (job.start_date + timedelta(days=6)).isoformat()
    form = {"contact_date": day, "mode": "face_to_face", "location": "community", "purpose": "follow_along"}
    form |= {"minutes": "30", "staff_id": str(spec.id)}
    assert client.post(f"/clients/{cl.ref}/contacts/new", data=form).status_code == 302
    p = _prompt(db, "start_followup")
    assert p.status == "open" and p.late_record is not None
    inbox = client.get("/prompts/").get_data(as_text=True)
    assert "Done late" in inbox and p.late_record in inbox

    resp = client.post(f"/prompts/{p.id}/done-late", data={"next": "/"})
    assert resp.status_code == 302
    p = _prompt(db, "start_followup")
    assert (p.status, p.dismiss_reason, p.late_record) == ("dismissed", DONE_LATE, p.late_record)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "prompt_done_late")).one()
    assert event.client_id == cl.id and p.late_record in event.target
    _sweep(db)
    assert _prompt(db, "start_followup").status == "dismissed"  # never recreated


def test_done_late_without_a_late_record_is_refused_and_changes_nothing(client, db, login_as, missed):
    spec, _, _ = missed
    login_as(user=spec)
    p = _prompt(db, "start_followup")
    resp = client.post(f"/prompts/{p.id}/done-late", data={"next": "/"})
    assert resp.status_code == 422
    assert "No late record was found for this prompt." in resp.get_data(as_text=True)
    assert _prompt(db, "start_followup").status == "open"


def test_another_specialist_cannot_mark_it_done_late(client, db, login_as, missed):
    spec, cl, job = missed
    factories.contact(db.session, cl, spec, on=job.start_date + timedelta(days=5))
    db.session.commit()
    _sweep(db)
    login_as("specialist", prog=spec.program)
    p = _prompt(db, "start_followup")
    assert client.post(f"/prompts/{p.id}/done-late", data={}).status_code == 404
    assert _prompt(db, "start_followup").status == "open"
