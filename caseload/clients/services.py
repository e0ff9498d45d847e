"""Writes about referrals and clients. Services add and flush; the caller commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import CLOSURE_REASONS
from caseload.writes import DomainError, added_under_ref, keep_revision


def referral_date_check(client: Client, day: date, field: str) -> None:
    """Refuse a record of the client's dated before the client was referred (entered, without a
    referral date); ``field`` names the date's form field."""
    first = client.referral_date or client.entry_date
    if day < first:
        raise DomainError(_l("The client was referred on %(d)s.", d=first), field)


def referral_record(
    session: Session,
    *,
    program_id: int,
    received_on: date,
    source: str | None,
    person_name: str | None,
    user_id: int,
) -> Referral:
    """Record a referral as received (decision pending); audited as the user's write (no client yet)."""
    referral = Referral(
        program_id=program_id,
        received_on=received_on,
        source=source or None,
        person_name=person_name or None,
        decision="pending",
    )
    added_under_ref(session, referral)
    audit(session, action="create", target=referral.ref, user_id=user_id)
    return referral


def referral_accept(
    session: Session,
    *,
    referral: Referral,
    name: str,
    specialist: User,
    team_id: int | None,
    entry_date: date,
    status_at_entry: str,
    birth_date: date | None,
    user_id: int,
) -> Client:
    """Accept a referral: the person becomes a client on the specialist's caseload."""
    if referral.decision != "pending":
        raise DomainError(_l("This referral has been decided already."))
    if entry_date < referral.received_on:
        raise DomainError(_l("The entry date cannot be before the referral was received."), "entry_date")
    client = Client(
        program_id=referral.program_id,
        name=name,
        birth_date=birth_date,
        specialist_id=specialist.id,
        treatment_team_id=team_id,
        referral_date=referral.received_on,
        entry_date=entry_date,
        status_at_entry=status_at_entry,
    )
    added_under_ref(session, client)
    referral.decision, referral.client_id = "accepted", client.id
    audit(session, action="create", client_id=client.id, target=referral.ref, user_id=user_id)
    return client


def referral_decline(
    session: Session, *, referral: Referral, decision: str, reason: str, user_id: int
) -> None:
    """Decline or mark withdrawn; the reason is kept (fidelity O6). Audited with the referral's ref."""
    if referral.decision != "pending":
        raise DomainError(_l("This referral has been decided already."))
    if decision not in ("declined", "withdrawn"):
        raise DomainError(_l("Choose declined or withdrawn."), "decision")
    referral.decision, referral.reason = decision, reason
    session.flush()
    audit(session, action=decision, target=referral.ref, user_id=user_id)


def client_close(session: Session, *, client: Client, closed_on: date, reason: str, user_id: int) -> None:
    """Close a client with a closure code (never for missed appointments)."""
    if client.closed_on is not None:
        raise DomainError(_l("The client is closed already."))
    if reason not in CLOSURE_REASONS:
        raise DomainError(_l("Choose a closure reason."), "reason")
    if closed_on < client.entry_date:
        raise DomainError(_l("The closing date cannot be before the entry date."), "closed_on")
    keep_revision(session, client, user_id=user_id)
    client.closed_on, client.closure_reason = closed_on, reason
    audit(session, action="close", client_id=client.id, target=client.ref, user_id=user_id)


def client_reopen(session: Session, *, client: Client, user_id: int) -> None:
    """Reopen a closed client."""
    if client.closed_on is None:
        raise DomainError(_l("The client is not closed."))
    keep_revision(session, client, user_id=user_id)
    client.closed_on, client.closure_reason = None, None
    audit(session, action="reopen", client_id=client.id, target=client.ref, user_id=user_id)


def caseload_reassign(session: Session, *, clients: list[Client], to_specialist: User, user_id: int) -> int:
    """Move clients to another specialist of the same programme; returns how many moved."""
    if to_specialist.role != "specialist" or not to_specialist.active:
        raise DomainError(_l("Choose an active employment specialist."), "specialist_id")
    moved = 0
    for client in clients:
        if client.program_id != to_specialist.program_id:
            raise DomainError(_l("The specialist works in another programme."), "specialist_id")
        if client.specialist_id != to_specialist.id:
            keep_revision(session, client, user_id=user_id)
            client.specialist_id = to_specialist.id
            audit(session, action="reassign", client_id=client.id, target=client.ref, user_id=user_id)
            moved += 1
    session.flush()
    return moved


def active_clients_of(session: Session, specialist_id: int) -> list[Client]:
    """The specialist's open clients."""
    stmt = select(Client).where(Client.specialist_id == specialist_id, Client.closed_on.is_(None))
    return list(session.scalars(stmt))
