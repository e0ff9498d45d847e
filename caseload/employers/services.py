"""Writes about employers, their contact people, employer contacts and weekly reviews.

Services add and flush; the caller commits (or rolls back on a DomainError).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from caseload.auth.audit import audit
from caseload.auth.models import RecordRevision, User
from caseload.clients.models import Client
from caseload.clients.scoping import scoped_clients
from caseload.db import next_ref, utcnow
from caseload.employers.models import (
    Employer,
    EmployerContact,
    EmployerPerson,
    WeeklyReview,
)
from caseload.employers.rules import normalise_org_number, valid_org_number
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import EMPLOYER_CONTACT_MODES
from caseload.metrics.periods import monday_of
from caseload.teams.models import JobType
from caseload.writes import (
    ConflictError,
    DomainError,
    added,
    check_version,
    flush_or_conflict,
    keep_revision,
    revive,
    voided_twin,
)


@dataclass(frozen=True, slots=True)
class ContactInput:
    """What a specialist enters about one employer contact."""

    contact_date: date
    specialist_id: int
    employer_ref: str | None
    new_employer: str | None
    mode: str
    client_refs: tuple[str, ...]
    job_type: str | None
    minutes: int
    purpose: str | None
    outcome: str | None
    next_step: str | None
    person_name: str | None = None


def _flush_versioned(session: Session) -> None:
    """Flush; a concurrent save that won the race between our check and our write is a conflict too."""
    try:
        session.flush()
    except StaleDataError as err:
        raise ConflictError(_l("Someone else saved this record after you opened it.")) from err


def _org_number(session: Session, value: str | None, *, exclude_id: int | None = None) -> str | None:
    number = normalise_org_number(value)
    if number is None:
        return None
    if not valid_org_number(number):
        raise DomainError(_l("An organisation number has nine digits."), "org_number")
    same = select(Employer.name).where(Employer.org_number == number)
    if exclude_id is not None:
        same = same.where(Employer.id != exclude_id)
    other = session.scalar(same.limit(1))
    if other is not None:
        raise DomainError(_l("%(name)s has this organisation number already.", name=other), "org_number")
    return number


def employer_create(session: Session, *, name: str, org_number: str | None, industry: str | None) -> Employer:
    """Add an employer to the directory."""
    number = _org_number(session, org_number)
    return added(
        session,
        Employer(ref=next_ref(session, Employer), name=name, org_number=number, industry=industry or None),
    )


def employer_update(
    session: Session,
    *,
    employer: Employer,
    version: int | None,
    name: str,
    org_number: str | None,
    industry: str | None,
    user_id: int,
) -> Employer:
    """Correct an employer; the previous state is kept as a revision."""
    check_version(employer, version)
    number = _org_number(session, org_number, exclude_id=employer.id)
    keep_revision(session, employer, user_id=user_id)
    employer.name, employer.org_number, employer.industry = name, number, industry or None
    employer.updated_at = utcnow()
    _flush_versioned(session)
    return employer


def person_add(
    session: Session, *, employer: Employer, name: str, role: str | None, phone: str | None, email: str | None
) -> EmployerPerson:
    """Add a contact person at an employer."""
    person = EmployerPerson(
        employer_id=employer.id, name=name, role=role or None, phone=phone or None, email=email or None
    )
    return added(session, person)


def person_stamp(person: EmployerPerson) -> str:
    """The token a person's edit form carries: contact people have no version column."""
    return person.updated_at.isoformat()


def person_update(
    session: Session,
    *,
    person: EmployerPerson,
    stamp: str | None,
    name: str,
    role: str | None,
    phone: str | None,
    email: str | None,
    user_id: int,
) -> EmployerPerson:
    """Correct a contact person; the previous state is kept as a revision."""
    if stamp and stamp != person_stamp(person):
        raise ConflictError(_l("Someone else saved this record after you opened it."))
    earlier = session.scalar(
        select(func.count())
        .select_from(RecordRevision)
        .where(RecordRevision.entity == EmployerPerson.__tablename__, RecordRevision.entity_id == person.id)
    )
    data = {c.key: getattr(person, c.key) for c in EmployerPerson.__table__.columns}
    session.add(
        RecordRevision(
            entity=EmployerPerson.__tablename__,
            entity_id=person.id,
            version=(earlier or 0) + 1,
            data=json.dumps(data, default=str, sort_keys=True),
            changed_by_id=user_id,
        )
    )
    person.name, person.role = name, role or None
    person.phone, person.email = phone or None, email or None
    session.flush()
    return person


def _specialist(session: Session, user: User, specialist_id: int) -> User:
    specialist = session.get(User, specialist_id)
    if (
        specialist is None
        or specialist.role != "specialist"
        or specialist.program_id != user.program_id
        or (user.role == "specialist" and specialist.id != user.id)
    ):
        raise DomainError(_l("Choose an employment specialist of your programme."), "specialist_id")
    return specialist


def _employer(session: Session, data: ContactInput) -> Employer:
    if data.new_employer:
        same = session.scalar(
            select(Employer).where(func.lower(Employer.name) == data.new_employer.lower()).limit(1)
        )
        return same or employer_create(session, name=data.new_employer, org_number=None, industry=None)
    employer = session.scalar(select(Employer).where(Employer.ref == (data.employer_ref or "")))
    if employer is None:
        raise DomainError(_l("Choose an employer."), "employer")
    return employer


def _clients(session: Session, user: User, refs: tuple[str, ...]) -> list[Client]:
    wanted = set(refs)
    if not wanted:
        return []
    found = list(session.scalars(scoped_clients(user).where(Client.ref.in_(wanted)).order_by(Client.ref)))
    if len(found) != len(wanted):
        raise DomainError(_l("Choose clients from your caseload."), "client_refs")
    return found


def _job_type(session: Session, program_id: int, code: str | None, current: str | None) -> str | None:
    if not code or code == current:
        return code or None
    known = select(JobType.id).where(JobType.program_id == program_id, JobType.code == code)
    if session.scalar(known.limit(1)) is None:
        raise DomainError(_l("Choose a job type of the programme's list."), "job_type")
    return code


def _fill(session: Session, user: User, contact: EmployerContact, data: ContactInput) -> list[Client]:
    if data.mode not in EMPLOYER_CONTACT_MODES:
        raise DomainError(_l("Choose a mode."), "mode")
    if data.minutes < 0:
        raise DomainError(_l("Minutes cannot be negative."), "minutes")
    # Every read comes before the first change, so that autoflush writes the record once.
    clients = _clients(session, user, data.client_refs)
    specialist = _specialist(session, user, data.specialist_id)
    job_type = _job_type(session, user.program_id, data.job_type, contact.job_type)
    employer = _employer(session, data)
    contact.specialist_id, contact.employer_id, contact.job_type = specialist.id, employer.id, job_type
    contact.contact_date, contact.mode, contact.minutes = data.contact_date, data.mode, data.minutes
    contact.purpose, contact.outcome = data.purpose or None, data.outcome or None
    contact.next_step = data.next_step or None
    contact.person_name = data.person_name or None
    return clients


def employer_contact_record(session: Session, *, user: User, data: ContactInput) -> EmployerContact:
    """Log an employer contact, generic or for clients in ``user``'s scope; audited per client."""
    contact = EmployerContact()
    contact.clients = _fill(session, user, contact, data)
    contact.ref = next_ref(session, EmployerContact)
    session.add(contact)
    session.flush()
    for client in contact.clients:
        audit(session, action="create", client_id=client.id, target=contact.ref, user_id=user.id)
    return contact


def employer_contact_update(
    session: Session, *, user: User, contact: EmployerContact, version: int | None, data: ContactInput
) -> EmployerContact:
    """Correct an employer contact, keeping the previous state; links to clients outside
    ``user``'s scope are kept as they were. Audited per client linked before or after."""
    check_version(contact, version)
    before = list(contact.clients)
    linked = scoped_clients(user).where(Client.id.in_([c.id for c in before]))
    visible = set(session.scalars(linked.with_only_columns(Client.id)))
    hidden = [c for c in before if c.id not in visible]
    keep_revision(session, contact, user_id=user.id)
    chosen = _fill(session, user, contact, data)
    contact.clients = sorted({c.id: c for c in hidden + chosen}.values(), key=lambda c: c.ref)
    contact.updated_at = utcnow()  # every save is a new version, even one that only changes the clients
    _flush_versioned(session)
    for client in {c.id: c for c in before + contact.clients}.values():
        audit(session, action="update", client_id=client.id, target=contact.ref, user_id=user.id)
    return contact


def week_review_mark(
    session: Session, *, reviewer: User, specialist: User, monday: date, today: date, notes: str | None
) -> WeeklyReview:
    """A programme supervisor marks one specialist's week of the log as reviewed."""
    if reviewer.role != "supervisor" or reviewer.program_id != specialist.program_id:
        raise DomainError(_l("Only a supervisor of the specialist's programme can review this week."))
    if specialist.role != "specialist" or monday_of(monday) != monday or monday > today:
        raise DomainError(_l("Only a week that has started can be reviewed."))
    review = voided_twin(session, WeeklyReview, specialist_id=specialist.id, week_start=monday)
    if review is not None:  # a void review holds the week: it is the week's review again
        revive(session, review, user_id=reviewer.id)
        review.reviewer_id, review.reviewed_on, review.notes = reviewer.id, today, notes or None
        flush_or_conflict(session)
        return review
    review = WeeklyReview(
        specialist_id=specialist.id,
        week_start=monday,
        reviewer_id=reviewer.id,
        reviewed_on=today,
        notes=notes or None,
    )
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError as err:
        raise DomainError(_l("This week has been reviewed already.")) from err
    return review
