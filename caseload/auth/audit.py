"""Append-only, hash-chained audit log of every read and write of client data."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import current_user
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from caseload.auth.models import AuditEvent
from caseload.db import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_141_001  # PostgreSQL advisory lock that serialises appends to the chain


def _digest(prev: str, at: datetime, user_id, action: str, client_id, target) -> str:
    stamp = at.replace(tzinfo=None).isoformat(timespec="microseconds")
    payload = f"{prev}|{stamp}|{user_id}|{action}|{client_id}|{target}"
    return hashlib.sha256(payload.encode()).hexdigest()


def audit(
    session: Session,
    *,
    action: str,
    client_id: int | None = None,
    target: str | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Append one event (who, when, action, client); ``target`` is a record ref, never health data."""
    if user_id is None and current_user and current_user.is_authenticated:
        user_id = current_user.id
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    at = utcnow()
    event = AuditEvent(
        at=at, user_id=user_id, action=action, client_id=client_id, target=target, prev_hash=prev
    )
    event.hash = _digest(prev, at, user_id, action, client_id, target)
    session.add(event)
    session.flush()
    return event


def audit_verify(session: Session) -> list[str]:
    """Walk the chain; return one message per break (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    for ev in rows:
        if ev.prev_hash != prev:
            problems.append(f"event {ev.id}: previous hash does not match (an event was removed or inserted)")
        expected = _digest(ev.prev_hash, ev.at, ev.user_id, ev.action, ev.client_id, ev.target)
        if ev.hash != expected:
            problems.append(f"event {ev.id}: content does not match its hash (modified)")
        prev = ev.hash
    return problems


def audit_many(session: Session, *, action: str, clients: list[tuple[int, str]], user_id: int | None) -> None:
    """Append one event per ``(client_id, target)`` in one statement (bulk import and export)."""
    if not clients:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    session.flush()
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    rows = []
    for client_id, target in clients:
        at = utcnow()
        digest = _digest(prev, at, user_id, action, client_id, target)
        rows.append(
            {
                "at": at,
                "user_id": user_id,
                "action": action,
                "client_id": client_id,
                "target": target,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    session.execute(insert(AuditEvent), rows)
