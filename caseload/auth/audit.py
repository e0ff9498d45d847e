"""Append-only audit log of every read and write of client data, chained with a keyed hash.

Each event's hash is an HMAC-SHA256 (key: the key store's ``audit_key``, kept outside the database
and its backups) over its content and the previous event's hash, so nobody without the key can
rewrite an event and recompute the chain. Truncation is caught by the signed anchors
(``caseload.auth.anchors``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from flask_login import current_user
from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session, scoped_session

from caseload.auth.models import AuditEvent
from caseload.db import utcnow
from caseload.security.keys import AUDIT_KEY, app_key

GENESIS = "0" * 64
_LOCK_KEY = 7_141_001  # PostgreSQL advisory lock that serialises appends to the chain
_PENDING = "audit_pending"
_MARKS = "audit_savepoints"
MAX_LINES = 100  # of modified events listed by audit_verify


def digest(key: bytes, prev: str, at: datetime, user_id, action: str, client_id, target, shown) -> str:
    """The event's keyed hash (``shown``: the refs of the clients a page showed, or None)."""
    stamp = at.replace(tzinfo=None).isoformat(timespec="microseconds")
    payload = f"{prev}|{stamp}|{user_id}|{action}|{client_id}|{target}|{shown}"
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def shown_refs(client_refs: Iterable[str | None]) -> str | None:
    """The clients a page showed, as stored: " C-000003 C-000007 " (padded: " C-000007 " finds one)."""
    refs = sorted({ref for ref in client_refs if ref})
    return f" {' '.join(refs)} " if refs else None


def shown_filter(client_ref: str):
    """WHERE clause: the events of pages that showed the client ``client_ref``."""
    return AuditEvent.shown.contains(f" {client_ref} ", autoescape=True)


def audit(
    session: Session,
    *,
    action: str,
    client_id: int | None = None,
    target: str | None = None,
    user_id: int | None = None,
    shown: Iterable[str | None] = (),
) -> None:
    """Record one event (who, when, action, client); ``target`` is a record ref, never health data;
    ``shown``: the refs of every client a page listed (their access reports find the event).

    The event joins the chain when the session commits (see ``_append_pending``), so the chain's
    lock is held for the commit only, not for the rest of the request."""
    if user_id is None and current_user and current_user.is_authenticated:
        user_id = current_user.id
    _begin(session)
    _pending(session).append((utcnow(), user_id, action, client_id, target, shown_refs(shown)))


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
    key = app_key(AUDIT_KEY)
    rows = []
    for at, user_id, action, client_id, target, shown in pending:
        chained = digest(key, prev, at, user_id, action, client_id, target, shown)
        rows.append(
            {
                "at": at,
                "user_id": user_id,
                "action": action,
                "client_id": client_id,
                "target": target,
                "shown": shown,
                "prev_hash": prev,
                "hash": chained,
            }
        )
        prev = chained
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


def audit_verify(session: Session, checkpoints: dict[int, list[tuple[str, str]]] | None = None) -> list[str]:
    """Walk the chain; return one message per break (empty when intact).

    ``checkpoints``: position (1 = first event) -> [(hash the event there must have, anchor)]."""
    checkpoints = checkpoints or {}
    problems: list[str] = []
    modified: list[str] = []
    key = app_key(AUDIT_KEY)
    prev, count = GENESIS, 0
    columns = (
        *(AuditEvent.id, AuditEvent.at, AuditEvent.user_id, AuditEvent.action, AuditEvent.client_id),
        *(AuditEvent.target, AuditEvent.shown, AuditEvent.prev_hash, AuditEvent.hash),
    )
    rows = session.execute(select(*columns).order_by(AuditEvent.id).execution_options(yield_per=5000))
    for ev_id, at, user_id, action, client_id, target, shown, prev_hash, chained in rows:
        count += 1
        if prev_hash != prev:
            problems.append(f"event {ev_id}: previous hash does not match (an event was removed or inserted)")
        if chained != digest(key, prev_hash, at, user_id, action, client_id, target, shown):
            modified.append(f"event {ev_id}: content does not match its hash (modified)")
        for expected, anchor in checkpoints.get(count, ()):
            if chained != expected:
                problems.append(f"event {ev_id} does not match the {anchor} (the log was rewritten)")
        prev = chained
    if count and len(modified) == count:  # one line, not one per event
        modified = ["no event matches its hash: the audit key is wrong (or every event was rewritten)"]
    problems = modified[:MAX_LINES] + problems
    if len(modified) > MAX_LINES:
        problems.insert(MAX_LINES, f"... and {len(modified) - MAX_LINES} more modified events")
    for position in sorted(p for p in checkpoints if p > count):
        for _, anchor in checkpoints[position]:
            problems.append(
                f"the log holds {count} events but the {anchor} counted {position}: events were removed"
            )
    return problems


def audit_many(session: Session, *, action: str, clients: list[tuple[int, str]], user_id: int | None) -> None:
    """Record one event per ``(client_id, target)`` (bulk import and export)."""
    at = utcnow()
    _begin(session)
    _pending(session).extend((at, user_id, action, client_id, target, None) for client_id, target in clients)
