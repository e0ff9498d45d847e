"""Two people edit the same job: the second gets a conflict, and nothing is lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import RecordRevision
from caseload.clients.models import Client
from caseload.db import utcnow
from caseload.jobs import services
from caseload.jobs.models import COMPETITIVE_COMPONENTS, Job
from caseload.writes import ConflictError
from tests import factories
from tests.principles.support import world


def _edit(job: Job, title: str) -> dict:
    data = {
        "employer_id": str(job.employer_id),
        "title": title,
        "job_type": "",
        "start_date": job.start_date.isoformat(),
        "hours_per_week": str(job.hours_per_week),
        "version": str(job.version),
    }
    return data | {c: "y" for c in COMPETITIVE_COMPONENTS[:4]}


def test_second_editor_gets_a_conflict_showing_both_versions_then_saves(app, db, login_as):
    w = world(db)
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=10))
    db.session.commit()
    url = f"/clients/{w.client.ref}/jobs/{job.ref}/edit"
    first, second = app.test_client(), app.test_client()
    for browser, person in ((first, w.spec), (second, w.supervisor)):
        with browser.session_transaction() as sess:
            sess["_user_id"], sess["_fresh"] = person.get_id(), True
            sess["login_at"] = sess["seen_at"] = utcnow().timestamp()
    opened_first, opened_second = _edit(job, "Cashier"), _edit(job, "Shelf stacker")
    assert first.post(url, data=opened_first).status_code == 302

    resp = second.post(url, data=opened_second)
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "Someone else saved this record after you opened it" in page
    assert 'value="Shelf stacker"' in page  # the second editor's input, still in the form
    assert "<dd>Cashier</dd>" in page  # the saved version, shown beside it
    assert 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    assert db.session.get(Job, job.id).title == "Cashier"

    resp = second.post(url, data=opened_second | {"version": "2"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, job.id).title == "Shelf stacker"
    kept = db.session.scalars(select(RecordRevision.data).where(RecordRevision.entity == "jobs")).all()
    assert any('"title": "Shop assistant"' in d for d in kept)
    assert any('"title": "Cashier"' in d for d in kept)


def test_a_write_racing_another_transaction_is_a_conflict_not_an_overwrite(app, db):
    w = world(db)
    job_id = factories.job(db.session, w.client, start=date.today() - timedelta(days=10)).id
    client_id, user_id = w.client.id, w.spec.id
    db.session.commit()
    db.session.close()  # SQLite: no transaction of this session may hold the write lock
    with Session(db.engine, expire_on_commit=False) as a, Session(db.engine, expire_on_commit=False) as b:
        job_a = a.get(Job, job_id)
        a.commit()
        job_b, client_b = b.get(Job, job_id), b.get(Client, client_id)
        b.commit()
        job_a.title = "Cashier"
        a.commit()
        fields = services.JobFields(
            employer_id=job_b.employer_id,
            new_employer=None,
            title="Shelf stacker",
            job_type=None,
            start_date=job_b.start_date,
            hours_per_week=job_b.hours_per_week,
            hourly_wage=None,
            components=tuple((c, getattr(job_b, c)) for c in COMPETITIVE_COMPONENTS),
            found_with_ips=True,
        )
        with pytest.raises(ConflictError):
            services.job_update(b, job=job_b, client=client_b, fields=fields, version=1, user_id=user_id)
        b.rollback()
    db.session.expire_all()
    assert db.session.get(Job, job_id).title == "Cashier"
