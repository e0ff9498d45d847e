"""Writes about the career profile (principle 4). Services add and flush; the caller commits.

The profile's dates and preferred job types live on the client (they are columns of clients.csv);
its content lives in ``CareerProfile``. Each save stamps ``profile_updated_on`` and keeps the
earlier state of both as revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.clients.models import CareerProfile, Client
from caseload.db import utcnow
from caseload.l10n import lazy_gettext as _l
from caseload.teams.models import JobType
from caseload.writes import ConflictError, DomainError, check_version, flush_or_conflict, keep_revision

PROFILE_TEXTS = (
    "work_goals",
    "education",
    "work_history",
    "strengths",
    "health_considerations",
    "supports",
    "disclosure_preferences",
)
JOB_TYPES_MAX = 500  # the length of clients.preferred_job_types


@dataclass(frozen=True, slots=True)
class ProfileFields:
    """What the career profile form says; ``texts`` pairs each of PROFILE_TEXTS with its value."""

    started_on: date | None
    completed_on: date | None
    preferred_job_types: tuple[str, ...]
    texts: tuple[tuple[str, str | None], ...]


def profile_of(session: Session, client: Client) -> CareerProfile | None:
    """The client's career profile, if one was saved."""
    return session.scalar(select(CareerProfile).where(CareerProfile.client_id == client.id))


def job_type_choices(session: Session, client: Client) -> list[tuple[str, str]]:
    """The programme's job-type codes, plus any code the client has that the list lacks."""
    stmt = select(JobType.code, JobType.label).where(JobType.program_id == client.program_id)
    codes: dict[str, str] = {code: label for code, label in session.execute(stmt.order_by(JobType.code))}
    for code in client.job_type_list:
        codes.setdefault(code, "")
    return [(code, f"{code} {label}".strip()) for code, label in codes.items()]


def _dates(client: Client, fields: ProfileFields, today: date) -> tuple[date, date | None]:
    started = fields.started_on or client.profile_started_on or today
    if started > today:
        raise DomainError(_l("The date cannot be in the future."), "profile_started_on")
    if fields.completed_on and fields.completed_on < started:
        raise DomainError(
            _l("The profile cannot be completed before it was started."), "profile_completed_on"
        )
    return started, fields.completed_on


def _job_types(session: Session, client: Client, codes: tuple[str, ...]) -> str:
    allowed = {code for code, _label in job_type_choices(session, client)}
    if any(code not in allowed for code in codes):
        raise DomainError(_l("Choose job types from the programme's list."), "preferred_job_types")
    joined = ";".join(dict.fromkeys(codes))
    if len(joined) > JOB_TYPES_MAX:
        raise DomainError(_l("Too many job types: choose fewer."), "preferred_job_types")
    return joined


def profile_save(
    session: Session,
    *,
    client: Client,
    profile: CareerProfile | None,
    fields: ProfileFields,
    version: int | None,
    today: date,
    user_id: int,
) -> CareerProfile:
    """Start or update the career profile; the save's date becomes ``profile_updated_on``."""
    if profile is not None and version is None:
        raise ConflictError(_l("Someone else saved this record after you opened it."))
    if profile is not None:
        check_version(profile, version)
    started, completed = _dates(client, fields, today)
    job_types = _job_types(session, client, fields.preferred_job_types)
    keep_revision(session, client, user_id=user_id)
    if profile is None:
        profile = CareerProfile(client_id=client.id)
        session.add(profile)
    else:
        keep_revision(session, profile, user_id=user_id)
    for name, value in fields.texts:
        if name in PROFILE_TEXTS:
            setattr(profile, name, value or None)
    profile.updated_at = utcnow()  # every save is a new version, even when only the client's columns change
    client.profile_started_on, client.profile_completed_on = started, completed
    client.profile_updated_on, client.preferred_job_types = today, job_types
    flush_or_conflict(session)
    audit(session, action="update_profile", client_id=client.id, target=client.ref, user_id=user_id)
    return profile
