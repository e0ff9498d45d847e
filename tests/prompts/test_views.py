"""The inbox, snooze and dismiss, the calendar feed, the per-specialist view, the scheduler banner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.db import utcnow
from caseload.forms import today
from caseload.prompts.models import Prompt, SchedulerHeartbeat
from caseload.prompts.queries import HEARTBEAT, inbox_for
from caseload.prompts.sweep import prompts_sweep
from tests import factories


@pytest.fixture
def overdue(db):
    """A specialist whose client started a job 5 days ago, no contact since: follow-up overdue."""
    spec = factories.user(db.session, role="specialist", name="Siv Specialist")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=60), name="Kari Nordmann")
    factories.job(db.session, cl, start=today() - timedelta(days=5))
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    follow = db.session.scalar(select(Prompt).where(Prompt.rule == "start_followup"))
    return spec, cl, follow


def test_a_specialist_sees_their_overdue_prompt_with_why_and_a_link(client, login_as, overdue):
    spec, cl, _ = overdue
    login_as(user=spec)
    page = client.get("/prompts/").get_data(as_text=True)
    assert "Meet the client within 3 days of the job start" in page
    assert "overdue by 2 days" in page
    assert f"/clients/{cl.ref}" in page
    assert "Kari Nordmann" in page


def test_another_specialist_sees_none_of_them(client, login_as, overdue):
    login_as("specialist")
    page = client.get("/prompts/").get_data(as_text=True)
    assert "Kari Nordmann" not in page
    assert "Nothing is due." in page


@pytest.mark.parametrize("role", ["admin", "clinician"])
def test_admins_and_clinicians_have_no_inbox(client, login_as, role: str):
    login_as(role)
    assert client.get("/prompts/").status_code == 404


def test_snooze_to_a_date(client, db, login_as, overdue):
    spec, _, follow = overdue
    login_as(user=spec)
    until = (today() + timedelta(days=3)).isoformat()
    resp = client.post(f"/prompts/{follow.id}/snooze", data={"until": until, "next": "/"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    db.session.refresh(follow)
    assert (follow.status, follow.snoozed_until.isoformat()) == ("snoozed", until)
    assert "Kari Nordmann" not in client.get("/prompts/").get_data(as_text=True).split("Snoozed")[0]


@pytest.mark.parametrize("until", ["", "not-a-date", "1999-01-01", "9999-12-31"])
def test_snooze_refuses_a_bad_date(client, db, login_as, overdue, until: str):
    spec, _, follow = overdue
    login_as(user=spec)
    resp = client.post(f"/prompts/{follow.id}/snooze", data={"until": until})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert f'id="prompts-until-{follow.id}-error"' in page  # the message by the field
    assert f'aria-describedby="prompts-until-{follow.id}-error"' in page
    db.session.refresh(follow)
    assert follow.status == "open"


def test_snooze_never_redirects_off_site(client, login_as, overdue):
    spec, _, follow = overdue
    login_as(user=spec)
    until = (today() + timedelta(days=3)).isoformat()
    resp = client.post(f"/prompts/{follow.id}/snooze", data={"until": until, "next": "//evil.example"})
    assert resp.headers["Location"] == "/prompts/"


def test_dismiss_with_a_reason_is_audited(client, db, login_as, overdue):
    spec, cl, follow = overdue
    login_as(user=spec)
    resp = client.post(f"/prompts/{follow.id}/dismiss", data={"reason": "Met at work, logged on paper"})
    assert resp.status_code == 302
    db.session.refresh(follow)
    assert (follow.status, follow.dismiss_reason) == ("dismissed", "Met at work, logged on paper")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.client_id == cl.id)).all()
    assert "prompt_dismiss" in actions


@pytest.mark.parametrize("reason", ["", "x" * 501, "nul\x00byte"])
def test_dismiss_refuses_a_missing_or_bad_reason(client, db, login_as, overdue, reason: str):
    spec, _, follow = overdue
    login_as(user=spec)
    assert client.post(f"/prompts/{follow.id}/dismiss", data={"reason": reason}).status_code == 422
    db.session.refresh(follow)
    assert follow.status == "open"


@pytest.mark.parametrize("action", ["snooze", "dismiss"])
def test_someone_elses_prompt_answers_404(client, login_as, overdue, action: str):
    login_as("specialist")
    data = {"until": (today() + timedelta(days=2)).isoformat(), "reason": "no"}
    assert client.post(f"/prompts/{overdue[2].id}/{action}", data=data).status_code == 404


def test_the_calendar_feed_has_events_with_refs_and_no_names(client, db, overdue):
    spec, cl, follow = overdue
    resp = client.get(f"/prompts/feed/{spec.feed_token}.ics")
    assert resp.status_code == 200
    assert resp.mimetype == "text/calendar"
    body = resp.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "BEGIN:VEVENT" in body
    assert "VTODO" not in body
    assert f"UID:prompt-{follow.id}@caseload" in body
    assert cl.ref in body
    assert "Kari" not in body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "prompts_feed"))


def _events(body: str) -> dict[str, dict[str, str]]:
    """The feed's events by UID: their unfolded properties."""
    unfolded = body.replace("\r\n ", "")
    events = {}
    for chunk in unfolded.split("BEGIN:VEVENT\r\n")[1:]:
        props = dict(line.split(":", 1) for line in chunk.split("END:VEVENT")[0].splitlines())
        events[props["UID"]] = props
    return events


def test_an_overdue_prompt_is_one_event_on_today_saying_since_when(client, db, overdue):
    spec, cl, follow = overdue
    factories.client(db.session, spec, entry=today())  # a first contact due in 3 days
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    due = db.session.scalar(select(Prompt).where(Prompt.due_on > today(), Prompt.assignee_id == spec.id))
    body = client.get(f"/prompts/feed/{spec.feed_token}.ics").get_data(as_text=True)
    events = _events(body)
    assert body.count(f"UID:prompt-{follow.id}@caseload") == 1
    late = events[f"prompt-{follow.id}@caseload"]
    assert late["DTSTART;VALUE=DATE"] == today().strftime("%Y%m%d")
    assert late["SUMMARY"] == (
        f"Overdue since {follow.due_on.isoformat()}: Meet the client within 3 days of the job start "
        f"(client {cl.ref}\\, job {follow.job.ref})"
    )
    assert late["DESCRIPTION"].endswith(f"Due on {follow.due_on.isoformat()}.")
    assert due is not None  # a prompt still to come stays on its own date
    coming = events[f"prompt-{due.id}@caseload"]
    assert coming["DTSTART;VALUE=DATE"] == due.due_on.strftime("%Y%m%d")
    assert not coming["SUMMARY"].startswith("Overdue")


def test_an_overdue_prompt_snoozed_to_a_later_day_waits_for_that_day(client, db, overdue):
    spec, _cl, follow = overdue
    follow.status, follow.snoozed_until = "snoozed", today() + timedelta(days=2)
    db.session.commit()
    body = client.get(f"/prompts/feed/{spec.feed_token}.ics").get_data(as_text=True)
    event = _events(body)[f"prompt-{follow.id}@caseload"]
    assert event["DTSTART;VALUE=DATE"] == follow.snoozed_until.strftime("%Y%m%d")


def test_a_renewed_feed_token_revokes_the_old_address(client, db, login_as, overdue):
    spec = overdue[0]
    old = spec.feed_token
    login_as(user=spec)
    assert client.post("/prompts/feed/renew").status_code == 302
    db.session.refresh(spec)
    assert client.get(f"/prompts/feed/{old}.ics").status_code == 404
    assert client.get(f"/prompts/feed/{spec.feed_token}.ics").status_code == 200


def test_unknown_and_admin_feed_tokens_answer_404(client, db):
    admin = factories.user(db.session, role="admin")
    db.session.commit()
    assert client.get("/prompts/feed/nope.ics").status_code == 404
    assert client.get(f"/prompts/feed/{admin.feed_token}.ics").status_code == 404


def test_supervisors_see_prompts_per_specialist(client, login_as, overdue):
    spec = overdue[0]
    login_as("supervisor")
    page = client.get("/prompts/team").get_data(as_text=True)
    assert "Siv Specialist" in page
    assert 'class="badge overdue"' in page
    detail = client.get(f"/prompts/team/{spec.id}").get_data(as_text=True)
    assert "Kari Nordmann" in detail
    assert "Snooze or dismiss" not in detail


def test_specialists_cannot_see_the_team_view(client, login_as, overdue):
    login_as("specialist")
    assert client.get("/prompts/team").status_code == 404
    assert client.get(f"/prompts/team/{overdue[0].id}").status_code == 404


def test_supervisors_of_another_programme_cannot_see_a_specialist(client, db, login_as, overdue):
    other = factories.program(db.session, name="Other programme")
    login_as("supervisor", prog=other)
    assert client.get(f"/prompts/team/{overdue[0].id}").status_code == 404


def test_supervisors_get_the_programme_prompts_in_their_inbox(client, login_as, overdue):
    spec = overdue[0]
    login_as("supervisor")
    page = client.get("/prompts/").get_data(as_text=True)
    assert "Review a specialist&#39;s employer-contact log" in page
    assert f"/employers/log/{spec.id}/" in page  # links to the week to review


def _beat(db, minutes_ago: int) -> None:
    db.session.merge(SchedulerHeartbeat(name=HEARTBEAT, beat_at=utcnow() - timedelta(minutes=minutes_ago)))
    db.session.commit()


@pytest.mark.parametrize(("minutes_ago", "shown"), [(None, "never run"), (61, "silent since"), (59, None)])
def test_supervisors_are_told_when_the_scheduler_is_silent(client, db, login_as, minutes_ago, shown):
    if minutes_ago is not None:
        _beat(db, minutes_ago)
    login_as("supervisor")
    page = client.get("/prompts/").get_data(as_text=True)
    if shown:
        assert shown in page
    else:
        assert "scheduler" not in page.lower()


def test_specialists_are_not_shown_the_scheduler_banner(client, login_as):
    login_as("specialist")
    assert "scheduler" not in client.get("/prompts/").get_data(as_text=True).lower()


def test_the_inbox_macro_can_be_included_in_any_page(app, db, overdue):
    spec = overdue[0]
    with app.test_request_context("/"):
        items = inbox_for(db.session, spec, today())
        html = render_template_string(
            '{% from "prompts/_inbox.html" import prompt_inbox %}{{ prompt_inbox(items, today, id="home") }}',
            items=items,
            today=today(),
        )
    assert 'id="home-heading"' in html
    assert "3 overdue" in html  # benefits and pre-start (start − 7), start follow-up (start + 3)
    assert 'name="next" value="/"' in html


def test_reading_the_inbox_is_audited(client, db, login_as, overdue):
    spec = overdue[0]
    login_as(user=spec)
    client.get("/prompts/")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view_prompts"))
    assert (event.user_id, event.target) == (spec.id, "4 prompts")  # 3 overdue, disclosure due today
