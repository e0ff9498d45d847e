"""The programme's job-type list, and the job services' own rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.jobs import services
from caseload.jobs.models import COMPETITIVE_COMPONENTS
from caseload.teams.models import JobType
from caseload.writes import ConflictError, DomainError
from tests import factories
from tests.principles.support import count, field_error, world


def test_specialist_adds_a_job_type_to_the_programme_list(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    resp = client.post("/job-types", data={"code": "9412", "label": "Kitchen helper"})
    assert resp.status_code == 302
    assert db.session.scalar(select(JobType.program_id).where(JobType.code == "9412")) == w.program.id
    assert "Kitchen helper" in client.get("/job-types").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "", "label": "Cook"}, "code"),
        ({"code": "51;20", "label": "Cook"}, "code"),
        ({"code": "<b>", "label": "Cook"}, "code"),
        ({"code": "x" * 41, "label": "Cook"}, "code"),
        ({"code": "5120", "label": ""}, "label"),
        ({"code": "5120", "label": "C\x00ook"}, "label"),
        ({"code": "5223", "label": "Again"}, "code"),
    ],
)
def test_bad_job_type_is_refused(client, db, login_as, data, field):
    w = world(db)
    db.session.add(JobType(program_id=w.program.id, code="5223", label="Shop sales assistant"))
    db.session.commit()
    login_as(user=w.supervisor)
    resp = client.post("/job-types", data=data)
    assert resp.status_code == 422 and field_error(resp.get_data(as_text=True), field)
    assert count(db, JobType) == 1


@pytest.mark.parametrize("role", ["admin", "clinician"])
def test_job_types_page_is_for_specialists_and_supervisors(client, db, login_as, role):
    world(db)
    login_as(role)
    assert client.get("/job-types").status_code == 404
    assert client.post("/job-types", data={"code": "1", "label": "x"}).status_code == 404


def _fields(**over) -> services.JobFields:
    values = dict(
        employer_id=None,
        new_employer="Posten",
        title="Sorter",
        job_type=None,
        start_date=date.today() - timedelta(days=2),
        hours_per_week=Decimal("15"),
        hourly_wage=None,
        components=tuple((c, c not in ("set_aside", "time_limited")) for c in COMPETITIVE_COMPONENTS),
        found_with_ips=True,
    )
    return services.JobFields(**(values | over))


def test_employer_must_be_chosen_or_named_but_not_both(db):
    e = factories.employer(db.session)
    with pytest.raises(DomainError) as both:
        services.employer_for(db.session, employer_id=e.id, new_name="Posten")
    with pytest.raises(DomainError) as neither:
        services.employer_for(db.session, employer_id=None, new_name=None)
    assert both.value.field == neither.value.field == "employer_id"
    assert services.employer_for(db.session, employer_id=e.id, new_name=None) is e


def test_job_services_audit_every_write_and_refuse_stale_versions(db):
    w = world(db)
    s = db.session
    job = services.job_start_record(s, client=w.client, fields=_fields(), user_id=w.spec.id)
    services.job_update(
        s, job=job, client=w.client, fields=_fields(title="Lead"), version=1, user_id=w.spec.id
    )
    with pytest.raises(ConflictError):
        services.job_update(s, job=job, client=w.client, fields=_fields(), version=1, user_id=w.spec.id)
    services.job_end(
        s, job=job, end_date=date.today(), end_reason="mutual", version=job.version, user_id=w.spec.id
    )
    s.commit()  # the events join the audit chain when the caller commits
    actions = s.scalars(select(AuditEvent.action).where(AuditEvent.target == job.ref)).all()
    assert actions == ["create", "update", "update"]


def test_start_cannot_move_past_a_change_of_hours(db):
    w = world(db)
    s = db.session
    job = services.job_start_record(s, client=w.client, fields=_fields(), user_id=w.spec.id)
    services.job_hours_change(
        s,
        job=job,
        effective_from=date.today(),
        hours_per_week=Decimal("30"),
        hourly_wage=None,
        user_id=w.spec.id,
    )
    s.refresh(job)
    with pytest.raises(DomainError) as err:
        services.job_update(
            s, job=job, client=w.client, fields=_fields(start_date=date.today()), version=1, user_id=w.spec.id
        )
    assert err.value.field == "start_date"
    with pytest.raises(DomainError):
        services.job_end(
            s,
            job=job,
            end_date=date.today() - timedelta(days=1),
            end_reason="fired",
            version=1,
            user_id=w.spec.id,
        )
