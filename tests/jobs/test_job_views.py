"""Job start, the job's page, correction, change of hours and job end through the web forms."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent, RecordRevision
from caseload.employers.models import Employer
from caseload.jobs.models import Job, JobHours
from caseload.teams.models import JobType
from tests import factories
from tests.principles.support import count, days_ago, field_error, world

COMPETITIVE = {
    "open_to_anyone": "y",
    "min_wage_or_above": "y",
    "paid_by_employer": "y",
    "integrated_setting": "y",
}


@pytest.fixture
def w(db):
    w = world(db)
    db.session.add(JobType(program_id=w.program.id, code="5223", label="Shop sales assistant"))
    db.session.commit()
    return w


def job_data(**over) -> dict:
    data = {
        "employer_id": "0",
        "new_employer": "Kiwi Storo",
        "title": "Shop assistant",
        "job_type": "5223",
        "start_date": days_ago(3),
        "hours_per_week": "20",
        "hourly_wage": "210,50",
        "found_with_ips": "y",
        **COMPETITIVE,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_specialist_records_a_job_start_with_a_new_employer(client, db, login_as, w):
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data())
    assert resp.status_code == 302
    job = db.session.scalar(select(Job))
    assert (job.title, job.job_type, job.hours_per_week, job.hourly_wage) == (
        "Shop assistant",
        "5223",
        Decimal("20.00"),
        Decimal("210.50"),
    )
    assert job.competitive and job.employer.name == "Kiwi Storo"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create")).target == job.ref
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Competitive" in page and "All six components hold." in page


def test_a_new_employer_of_an_existing_name_is_not_duplicated(client, db, login_as, w):
    factories.employer(db.session, "Kiwi Storo")
    db.session.commit()
    login_as(user=w.spec)
    client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data(new_employer="kiwi storo"))
    assert count(db, Employer) == 1 and count(db, Job) == 1


def test_the_job_page_explains_why_a_job_is_not_competitive(client, db, login_as, w):
    login_as(user=w.spec)
    data = job_data(open_to_anyone=None, time_limited="y")
    resp = client.post(f"/clients/{w.client.ref}/jobs/new", data=data)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Not competitive" in page
    assert "not open to anyone" in page and "a time-limited slot" in page
    client_page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "not open to anyone" in client_page


def test_a_client_may_hold_several_jobs_at_once(client, db, login_as, w):
    login_as(user=w.spec)
    client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data())
    client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data(new_employer="Posten", title="Sorter"))
    assert count(db, Job) == 2
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "Shop assistant at Kiwi Storo: competitive." in page
    assert "Sorter at Posten: competitive." in page


def test_correcting_a_job_keeps_the_earlier_version(client, db, login_as, w):
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=5))
    db.session.commit()
    login_as(user=w.spec)
    data = job_data(employer_id=str(job.employer_id), new_employer="", title="Cashier", version="1")
    resp = client.post(f"/clients/{w.client.ref}/jobs/{job.ref}/edit", data=data)
    assert resp.status_code == 302
    db.session.refresh(job)
    assert job.title == "Cashier" and job.version == 2
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "jobs"))
    assert '"title": "Shop assistant"' in revision.data and revision.version == 1
    assert "Version 1, replaced" in client.get(f"/clients/{w.client.ref}/jobs/{job.ref}").get_data(
        as_text=True
    )


def test_change_of_hours_and_job_end(client, db, login_as, w):
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=30))
    db.session.commit()
    login_as(user=w.spec)
    base = f"/clients/{w.client.ref}/jobs/{job.ref}"
    resp = client.post(f"{base}/hours", data={"effective_from": days_ago(10), "hours_per_week": "25,5"})
    assert resp.status_code == 302
    assert db.session.scalar(select(JobHours.hours_per_week)) == Decimal("25.50")
    resp = client.post(
        f"{base}/end", data={"end_date": days_ago(1), "end_reason": "laid_off", "version": "1"}
    )
    assert resp.status_code == 302
    db.session.refresh(job)
    assert (job.end_date, job.end_reason) == (date.today() - timedelta(days=1), "laid_off")
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "Laid off" in page and "25.50" in page


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"start_date": days_ago(-91)}, "start_date"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "81"}, "hours_per_week"),
        ({"hours_per_week": "nan"}, "hours_per_week"),
        ({"hours_per_week": "inf"}, "hours_per_week"),
        ({"hours_per_week": "12.345"}, "hours_per_week"),
        ({"hours_per_week": "twenty"}, "hours_per_week"),
        ({"hourly_wage": "-1"}, "hourly_wage"),
        ({"hourly_wage": "1e9"}, "hourly_wage"),
        ({"job_type": "9999"}, "job_type"),
        ({"new_employer": ""}, "employer_id"),
        ({"employer_id": "12345"}, "employer_id"),
        ({"new_employer": "x\x00y"}, "new_employer"),
    ],
)
def test_bad_job_start_gets_the_form_back_and_writes_nothing(client, db, login_as, w, over, field):
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data(**over))
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    assert count(db, Job) == 0 and count(db, Employer) == 0


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("hours", {"effective_from": "", "hours_per_week": "20"}, "effective_from"),
        ("hours", {"effective_from": days_ago(40), "hours_per_week": "20"}, "effective_from"),
        ("hours", {"effective_from": days_ago(5), "hours_per_week": "80.01"}, "hours_per_week"),
        ("end", {"end_date": days_ago(40), "end_reason": "fired", "version": "1"}, "end_date"),
        ("end", {"end_date": days_ago(-1), "end_reason": "fired", "version": "1"}, "end_date"),
        ("end", {"end_date": days_ago(1), "end_reason": "", "version": "1"}, "end_reason"),
        ("end", {"end_date": days_ago(1), "end_reason": "bored", "version": "1"}, "end_reason"),
    ],
)
def test_bad_hours_or_end_writes_nothing(client, db, login_as, w, path, data, field):
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=30))
    db.session.commit()
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/jobs/{job.ref}/{path}", data=data)
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    db.session.refresh(job)
    assert count(db, JobHours) == 0 and job.end_date is None and job.version == 1


def test_a_second_change_of_hours_from_the_same_date_is_refused(client, db, login_as, w):
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=30))
    db.session.commit()
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/jobs/{job.ref}/hours"
    client.post(url, data={"effective_from": days_ago(5), "hours_per_week": "30"})
    resp = client.post(url, data={"effective_from": days_ago(5), "hours_per_week": "10"})
    assert resp.status_code == 422 and count(db, JobHours) == 1


@pytest.mark.parametrize("who", ["other_spec", "clinician_out", "clinician_in", "admin"])
@pytest.mark.parametrize(
    "path", ["jobs/new", "jobs/{job}", "jobs/{job}/edit", "jobs/{job}/hours", "jobs/{job}/end"]
)
def test_people_without_the_client_get_404(client, db, login_as, w, who, path):
    job = factories.job(db.session, w.client, start=date.today() - timedelta(days=30))
    db.session.commit()
    login_as(user=getattr(w, who))
    url = f"/clients/{w.client.ref}/" + path.format(job=job.ref)
    assert client.get(url).status_code == 404
    if path != "jobs/{job}":
        assert client.post(url, data=job_data(end_date=days_ago(1), end_reason="fired")).status_code == 404
    assert count(db, Job) == 1 and count(db, JobHours) == 0


def test_supervisor_of_the_programme_may_record_a_job(client, db, login_as, w):
    login_as(user=w.supervisor)
    assert client.post(f"/clients/{w.client.ref}/jobs/new", data=job_data()).status_code == 302


def test_a_job_of_another_client_is_not_found_under_this_client(client, db, login_as, w):
    other = factories.client(db.session, w.spec)
    job = factories.job(db.session, other, start=date.today() - timedelta(days=3))
    db.session.commit()
    login_as(user=w.spec)
    assert client.get(f"/clients/{w.client.ref}/jobs/{job.ref}").status_code == 404
