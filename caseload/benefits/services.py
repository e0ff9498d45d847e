"""Writes about benefits counselling sessions. Services add and flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.clients.services import referral_date_check
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import BENEFITS_KINDS
from caseload.writes import DomainError, check_version, client_record_add, client_record_correct


@dataclass(frozen=True, slots=True)
class SessionFields:
    """What the counselling form says about one session."""

    session_date: date
    kind: str
    planner_name: str | None
    trained_planner: bool
    notes: str | None


def _check(client: Client, fields: SessionFields) -> None:
    if fields.kind not in BENEFITS_KINDS:
        raise DomainError(_l("Choose a kind of session."), "kind")
    referral_date_check(client, fields.session_date, "session_date")


def benefits_session_record(
    session: Session, *, client: Client, fields: SessionFields, user_id: int
) -> BenefitsSession:
    """Record a benefits counselling session."""
    _check(client, fields)
    return client_record_add(session, BenefitsSession, client_id=client.id, fields=fields, user_id=user_id)


def benefits_session_update(
    session: Session,
    *,
    record: BenefitsSession,
    client: Client,
    fields: SessionFields,
    version: int | None,
    user_id: int,
) -> BenefitsSession:
    """Correct a session; the state before is kept as a revision."""
    check_version(record, version)
    _check(client, fields)
    return client_record_correct(session, record, client_id=client.id, fields=fields, user_id=user_id)
