"""Append-only, hash-chained audit log of every read and write of client data."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import current_user
from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session, scoped_session

from caseload.auth.models import AuditEvent
from caseload.db import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_141_001  # PostgreSQL advisory lock that serialises appends to the chain
_PENDING = "audit_pending"
_MARKS = "audit_savepoints"


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
) -> None:
    """Record one event (who, when, action, client); ``target`` is a record ref, never health data.

    The event joins the chain when the session commits (see ``_append_pending``), so the chain's
    lock is held for the commit only, not for the rest of the request."""
    if user_id is None and current_user and current_user.is_authenticated:
        user_id = current_user.id
    _begin(session)
    _pending(session).append((utcnow(), user_id, action, client_id, target))


def _begin(session: Session | scoped_session) -> None:
    """Start the session's transaction if none is open, so that a rollback before any statement
    drops the recorded events too."""
    real = session() if isinstance(session, scoped_session) else session
    if not real.in_transaction():
        real.begin()


def _pending(session: Session) -> list[tuple]:
    return session.info.setdefault(_PENDING, [])


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    """Chain and insert the session's recorded events, in order, in one statement."""
    if session.in_nested_transaction():
        return  # a savepoint is released: the events wait for the transaction's commit
    session.info.pop(_MARKS, None)
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    rows = []
    for at, user_id, action, client_id, target in pending:
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


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[id(transaction)] = len(_pending(session))


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction) -> None:
    """Events recorded in a rolled-back transaction (or savepoint) leave no trace, as the rows they
    describe leave none."""
    if previous_transaction.nested:
        mark = session.info.get(_MARKS, {}).pop(id(previous_transaction), None)
        if mark is not None:
            del _pending(session)[mark:]
    else:
        session.info.pop(_PENDING, None)
        session.info.pop(_MARKS, None)


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
    """Record one event per ``(client_id, target)`` (bulk import and export)."""
    at = utcnow()
    _begin(session)
    _pending(session).extend((at, user_id, action, client_id, target) for client_id, target in clients)
