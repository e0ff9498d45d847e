"""Property tests: generated bad and hostile values posted to every form of the specialist's day.

Whatever is posted: never a 500; a refused form stores nothing (no row, no revision, no new
version); text that was stored is shown escaped. HYPOTHESIS_PROFILE=ci runs many more examples.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from caseload.auth.models import RecordRevision
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client, JobSearchPlan, JobSearchStep
from caseload.contacts.models import ClientContact
from caseload.employers.models import Employer
from caseload.jobs.models import COMPETITIVE_COMPONENTS, Job, JobHours
from caseload.teams.models import JobType
from tests import factories
from tests.principles.support import PROFILE, days_ago, hostile, unescaped_markup, world

WATCHED = (Job, JobHours, Employer, JobType, BenefitsSession, ClientContact, CareerProfile, JobSearchPlan)
WATCHED += (JobSearchStep, RecordRevision)
OK_STATUSES = {200, 302, 409, 422}

DATE = hostile(days_ago(3), days_ago(0), dates=True)
NUMBER = hostile("20", "7,5", numbers=True)
BOOL = st.sampled_from(["y", "", "false", "<b>", "\x00"])
TEXT = hostile("Plain words")
VERSION = hostile("1", "2", numbers=True)


def mutate(base: dict, fields: dict) -> st.SearchStrategy[dict]:
    """A valid form with one to three of its fields replaced by generated (often hostile) values."""
    keys = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True)
    changes = keys.flatmap(lambda ks: st.fixed_dictionaries({k: fields[k] for k in ks}))
    return changes.map(lambda c: base | c)


JOB = {
    "employer_id": hostile("0", "1", numbers=True),
    "new_employer": TEXT,
    "title": TEXT,
    "job_type": hostile("", "5223"),
    "start_date": DATE,
    "hours_per_week": NUMBER,
    "hourly_wage": hostile("", "199,5", numbers=True),
    "version": VERSION,
    **{c: BOOL for c in COMPETITIVE_COMPONENTS},
}
JOB_BASE = {"employer_id": "0", "new_employer": "Kiwi", "title": "Cook", "job_type": "5223"}
JOB_BASE |= {"start_date": days_ago(3), "hours_per_week": "20", "version": "1", "open_to_anyone": "y"}
HOURS = {"effective_from": DATE, "hours_per_week": NUMBER, "hourly_wage": hostile("", numbers=True)}
END = {"end_date": DATE, "end_reason": hostile("fired", "other"), "version": VERSION}
JOB_TYPE = {"code": hostile("1234", "A.b-c_d"), "label": TEXT}
BENEFITS = {
    "session_date": DATE,
    "kind": hostile("initial", "annual"),
    "planner_name": TEXT,
    "trained_planner": BOOL,
    "notes": TEXT,
    "version": VERSION,
}
CONTACT = {
    "contact_date": DATE,
    "staff_id": hostile("1", "2", numbers=True),
    "mode": hostile("face_to_face", "phone"),
    "location": hostile("community", "remote"),
    "minutes": hostile("30", numbers=True),
    "purpose": hostile("engagement", "outreach"),
    "notes": TEXT,
    "version": VERSION,
}
PROFILE_FORM = {
    "profile_started_on": hostile("", days_ago(5), dates=True),
    "profile_completed_on": hostile("", dates=True),
    "work_goals": TEXT,
    "preferred_job_types": st.lists(hostile("5223"), max_size=3),
    "education": TEXT,
    "health_considerations": TEXT,
    "version": hostile("", "1", numbers=True),
}
PLAN = {
    "goal": TEXT,
    "target_employers": TEXT,
    "review_date": hostile("", days_ago(-10), dates=True),
    "version": hostile("", "1", numbers=True),
}
STEP = {
    "description": TEXT,
    "owner": TEXT,
    "due_date": hostile("", days_ago(-5), dates=True),
    "done_on": hostile("", dates=True),
    "version": VERSION,
}


def _counts(db) -> dict:
    counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in WATCHED}
    versions = db.session.execute(
        select(Job.version, Client.version).join(Client, Client.id == Job.client_id)
    )
    return counts | {"versions": sorted(versions.all())}


def _check(client, db, url: str, data: dict, page: str) -> None:
    before = _counts(db)
    resp = client.post(url, data=data)
    assert resp.status_code in OK_STATUSES, (resp.status_code, data)
    event(f"status {resp.status_code}")
    db.session.expire_all()
    if resp.status_code != 302:
        assert _counts(db) == before, data
        return
    shown = client.get(page).get_data(as_text=True)
    assert not unescaped_markup(shown, data.values())


@pytest.fixture
def setup(db, login_as):
    w = world(db)
    db.session.add(JobType(program_id=w.program.id, code="5223", label="Shop sales assistant"))
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=30))
    benefits = factories.benefits_session(db.session, w.client, on=date.today() - timedelta(days=3))
    contact = factories.contact(db.session, w.client, w.spec, on=date.today() - timedelta(days=1))
    db.session.commit()
    login_as(user=w.spec)
    base = f"/clients/{w.client.ref}"
    return {
        "base": base,
        "job": f"{base}/jobs/{job.ref}",
        "benefits": f"{base}/benefits/{benefits.ref}",
        "contact": f"{base}/contacts/{contact.ref}",
        "staff": str(w.spec.id),
    }


def _contact_base(setup: dict) -> dict:
    return {"contact_date": days_ago(0), "staff_id": setup["staff"], "purpose": "engagement", "version": "1"}


FORMS = [
    ("job start", JOB, lambda s: JOB_BASE, "{base}/jobs/new", "{base}"),
    ("job correction", JOB, lambda s: JOB_BASE, "{job}/edit", "{job}"),
    (
        "change of hours",
        HOURS,
        lambda s: {"effective_from": days_ago(5), "hours_per_week": "25"},
        "{job}/hours",
        "{job}",
    ),
    (
        "job end",
        END,
        lambda s: {"end_date": days_ago(1), "end_reason": "fired", "version": "1"},
        "{job}/end",
        "{job}",
    ),
    (
        "job types",
        JOB_TYPE,
        lambda s: {"code": "9412", "label": "Kitchen helper"},
        "/job-types",
        "/job-types",
    ),
    (
        "benefits session",
        BENEFITS,
        lambda s: {"session_date": days_ago(1), "kind": "initial"},
        "{base}/benefits/new",
        "{base}",
    ),
    (
        "benefits correction",
        BENEFITS,
        lambda s: {"session_date": days_ago(1), "kind": "annual", "version": "1"},
        "{benefits}",
        "{base}",
    ),
    ("contact", CONTACT, _contact_base, "{base}/contacts/new", "{base}"),
    ("contact correction", CONTACT, _contact_base, "{contact}", "{base}"),
    ("career profile", PROFILE_FORM, lambda s: {"work_goals": "Shop work"}, "{base}/profile", "{base}"),
    ("job search plan", PLAN, lambda s: {"goal": "Retail"}, "{base}/plan", "{base}/plan"),
    (
        "action step",
        STEP,
        lambda s: {"description": "CV", "owner": "client"},
        "{base}/plan/steps/new",
        "{base}/plan",
    ),
]


@pytest.mark.parametrize(("name", "fields", "base", "url", "page"), FORMS, ids=[f[0] for f in FORMS])
def test_hostile_values_never_break_a_form(client, db, setup, name, fields, base, url, page):
    @PROFILE
    @given(data=mutate(base(setup), fields))
    def run(data):
        _check(client, db, url.format(**setup), data, page.format(**setup))

    run()
