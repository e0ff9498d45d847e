"""Saving through the pages marks prompts done at once: employer contacts and weekly reviews."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseload.db import utcnow
from caseload.forms import today
from caseload.metrics.periods import monday_of
from caseload.prompts.models import Prompt
from caseload.prompts.sweep import prompts_sweep
from tests import factories


def _open(db, rule, **where):
    return db.session.scalar(select(Prompt).where(Prompt.rule == rule).filter_by(**where))


def test_employer_contact_form_ends_rapid_job_search_at_once(client, db, login_as):
    spec = login_as("specialist")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=25))
    employer = factories.employer(db.session)
    db.session.commit()
    prompts_sweep(db.session, now=utcnow())
    db.session.commit()
    assert _open(db, "rapid_job_search", client_id=cl.id).status == "open"
    response = client.post(
        "/employers/contacts/new",
        data={
            "contact_date": today().isoformat(),
            "specialist_id": spec.id,
            "employer": employer.ref,
            "mode": "face_to_face",
            "client_refs": [cl.ref],
            "job_type": "",
            "minutes": "30",
        },
    )
    assert response.status_code == 302, [
        line for line in response.get_data(as_text=True).splitlines() if "error" in line
    ]
    assert _open(db, "rapid_job_search", client_id=cl.id).status == "done"


def test_weekly_review_page_marks_the_review_prompt_done_at_once(client, db, login_as):
    spec = factories.user(db.session, "specialist")
    sup = login_as("supervisor")
    db.session.commit()
    prompts_sweep(db.session, now=utcnow())
    db.session.commit()
    last_monday = monday_of(today()) - timedelta(days=7)
    prompt = _open(db, "weekly_log_review", specialist_id=spec.id, week_start=last_monday)
    assert prompt.status == "open" and sup.role == "supervisor"
    response = client.post(f"/employers/log/{spec.id}/{last_monday.isoformat()}/review", data={"notes": ""})
    assert response.status_code == 302
    assert prompt.status == "done"
