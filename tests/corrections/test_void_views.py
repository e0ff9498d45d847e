"""Voiding and moving records through the web: who may, the reason, the audit, the revision, the
client page's struck-through list, and the history that says what changed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from caseload.auth.models import AuditEvent, RecordRevision
from caseload.contacts.models import ClientContact
from caseload.db import voided_included
from caseload.jobs.models import JobHours
from tests import factories as f

TODAY = date.today()


def _setup(db, login_as):
    me = login_as("specialist")
    kari = f.client(db.session, me, entry=TODAY - timedelta(days=60))
    ola = f.client(db.session, me, name="Ola Hansen", entry=TODAY - timedelta(days=90))
    contact = f.contact(db.session, kari, me, on=TODAY - timedelta(days=3), minutes=30)
    db.session.commit()
    return me, kari, ola, contact


def _stored(db, ref: str) -> ClientContact:
    db.session.expire_all()
    with voided_included(db.session):
        return db.session.scalar(select(ClientContact).where(ClientContact.ref == ref))


def test_the_maker_voids_a_contact_with_a_reason_kept_audited_and_struck_through(client, db, login_as):
    me, kari, _ola, contact = _setup(db, login_as)
    url = f"/clients/{kari.ref}/records/{contact.ref}/void"
    page = client.get(url)
    assert page.status_code == 200 and "Void this record" in page.text

    response = client.post(url, data={"reason": "Logged on the wrong day", "version": "1"})
    assert response.status_code == 302
    stored = _stored(db, contact.ref)
    assert (stored.voided_on, stored.void_reason, stored.voided_by_id) == (
        TODAY,
        "Logged on the wrong day",
        me.id,
    )
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity_id == stored.id))
    assert revision is not None and revision.entity == "client_contacts" and revision.version == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "void"))
    assert (event.client_id, event.target, event.user_id) == (kari.id, contact.ref, me.id)

    page = client.get(f"/clients/{kari.ref}").text
    assert f"<del>Contact {contact.ref}" in page
    assert "Logged on the wrong day" in page
    assert "No contacts yet." in page  # not among the live contacts


def test_a_void_needs_a_reason_and_changes_nothing_without_one(client, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    response = client.post(f"/clients/{kari.ref}/records/{contact.ref}/void", data={"reason": "  "})
    assert response.status_code == 422
    assert "Say why the record is void." in response.text
    assert _stored(db, contact.ref).voided_on is None


def test_a_record_is_voided_once(client, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    url = f"/clients/{kari.ref}/records/{contact.ref}/void"
    assert client.post(url, data={"reason": "Twice"}).status_code == 302
    again = client.post(url, data={"reason": "Thrice"})
    assert again.status_code == 422
    assert _stored(db, contact.ref).void_reason == "Twice"


def test_another_specialist_or_clinician_gets_404_and_a_supervisor_may_void(app, client, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    url = f"/clients/{kari.ref}/records/{contact.ref}/void"
    login_as("specialist")
    assert client.get(url).status_code == 404
    assert client.post(url, data={"reason": "Not mine"}).status_code == 404
    login_as("clinician")
    assert client.post(url, data={"reason": "Not mine"}).status_code == 404
    assert _stored(db, contact.ref).voided_on is None
    login_as("supervisor")
    assert client.post(url, data={"reason": "Duplicate"}).status_code == 302
    assert _stored(db, contact.ref).void_reason == "Duplicate"


def test_a_void_without_the_csrf_token_is_refused(app, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_client() as other:
            with other.session_transaction() as sess:
                sess["_user_id"] = str(kari.specialist_id)
            response = other.post(f"/clients/{kari.ref}/records/{contact.ref}/void", data={"reason": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (400, 422)
    assert _stored(db, contact.ref).voided_on is None


def test_a_change_of_hours_is_voided_from_the_job(client, db, login_as):
    me, kari, _ola, _contact = _setup(db, login_as)
    job = f.job(db.session, kari, start=TODAY - timedelta(days=30))
    since = TODAY - timedelta(days=10)
    db.session.add(JobHours(job_id=job.id, effective_from=since, hours_per_week=Decimal("20")))
    db.session.commit()
    assert f"/hours/{since.isoformat()}/void" in client.get(f"/clients/{kari.ref}/jobs/{job.ref}").text
    url = f"/clients/{kari.ref}/jobs/{job.ref}/hours/{since.isoformat()}/void"
    assert client.post(url, data={"reason": "Never agreed"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(JobHours).where(JobHours.job_id == job.id)) is None
    with voided_included(db.session):
        hours = db.session.scalar(select(JobHours).where(JobHours.job_id == job.id))
    assert (hours.void_reason, hours.voided_by_id) == ("Never agreed", me.id)
    assert client.post(f"/clients/{kari.ref}/jobs/{job.ref}/hours/2001-13-01/void").status_code == 404


def test_a_contact_on_the_wrong_client_moves_to_the_right_one(client, db, login_as):
    me, kari, ola, contact = _setup(db, login_as)
    url = f"/clients/{kari.ref}/records/{contact.ref}/move"
    assert ola.ref in client.get(url).text
    response = client.post(url, data={"target": ola.ref, "version": "1"})
    assert response.status_code == 302 and response.location.endswith(f"/clients/{ola.ref}")
    assert _stored(db, contact.ref).client_id == ola.id
    moves = db.session.scalars(select(AuditEvent.client_id).where(AuditEvent.action == "move")).all()
    assert sorted(moves) == sorted([kari.id, ola.id])
    assert db.session.scalar(select(RecordRevision).where(RecordRevision.entity_id == contact.id)) is not None
    assert contact.ref in client.get(f"/clients/{ola.ref}").text
    assert me is not None


def test_a_record_moves_only_to_a_client_in_scope(client, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    other = f.user(db.session, "specialist")
    theirs = f.client(db.session, other, name="Someone Else")
    db.session.commit()
    response = client.post(f"/clients/{kari.ref}/records/{contact.ref}/move", data={"target": theirs.ref})
    assert response.status_code == 422
    assert _stored(db, contact.ref).client_id == kari.id


def test_the_history_of_a_contact_says_what_changed_in_words(client, db, login_as):
    _me, kari, _ola, contact = _setup(db, login_as)
    form = {
        "contact_date": contact.contact_date.isoformat(),
        "mode": "phone",
        "location": "remote",
        "purpose": "follow_along",
        "minutes": "45",
        "staff_id": str(contact.staff_id),
        "notes": "Talked about the new shifts",
        "version": "1",
    }
    assert client.post(f"/clients/{kari.ref}/contacts/{contact.ref}", data=form).status_code == 302
    page = client.get(f"/clients/{kari.ref}/records/{contact.ref}/history").text
    assert "Version 1 → 2" in page
    assert "Minutes: 30 → 45" in page
    assert "How: Face to face → Phone" in page
    assert "Where: Community → Remote" in page
    assert "Notes changed" in page
    assert "face_to_face" not in page and "Talked about" not in page


def test_the_career_profile_shows_its_history(client, db, login_as):
    _me, kari, _ola, _contact = _setup(db, login_as)
    page = client.get(f"/clients/{kari.ref}/profile")
    assert page.status_code == 200
    assert client.get(f"/clients/{kari.ref}/profile/history").status_code == 404  # none yet


def test_an_employer_contact_for_no_client_is_voided_by_its_specialist_only(client, db, login_as):
    me = login_as("specialist")
    contact = f.employer_contact(db.session, me, on=TODAY - timedelta(days=2))
    db.session.commit()
    url = f"/employers/contacts/{contact.ref}/void"
    login_as("specialist")
    assert client.post(url, data={"reason": "Not mine"}).status_code == 404
    login_as(user=me)
    assert "Void this record" in client.get(url).text
    response = client.post(url, data={"reason": "Never happened", "version": "1"})
    assert response.status_code == 302 and response.location.endswith("/employers/log")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "void"))
    assert (event.client_id, event.target) == (None, contact.ref)


def test_a_referral_recorded_twice_is_voided_and_leaves_the_list(client, db, login_as):
    me = login_as("supervisor")
    twice = f.referral(db.session, person_name="Ola Nordmann")
    accepted = f.referral(
        db.session, decision="accepted", client_id=f.client(db.session, f.user(db.session)).id
    )
    db.session.commit()
    assert f"/referrals/{twice.ref}/void" in client.get("/referrals").text
    assert client.post(f"/referrals/{accepted.ref}/void", data={"reason": "x"}).status_code == 422
    response = client.post(f"/referrals/{twice.ref}/void", data={"reason": "Recorded twice", "version": "1"})
    assert response.status_code == 302 and response.location.endswith("/referrals")
    client.get("/referrals")  # the flash message names it once
    assert f"/referrals/{twice.ref}/" not in client.get("/referrals").text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "void"))
    assert (event.target, event.user_id) == (twice.ref, me.id)
    login_as("specialist")  # neither its maker nor a supervisor
    assert client.get(f"/referrals/{accepted.ref}/void").status_code == 404


def test_a_prompt_the_void_record_satisfied_is_open_again(client, db, login_as):
    from caseload.prompts.models import Prompt

    me = login_as("specialist")
    kari = f.client(db.session, me, entry=TODAY - timedelta(days=10))
    contact = f.contact(db.session, kari, me, on=TODAY - timedelta(days=2), purpose="engagement")
    prompt = Prompt(
        program_id=kari.program_id,
        rule="first_contact",
        subject_key=kari.ref,
        due_on=TODAY - timedelta(days=3),
        client_id=kari.id,
        assignee_id=me.id,
        status="done",
        satisfied_by=contact.ref,
    )
    db.session.add(prompt)
    db.session.commit()
    url = f"/clients/{kari.ref}/records/{contact.ref}/void"
    assert client.post(url, data={"reason": "Wrong client"}).status_code == 302
    db.session.expire_all()
    assert (prompt.status, prompt.satisfied_by) == ("open", None)


def test_a_void_weekly_review_can_be_marked_again_with_its_history_kept(client, db, login_as):
    from caseload.employers.models import WeeklyReview
    from caseload.metrics.periods import monday_of

    specialist = f.user(db.session, "specialist")
    me = login_as("supervisor")
    monday = monday_of(TODAY) - timedelta(days=7)
    week = f"/employers/log/{specialist.id}/{monday.isoformat()}"
    assert client.post(f"{week}/review", data={"notes": "Good"}).status_code == 302
    assert client.post(f"{week}/review/void", data={"reason": "Wrong week"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(WeeklyReview)) is None
    assert "Not reviewed yet" in client.get(week).text
    assert client.post(f"{week}/review", data={"notes": "Right week now"}).status_code == 302
    review = db.session.scalar(select(WeeklyReview))
    assert (review.notes, review.voided_on, review.reviewer_id) == ("Right week now", None, me.id)
    kept = db.session.scalars(select(RecordRevision).where(RecordRevision.entity == "weekly_reviews")).all()
    assert len(kept) == 2  # before the void, and the void itself
    login_as("specialist")
    assert client.get(f"{week}/review/void").status_code == 404


def test_hours_from_a_date_whose_change_was_voided_can_be_recorded_again(client, db, login_as):
    me, kari, _ola, _contact = _setup(db, login_as)
    job = f.job(db.session, kari, start=TODAY - timedelta(days=30))
    since = TODAY - timedelta(days=10)
    db.session.add(JobHours(job_id=job.id, effective_from=since, hours_per_week=Decimal("20")))
    db.session.commit()
    url = f"/clients/{kari.ref}/jobs/{job.ref}/hours"
    assert client.post(f"{url}/{since.isoformat()}/void", data={"reason": "Typo"}).status_code == 302
    response = client.post(url, data={"effective_from": since.isoformat(), "hours_per_week": "25"})
    assert response.status_code == 302, response.text
    db.session.expire_all()
    hours = db.session.scalar(select(JobHours).where(JobHours.job_id == job.id))
    assert (hours.hours_per_week, hours.voided_on) == (Decimal("25"), None)
    assert me is not None
