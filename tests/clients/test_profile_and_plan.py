"""The career profile and the job search plan through their forms: dates, revisions, conflicts, access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent, RecordRevision
from caseload.clients.models import CareerProfile, Client, JobSearchPlan, JobSearchStep
from caseload.teams.models import JobType
from tests import factories
from tests.principles.support import count, days_ago, field_error, world


@pytest.fixture
def w(db):
    w = world(db)
    for code, label in (("5223", "Shop sales assistant"), ("9412", "Kitchen helper")):
        db.session.add(JobType(program_id=w.program.id, code=code, label=label))
    db.session.commit()
    return w


def profile_data(**over) -> dict:
    data = {
        "profile_started_on": days_ago(10),
        "work_goals": "Part-time work in a shop, near home.",
        "preferred_job_types": ["5223", "9412"],
        "health_considerations": "Pacing: no more than 4 hours standing.",
        "disclosure_preferences": "Tell the manager only.",
    }
    return {k: v for k, v in (data | over).items() if v is not None}


def test_first_save_starts_the_profile_and_stamps_today(client, db, login_as, w):
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/profile", data=profile_data())
    assert resp.status_code == 302
    c = db.session.get(Client, w.client.id)
    assert c.profile_started_on == date.today() - timedelta(days=10)
    assert c.profile_updated_on == date.today() and c.job_type_list == ["5223", "9412"]
    profile = db.session.scalar(select(CareerProfile))
    assert profile.health_considerations.startswith("Pacing")
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "update_profile"))


def test_an_empty_start_date_means_today_and_every_save_keeps_a_revision(client, db, login_as, w):
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/profile"
    client.post(url, data=profile_data(profile_started_on=""))
    assert db.session.get(Client, w.client.id).profile_started_on == date.today()
    client.post(url, data=profile_data(profile_started_on="", work_goals="Kitchen work", version="1"))
    profile = db.session.scalar(select(CareerProfile))
    assert (profile.work_goals, profile.version) == ("Kitchen work", 2)
    kept = db.session.scalars(select(RecordRevision.entity)).all()
    assert kept.count("career_profiles") == 1 and kept.count("clients") == 2


def test_the_profile_shows_its_update_against_the_latest_job_change(client, db, login_as, w):
    w.client.profile_started_on = w.client.profile_updated_on = date.today() - timedelta(days=20)
    factories.job(db.session, w.client, start=date.today() - timedelta(days=5))
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "before the latest job change on" in page
    assert f"latest job start or end {days_ago(5)}" in page
    client.post(f"/clients/{w.client.ref}/profile", data=profile_data())
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "after the latest job change on" in page


def test_a_stale_profile_form_conflicts_and_shows_both(client, db, login_as, w):
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/profile"
    client.post(url, data=profile_data(work_goals="Shop"))
    client.post(url, data=profile_data(work_goals="Office", version="1"))
    resp = client.post(url, data=profile_data(work_goals="Kitchen", version="1"))
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "Kitchen</textarea>" in page and "<dd>Office</dd>" in page
    assert db.session.scalar(select(CareerProfile.work_goals)) == "Office"


def test_a_form_opened_before_someone_started_the_profile_conflicts(client, db, login_as, w):
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/profile"
    client.post(url, data=profile_data(work_goals="Shop"))
    resp = client.post(url, data=profile_data(work_goals="Kitchen"))  # no version: opened when empty
    assert resp.status_code == 409
    assert db.session.scalar(select(CareerProfile.work_goals)) == "Shop"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"profile_started_on": days_ago(-1)}, "profile_started_on"),
        ({"profile_started_on": "0001-01-01"}, "profile_started_on"),
        ({"profile_completed_on": "9999-12-31"}, "profile_completed_on"),
        ({"profile_completed_on": days_ago(20)}, "profile_completed_on"),
        ({"preferred_job_types": ["0000"]}, "preferred_job_types"),
        ({"work_goals": "w" * 5001}, "work_goals"),
        ({"strengths": "a\x00"}, "strengths"),
    ],
)
def test_bad_profile_gets_the_form_back_and_writes_nothing(client, db, login_as, w, over, field):
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/profile", data=profile_data(**over))
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    assert count(db, CareerProfile) == 0 and count(db, RecordRevision) == 0
    assert db.session.get(Client, w.client.id).profile_started_on is None


def test_the_plan_with_its_action_steps(client, db, login_as, w):
    login_as(user=w.spec)
    base = f"/clients/{w.client.ref}/plan"
    data = {"goal": "20 hours in retail", "target_employers": "Kiwi, Rema", "review_date": days_ago(-30)}
    assert client.post(base, data=data).status_code == 302
    step = {"description": "Update the CV", "owner": "the client", "due_date": days_ago(-7)}
    assert client.post(f"{base}/steps/new", data=step).status_code == 302
    step_id = db.session.scalar(select(JobSearchStep.id))
    done = step | {"done_on": days_ago(0), "version": "1"}
    assert client.post(f"{base}/steps/{step_id}", data=done).status_code == 302
    assert db.session.scalar(select(JobSearchStep.done_on)) == date.today()
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "20 hours in retail" in page and "Update the CV" in page
    assert "1 open action steps" not in page and "0 open action steps, 0 overdue." in page


def test_a_step_added_before_the_plan_starts_an_empty_plan(client, db, login_as, w):
    login_as(user=w.spec)
    step = {"description": "Visit the job centre", "owner": "specialist"}
    assert client.post(f"/clients/{w.client.ref}/plan/steps/new", data=step).status_code == 302
    assert count(db, JobSearchPlan) == 1 and count(db, JobSearchStep) == 1


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("plan", {"goal": "g" * 5001}, "goal"),
        ("plan", {"review_date": "9999-12-31"}, "review_date"),
        ("plan", {"review_date": days_ago(-400)}, "review_date"),
        ("plan/steps/new", {"description": "", "owner": "me"}, "description"),
        ("plan/steps/new", {"description": "d" * 501, "owner": "me"}, "description"),
        ("plan/steps/new", {"description": "CV", "owner": ""}, "owner"),
        ("plan/steps/new", {"description": "CV", "owner": "me", "done_on": days_ago(-1)}, "done_on"),
        ("plan/steps/new", {"description": "CV", "owner": "me", "done_on": days_ago(300)}, "done_on"),
        ("plan/steps/new", {"description": "CV", "owner": "me", "due_date": "0001-01-01"}, "due_date"),
    ],
)
def test_bad_plan_or_step_writes_nothing(client, db, login_as, w, path, data, field):
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/{path}", data=data)
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    assert count(db, JobSearchPlan) == 0 and count(db, JobSearchStep) == 0


@pytest.mark.parametrize("who", ["other_spec", "clinician_in", "clinician_out", "admin"])
def test_people_without_the_client_get_404(client, db, login_as, w, who):
    login_as(user=getattr(w, who))
    for path in ("profile", "plan", "plan/steps/new", "plan/steps/1"):
        url = f"/clients/{w.client.ref}/{path}"
        assert client.get(url).status_code == 404
        assert client.post(url, data=profile_data(goal="x", description="x", owner="x")).status_code == 404
    assert count(db, CareerProfile) == 0 and count(db, JobSearchPlan) == 0
