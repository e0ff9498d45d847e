"""Writes about benefits counselling sessions. Services add and flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.db import next_ref
from caseload.metrics.codes import BENEFITS_KINDS
from caseload.writes import DomainError, added_audited, check_version, keep_revision, saved_audited


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
    first = client.referral_date or client.entry_date
    if fields.session_date < first:
        raise DomainError(_l("The client was referred on %(d)s.", d=first), "session_date")


def _apply(record: BenefitsSession, fields: SessionFields) -> None:
    record.session_date, record.kind = fields.session_date, fields.kind
    record.planner_name, record.trained_planner = fields.planner_name or None, fields.trained_planner
    record.notes = fields.notes or None


def benefits_session_record(
    session: Session, *, client: Client, fields: SessionFields, user_id: int
) -> BenefitsSession:
    """Record a benefits counselling session."""
    _check(client, fields)
    record = BenefitsSession(ref=next_ref(session, BenefitsSession), client_id=client.id)
    _apply(record, fields)
    return added_audited(session, record, client_id=client.id, user_id=user_id)


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
    keep_revision(session, record, user_id=user_id)
    _apply(record, fields)
    return saved_audited(session, record, client_id=client.id, user_id=user_id)
