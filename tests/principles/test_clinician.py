"""The clinician's view of a client: what it shows, to whom, and what it never shows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from caseload import create_app
from caseload.auth.models import AuditEvent
from caseload.clients.models import CareerProfile, ClientNote, JobSearchPlan, JobSearchStep
from caseload.extensions import db as _db
from caseload.jobs.models import JobHours
from caseload.outcomes.models import OutcomeMeasure
from caseload.principles import clinician
from caseload.principles.clinician import NOTE_KIND, work_phase
from caseload.teams.models import JobType
from tests import factories
from tests.outcomes.world import BENEFITS_NOTE, EMPLOYER_PERSON, EMPLOYER_PHONE, build

WORK_GOAL = "Work in a bakery, mornings, about 20 hours"
TODAY = date.today()


@pytest.fixture(scope="module")
def _app(database_url):
    """The app with the clinician blueprint (registered here until principles' init_app does it)."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "SERVER_NAME": None,
        }
    )
    if "clinician" not in app.blueprints:
        app.register_blueprint(clinician.bp)
    with app.app_context():
        upgrade(directory=str(app.root_path + "/../migrations"))
    yield app
    with app.app_context():
        _db.engine.dispose()  # this module's own engine: close its pooled connections


def enrich(session, world):
    """Give the working client a goal, preferences, a plan step, hours change and questionnaires."""
    c = world.working
    c.preferred_job_types = "7512;9412"
    c.profile_started_on = c.entry_date + timedelta(days=7)
    session.add(JobType(program_id=world.program.id, code="7512", label="Baker"))
    session.add(CareerProfile(client_id=c.id, work_goals=WORK_GOAL))
    plan = JobSearchPlan(client_id=c.id, goal="Bakery work")
    session.add(plan)
    session.flush()
    session.add_all(
        [
            JobSearchStep(plan_id=plan.id, description="Done already", owner="Kari", done_on=TODAY),
            JobSearchStep(plan_id=plan.id, description="Ask for a trial shift", owner="Kari", due_date=TODAY),
        ]
    )
    job = c_job(session, c)
    session.add(
        JobHours(job_id=job.id, effective_from=job.start_date + timedelta(days=30), hours_per_week=25)
    )
    for n, (on, tp, odi, vas, nrs) in enumerate(
        [(c.entry_date, "baseline", 4, 40, 8), (c.entry_date + timedelta(days=182), "6m", 2, 70, 4)]
    ):
        session.add(
            OutcomeMeasure(
                ref=f"OM-90000{n}", client_id=c.id, measured_on=on, timepoint=tp,
                **{f"odi_{i}": odi for i in range(1, 11)}, eq_vas=vas, pain_nrs=nrs,
            )
        )  # fmt: skip
    session.commit()


def c_job(session, client):
    from caseload.jobs.models import Job

    return session.scalar(select(Job).where(Job.client_id == client.id))


@pytest.fixture
def world(db):
    w = build(db.session)
    enrich(db.session, w)
    return w


def test_clinician_sees_goal_job_next_step_milestones_and_charts(client, login_as, world):
    login_as(user=world.clinician)
    html = client.get(f"/clients/{world.working.ref}/work").get_data(as_text=True)
    assert WORK_GOAL in html
    assert "Baker" in html and "9412" in html  # a label where the programme has one, else the code
    assert "Baker assistant at Bakeriet AS, 25.0 hours a week" in html
    assert "follow-along support" in html
    assert "Ask for a trial shift" in html and "Done already" not in html
    assert "Started as Baker assistant at Bakeriet AS" in html
    assert html.count("<svg") == 3 and "ODI (%)" in html and "EQ VAS" in html and "Pain NRS" in html


def test_nothing_of_benefits_or_employer_contacts_reaches_a_clinician(client, login_as, world):
    login_as(user=world.clinician)
    ref = world.working.ref
    for url in (f"/clients/{ref}/work", f"/clients/{ref}", f"/clients/{ref}/measures", "/"):
        html = client.get(url).get_data(as_text=True)
        assert BENEFITS_NOTE not in html, url
        assert EMPLOYER_PHONE not in html and EMPLOYER_PERSON not in html, url


def test_a_clinician_sees_only_their_teams_clients(client, login_as, world):
    login_as(user=world.clinician)
    assert client.get(f"/clients/{world.searching.ref}/work").status_code == 200
    assert client.get(f"/clients/{world.elsewhere.ref}/work").status_code == 404
    assert client.post(f"/clients/{world.elsewhere.ref}/work-notes", data={"text": "x"}).status_code == 404
    assert client.get("/clients/C-999999/work").status_code == 404


@pytest.mark.parametrize("role", ["specialist", "supervisor", "admin"])
def test_the_clinician_page_is_for_clinicians(client, login_as, world, role):
    user = {"specialist": world.specialist, "supervisor": world.supervisor}.get(role)
    login_as(role, user=user) if user else login_as(role)
    assert client.get(f"/clients/{world.working.ref}/work").status_code == 404
    assert client.post(f"/clients/{world.working.ref}/work-notes", data={"text": "x"}).status_code == 404


def test_a_clinician_adds_a_treatment_team_note_on_work(client, login_as, world, db):
    login_as(user=world.clinician)
    text = "Pain better controlled; fine to try 25 hours from next month."
    response = client.post(f"/clients/{world.working.ref}/work-notes", data={"text": f"  {text} "})
    assert response.status_code == 302
    note = db.session.scalar(select(ClientNote))
    assert (note.text, note.kind, note.author_id) == (text, NOTE_KIND, world.clinician.id)
    assert text in client.get(f"/clients/{world.working.ref}/work").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.target == note.ref)).action == "create"


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "bad\x00byte"])
def test_a_bad_note_gets_the_form_back_and_writes_nothing(client, login_as, world, db, text):
    login_as(user=world.clinician)
    response = client.post(f"/clients/{world.working.ref}/work-notes", data={"text": text})
    assert response.status_code == 422
    assert db.session.scalar(select(ClientNote)) is None


def _client(**kw):
    base = dict(entry_date=date(2025, 1, 6), closed_on=None, closure_reason=None, profile_started_on=None)
    return SimpleNamespace(**(base | kw))


def _job(start, end=None, hours="20", title="Cook"):
    employer = SimpleNamespace(name="Kafé")
    return SimpleNamespace(
        title=title,
        employer=employer,
        start_date=start,
        end_date=end,
        hours_per_week=Decimal(hours),
        hours_changes=[],
    )


def test_phase_from_engagement_to_work_and_back():
    day = date(2025, 3, 3)
    assert work_phase(_client(), [], day).kind == "engagement"
    started = _client(profile_started_on=date(2025, 1, 20))
    assert work_phase(started, [], day) == clinician.Phase("job_search", since=date(2025, 1, 20))
    jobs = [_job(date(2025, 2, 3), title="Cook"), _job(date(2025, 3, 1), hours="7.5", title="Porter")]
    phase = work_phase(started, jobs, day)
    assert phase.kind == "working" and phase.since == date(2025, 2, 3)
    assert [(j.title, j.hours_per_week) for j in phase.jobs] == [("Cook", 20), ("Porter", Decimal("7.5"))]
    ended = [_job(date(2025, 2, 3), end=date(2025, 3, 2))]
    assert work_phase(started, ended, day) == clinician.Phase("job_search", since=date(2025, 3, 2))
    assert work_phase(started, [_job(date(2025, 2, 3), end=day)], day).kind == "working"
    closed = _client(closed_on=date(2025, 3, 1), closure_reason="moved")
    assert work_phase(closed, jobs, day).kind == "closed"


def test_clinician_home_lists_only_team_clients(client, login_as, world, db):
    other_program = factories.program(db.session, name="Elsewhere")
    factories.user(db.session, role="clinician", prog=other_program)
    login_as(user=world.clinician)
    html = client.get("/").get_data(as_text=True)
    assert world.working.name in html and world.elsewhere.name not in html
