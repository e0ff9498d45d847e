"""Writes about client contacts. Services add and flush; the caller commits.

An outreach attempt is logged like any contact (purpose ``outreach``) and never closes a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.clients.services import referral_date_check
from caseload.contacts.models import ClientContact
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import CLIENT_CONTACT_MODES, LOCATIONS, PURPOSES
from caseload.writes import DomainError, check_version, client_record_add, client_record_correct

STAFF_ROLES = ("specialist", "supervisor", "clinician")


@dataclass(frozen=True, slots=True)
class ContactFields:
    """What the contact form says about one contact."""

    contact_date: date
    staff_id: int
    mode: str
    location: str
    minutes: int
    purpose: str
    notes: str | None


def staff_choices(session: Session, program_id: int) -> list[tuple[int, str]]:
    """The programme's active staff who may make client contacts."""
    stmt = select(User.id, User.name).where(
        User.program_id == program_id, User.active, User.role.in_(STAFF_ROLES)
    )
    return [(i, n) for i, n in session.execute(stmt.order_by(User.name, User.id))]


def _check(session: Session, client: Client, fields: ContactFields) -> None:
    codes = ((fields.mode, CLIENT_CONTACT_MODES, "mode"), (fields.location, LOCATIONS, "location"))
    for value, allowed, name in (*codes, (fields.purpose, PURPOSES, "purpose")):
        if value not in allowed:
            raise DomainError(_l("Choose one of the options."), name)
    if fields.mode == "face_to_face" and fields.location == "remote":
        raise DomainError(_l("A face-to-face contact happens somewhere: choose where."), "location")
    if fields.staff_id not in dict(staff_choices(session, client.program_id)):
        raise DomainError(_l("Choose a member of the programme's staff."), "staff_id")
    referral_date_check(client, fields.contact_date, "contact_date")


def client_contact_record(
    session: Session, *, client: Client, fields: ContactFields, user_id: int
) -> ClientContact:
    """Log a contact with the client (an outreach attempt too)."""
    _check(session, client, fields)
    return client_record_add(session, ClientContact, client_id=client.id, fields=fields, user_id=user_id)


def client_contact_update(
    session: Session,
    *,
    contact: ClientContact,
    client: Client,
    fields: ContactFields,
    version: int | None,
    user_id: int,
) -> ClientContact:
    """Correct a contact; the state before is kept as a revision."""
    check_version(contact, version)
    _check(session, client, fields)
    return client_record_correct(session, contact, client_id=client.id, fields=fields, user_id=user_id)
