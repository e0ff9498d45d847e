"""The audit log of a bulk import or export: one event per client, appended in one go.

The events are chained exactly as ``caseload.auth.audit.audit`` chains them (same lock, same
digest); appending thousands of them one by one would cost a query and a flush each.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseload.auth.audit import _LOCK_KEY, GENESIS, _digest
from caseload.auth.models import AuditEvent
from caseload.clients.models import Client
from caseload.db import utcnow
from caseload.exchange.bulk import insert_rows
from caseload.exchange.queries import ids_by_key


def audit_clients(session: Session, *, refs: Iterable[str], action: str, user_id: int | None) -> None:
    """Append one audit event per client named in ``refs`` (``target`` = the client's ref)."""
    ids = ids_by_key(session, Client.__table__, "ref", refs)
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    session.flush()
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = prev or GENESIS
    events = []
    for ref in sorted(ids):
        at = utcnow()
        digest = _digest(prev, at, user_id, action, ids[ref], ref)
        events.append(
            {"at": at, "user_id": user_id, "action": action, "client_id": ids[ref]}
            | {"target": ref, "prev_hash": prev, "hash": digest}
        )
        prev = digest
    insert_rows(session, AuditEvent.__table__, events)
