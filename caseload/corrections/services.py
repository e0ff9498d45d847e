"""Voiding a record with a reason, and moving a record to the client it belongs to.

Both keep the record's state before as a revision and are audited (a move on both clients).
Services add and flush; the caller commits and refreshes the prompts of the clients concerned.
Layer: above the record features (clients, contacts, employers, jobs, benefits, outcomes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import AuditEvent, User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import INCLUDE_VOIDED, utcnow
from caseload.employers.models import EmployerContact, WeeklyReview, employer_contact_clients
from caseload.jobs.models import Job, JobHours
from caseload.l10n import lazy_gettext as _l
from caseload.outcomes.models import OutcomeMeasure
from caseload.prompts.models import Prompt
from caseload.writes import DomainError, check_version, flush_or_conflict, keep_revision

REASON_MAX = 1000
# The records of one client, by the prefix of their refs; an employer contact is one of the
# client's when it names the client among others.
CLIENT_RECORDS: dict[str, type] = {
    m.REF_PREFIX: m for m in (ClientContact, Job, BenefitsSession, OutcomeMeasure, EmployerContact)
}
# The records that belong to one client alone and can be moved to another.
MOVABLE = (ClientContact, Job, BenefitsSession, OutcomeMeasure, EmployerContact)


def client_record(session: Session, client: Client, record_ref: str):
    """The record ``record_ref`` of ``client`` (voided ones too), or None."""
    model: Any = CLIENT_RECORDS.get(record_ref.split("-", 1)[0])
    if model is None:
        return None
    stmt: Select = select(model).where(model.ref == record_ref)
    if model is EmployerContact:
        link = employer_contact_clients.c
        stmt = stmt.join(employer_contact_clients, link.employer_contact_id == EmployerContact.id).where(
            link.client_id == client.id
        )
    else:
        stmt = stmt.where(model.client_id == client.id)
    return session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def employer_contact(session: Session, ref: str) -> EmployerContact | None:
    """The employer contact ``ref`` (voided too), or None."""
    stmt = select(EmployerContact).where(EmployerContact.ref == ref)
    return session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def referral_for_void(session: Session, ref: str, program_id: int) -> Referral | None:
    """The programme's referral ``ref`` (voided too), or None."""
    stmt = select(Referral).where(Referral.ref == ref, Referral.program_id == program_id)
    return session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def weekly_review(session: Session, specialist_id: int, monday: date) -> WeeklyReview | None:
    """The review of ``specialist_id``'s log for the week of ``monday`` (voided too), or None."""
    stmt = select(WeeklyReview).where(
        WeeklyReview.specialist_id == specialist_id, WeeklyReview.week_start == monday
    )
    return session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def job_hours_record(session: Session, job: Job, effective_from: date) -> JobHours | None:
    """The hours change of ``job`` from ``effective_from`` (voided too), or None."""
    stmt = select(JobHours).where(JobHours.job_id == job.id, JobHours.effective_from == effective_from)
    return session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def _ref(record) -> str:
    """The ref the audit log names a record by (a weekly review: its specialist and week)."""
    if isinstance(record, WeeklyReview):
        return f"review {record.specialist_id} {record.week_start.isoformat()}"
    return record.job.ref if isinstance(record, JobHours) else record.ref


def maker_id(session: Session, record, client: Client | None) -> int | None:
    """Who made ``record``: the staff member it names, else who created it (audit log), else, for
    an imported record, the specialist who holds the client."""
    named = getattr(record, "staff_id", None) or getattr(record, "specialist_id", None)
    if named:
        return named
    stmt = (
        select(AuditEvent.user_id)
        .where(AuditEvent.action == "create", AuditEvent.target == _ref(record))
        .order_by(AuditEvent.id)
        .limit(1)
    )
    return session.scalar(stmt) or (client.specialist_id if client else None)


def may_correct(session: Session, user: User, record, client: Client | None) -> bool:
    """The person who made the record, or a supervisor (the client being in their scope)."""
    return user.role == "supervisor" or user.id == maker_id(session, record, client)


def record_void(
    session: Session,
    *,
    record: Any,
    clients: list[Client],
    reason: str,
    version: int | None,
    on: date,
    user_id: int,
) -> None:
    """Void ``record`` with a reason: it is kept, shown struck through and counts nowhere; audited
    on each of ``clients`` (the clients it is about; none for a generic employer contact)."""
    if record.voided_on is not None:
        raise DomainError(_l("This record is void already."))
    if isinstance(record, Referral) and record.client_id is not None:
        raise DomainError(_l("The referral was accepted: correct or close the client's record instead."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the record is void."), "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("At most %(n)d characters.", n=REASON_MAX), "reason")
    if hasattr(record, "version"):
        check_version(record, version)
    keep_revision(session, record, user_id=user_id)
    record.voided_on, record.void_reason, record.voided_by_id = on, reason, user_id
    if hasattr(record, "ref"):
        # the prompts it satisfied are open again; the caller's refresh closes those that another
        # record satisfies, and the next sweep voids those whose instance is gone
        reopen = update(Prompt).where(Prompt.satisfied_by == record.ref, Prompt.status == "done")
        session.execute(reopen.values(status="open", satisfied_by=None, closed_at=None))
    flush_or_conflict(session)
    client_ids: list[int | None] = [c.id for c in clients]
    for client_id in client_ids or [None]:
        audit(session, action="void", client_id=client_id, target=_ref(record), user_id=user_id)


def _first_day(client: Client) -> date:
    return client.referral_date or client.entry_date


def _record_day(record) -> date:
    for name in ("contact_date", "start_date", "session_date", "measured_on"):
        if hasattr(record, name):
            return getattr(record, name)
    raise TypeError(record)


def record_move(
    session: Session,
    *,
    record,
    source: Client,
    target: Client,
    version: int | None,
    user_id: int,
) -> None:
    """Move a record made on the wrong client to the right one (an employer contact: replace the
    client among those it names); audited on both clients."""
    if target.id == source.id:
        raise DomainError(_l("Choose another client."), "target")
    if target.program_id != source.program_id:
        raise DomainError(_l("Choose a client of the same programme."), "target")
    if _record_day(record) < _first_day(target):
        raise DomainError(_l("The client was referred on %(d)s.", d=_first_day(target)), "target")
    check_version(record, version)
    keep_revision(session, record, user_id=user_id)
    if isinstance(record, EmployerContact):
        if target in record.clients:
            raise DomainError(_l("The contact names this client already."), "target")
        record.clients = [target if c.id == source.id else c for c in record.clients]
        record.updated_at = utcnow()  # the links are no column: this bumps the version
    else:
        record.client_id = target.id
    if isinstance(record, Job):  # a job's prompts go with it (the sweep keys them by the job)
        session.execute(update(Prompt).where(Prompt.job_id == record.id).values(client_id=target.id))
    flush_or_conflict(session)
    for client in (source, target):
        audit(session, action="move", client_id=client.id, target=record.ref, user_id=user_id)
