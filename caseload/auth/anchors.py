"""Signed checkpoints of the audit chain, appended to a file outside the database.

A checkpoint says how many events the chain held and the last one's hash at a time, signed with
the audit key. ``audit verify`` checks the chain against every checkpoint, so events removed from
the end (truncation) or rewritten since a checkpoint are reported. A restore from a backup appends
a "restore" anchor: the checkpoints taken after the backup counted events that the restore
legitimately removed, and only those are set aside.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from caseload.auth.audit import _LOCK_KEY, GENESIS, audit_verify
from caseload.auth.models import AuditEvent
from caseload.security.keys import AUDIT_KEY, app_key

CHECKPOINT, RESTORE = "checkpoint", "restore"


def anchors_path() -> Path:
    """``CASELOAD_AUDIT_ANCHORS``, else ``audit-anchors`` in the instance folder."""
    configured = current_app.config.get("CASELOAD_AUDIT_ANCHORS")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-anchors"


def _mac(fields: dict) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(app_key(AUDIT_KEY), f"anchor|{body}".encode(), hashlib.sha256).hexdigest()


def anchor_write(session: Session, now: datetime, *, restored_to: datetime | None = None) -> dict:
    """Append a signed checkpoint of the chain as it is now (a restore anchor with ``restored_to``,
    the time of the backup). Reads in one snapshot; the caller ends the transaction."""
    if session.get_bind().dialect.name == "postgresql":  # no event joins the chain meanwhile
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    count, last_id = session.execute(select(func.count(AuditEvent.id), func.max(AuditEvent.id))).one()
    last_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == last_id)) if count else GENESIS
    fields = {"kind": CHECKPOINT, "at": now.isoformat(), "count": count, "last_hash": last_hash}
    if restored_to is not None:
        fields |= {"kind": RESTORE, "restored_to": restored_to.isoformat()}
    record = fields | {"mac": _mac(fields)}
    path = anchors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return record


def _label(record: dict) -> str:
    if record.get("kind") == RESTORE:
        return f"restore anchor of {record['at']} (restored to the state of {record['restored_to']})"
    return f"anchor of {record['at']}"


def anchors_read() -> tuple[dict[int, list[tuple[str, str]]], list[str]]:
    """The checkpoints the chain must match (position -> [(hash, anchor)]) and the anchors' own
    problems (unreadable, or a signature that does not match: edited, or a wrong key)."""
    path = anchors_path()
    checkpoints: dict[int, list[tuple[str, str]]] = {}
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            fields = {k: v for k, v in record.items() if k != "mac"}
            count, last_hash = int(record["count"]), str(record["last_hash"])
            signed = hmac.compare_digest(str(record["mac"]), _mac(fields))
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(f"{path} line {number}: not an anchor")
            continue
        if not signed:
            problems.append(
                f"{path} line {number}: the signature does not match (edited, or a wrong audit key)"
            )
            continue
        if record.get("kind") == RESTORE:  # events after the backup were replaced by the restore
            checkpoints = {p: c for p, c in checkpoints.items() if p <= count}
        checkpoints.setdefault(count, []).append((last_hash, _label(record)))
    return checkpoints, problems


def audit_check(session: Session) -> list[str]:
    """The chain and its anchors: every break, rewrite, truncation and bad anchor (empty: intact).
    The anchors are read first, so an event appended meanwhile is never taken for a rewrite."""
    checkpoints, problems = anchors_read()
    checkpoints.pop(0, None)  # an anchor of the empty chain holds nothing to compare
    return problems + audit_verify(session, checkpoints)
