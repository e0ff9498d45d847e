"""Writes about jobs: start, correction, change of hours, end; the job-type code list.

Services add and flush; the view or the CLI commits. Every write to a client's job is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload.clients.models import Client
from caseload.db import next_ref
from caseload.employers.models import Employer
from caseload.employers.services import employer_create
from caseload.jobs.models import COMPETITIVE_COMPONENTS, Job, JobHours
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import END_REASONS
from caseload.teams.models import JobType
from caseload.writes import (
    DomainError,
    added_audited,
    check_version,
    keep_revision,
    revive,
    saved_audited,
    voided_twin,
)


@dataclass(frozen=True, slots=True)
class JobFields:
    """What a job start or a correction says about the job."""

    employer_id: int | None
    new_employer: str | None
    title: str
    job_type: str | None
    start_date: date
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    components: tuple[tuple[str, bool], ...]
    found_with_ips: bool


def job_type_codes(session: Session, program_id: int) -> dict[str, str]:
    """The programme's job-type codes with their names, by code."""
    stmt = select(JobType.code, JobType.label).where(JobType.program_id == program_id)
    return {code: label for code, label in session.execute(stmt.order_by(JobType.code))}


def job_type_add(session: Session, *, program_id: int, code: str, label: str) -> JobType:
    """Extend the programme's job-type code list."""
    if code in job_type_codes(session, program_id):
        raise DomainError(_l("This code is in the list already."), "code")
    job_type = JobType(program_id=program_id, code=code, label=label)
    session.add(job_type)
    session.flush()
    return job_type


def employer_for(session: Session, *, employer_id: int | None, new_name: str | None) -> Employer:
    """The chosen employer, or the one named (an existing one of that name, else a new one)."""
    if employer_id and new_name:
        raise DomainError(_l("Choose an employer or type a new name, not both."), "employer_id")
    if employer_id:
        employer = session.get(Employer, employer_id)
        if employer is None:
            raise DomainError(_l("Choose an employer from the list."), "employer_id")
        return employer
    if not new_name:
        raise DomainError(_l("Choose an employer or type a new employer's name."), "employer_id")
    same = select(Employer).where(func.lower(Employer.name) == new_name.lower()).order_by(Employer.id)
    employer = session.scalars(same).first()
    if employer is None:
        employer = employer_create(session, name=new_name, org_number=None, industry=None)
    return employer


def _check(session: Session, client: Client, fields: JobFields) -> None:
    if fields.job_type and fields.job_type not in job_type_codes(session, client.program_id):
        raise DomainError(_l("Choose a job type from the programme's list."), "job_type")
    if client.birth_date and fields.start_date < client.birth_date:
        raise DomainError(_l("The job cannot start before the client was born."), "start_date")


def _apply(session: Session, job: Job, fields: JobFields) -> None:
    job.employer_id = employer_for(session, employer_id=fields.employer_id, new_name=fields.new_employer).id
    job.title, job.job_type, job.start_date = fields.title, fields.job_type, fields.start_date
    job.hours_per_week, job.hourly_wage = fields.hours_per_week, fields.hourly_wage
    for name, value in fields.components:
        if name in COMPETITIVE_COMPONENTS:
            setattr(job, name, value)
    job.found_with_ips = fields.found_with_ips


def job_start_record(session: Session, *, client: Client, fields: JobFields, user_id: int) -> Job:
    """Record a job start; a client may hold several jobs at once."""
    _check(session, client, fields)
    job = Job(ref=next_ref(session, Job), client_id=client.id)
    _apply(session, job, fields)
    return added_audited(session, job, client_id=client.id, user_id=user_id)


def job_update(
    session: Session, *, job: Job, client: Client, fields: JobFields, version: int | None, user_id: int
) -> Job:
    """Correct a job's details; the state before is kept as a revision."""
    check_version(job, version)
    _check(session, client, fields)
    if job.end_date and fields.start_date > job.end_date:
        raise DomainError(_l("The start cannot be after the job's last working day."), "start_date")
    if any(h.effective_from <= fields.start_date for h in job.hours_changes):
        raise DomainError(_l("The start must be before every change of hours."), "start_date")
    keep_revision(session, job, user_id=user_id)
    _apply(session, job, fields)
    return saved_audited(session, job, client_id=client.id, user_id=user_id)


def job_hours_change(
    session: Session,
    *,
    job: Job,
    effective_from: date,
    hours_per_week: Decimal,
    hourly_wage: Decimal | None,
    user_id: int,
) -> JobHours:
    """Record new contracted hours from a date after the start (and not after the job's end)."""
    if effective_from <= job.start_date:
        raise DomainError(
            _l("The change must be after the job's start (%(d)s).", d=job.start_date), "effective_from"
        )
    if job.end_date and effective_from > job.end_date:
        raise DomainError(_l("The job ended on %(d)s.", d=job.end_date), "effective_from")
    if any(h.effective_from == effective_from and h.voided_on is None for h in job.hours_changes):
        raise DomainError(_l("There is a change of hours from this date already."), "effective_from")
    change = voided_twin(session, JobHours, job_id=job.id, effective_from=effective_from)
    if change is not None:
        revive(session, change, user_id=user_id)
        change.hours_per_week, change.hourly_wage = hours_per_week, hourly_wage
    else:
        change = JobHours(
            job_id=job.id,
            effective_from=effective_from,
            hours_per_week=hours_per_week,
            hourly_wage=hourly_wage,
        )
        session.add(change)
    return saved_audited(session, change, client_id=job.client_id, user_id=user_id, target=job.ref)


def job_end(
    session: Session, *, job: Job, end_date: date, end_reason: str, version: int | None, user_id: int
) -> Job:
    """Record (or correct) the job's last working day and why it ended."""
    check_version(job, version)
    if end_reason not in END_REASONS:
        raise DomainError(_l("Choose why the job ended."), "end_reason")
    if end_date < job.start_date:
        raise DomainError(_l("The job started on %(d)s.", d=job.start_date), "end_date")
    if any(h.effective_from > end_date for h in job.hours_changes):
        raise DomainError(_l("The hours changed after this date; choose a later date."), "end_date")
    keep_revision(session, job, user_id=user_id)
    job.end_date, job.end_reason = end_date, end_reason
    return saved_audited(session, job, client_id=job.client_id, user_id=user_id)
