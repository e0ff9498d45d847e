"""The audit log: every view of a client is recorded, chained, verifiable and listable."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import AuditEvent
from tests import factories


def _client_seen_by_two(db, login_as, client):
    spec = factories.user(db.session, "specialist")
    sup = factories.user(db.session, "supervisor")
    c = factories.client(db.session, spec, name="Hege Berge")
    db.session.commit()
    login_as(user=spec)
    assert client.get(f"/clients/{c.ref}").status_code == 200
    login_as(user=sup)
    assert client.get(f"/clients/{c.ref}").status_code == 200
    return c, spec, sup


def test_viewing_a_client_writes_an_audit_event(client, db, login_as):
    c, spec, sup = _client_seen_by_two(db, login_as, client)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.client_id == c.id)).all()
    assert [(e.user_id, e.action) for e in events] == [(spec.id, "view"), (sup.id, "view")]
    assert all("Hege" not in (e.target or "") for e in events)


def test_audit_verify_passes_on_an_intact_chain(client, db, login_as, runner):
    _client_seen_by_two(db, login_as, client)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_audit_verify_detects_a_modified_event(client, db, login_as, runner):
    _client_seen_by_two(db, login_as, client)
    first = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id))
    db.session.execute(update(AuditEvent).where(AuditEvent.id == first).values(action="export"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and "modified" in result.output


def test_audit_verify_detects_a_deleted_event(client, db, login_as, runner):
    _client_seen_by_two(db, login_as, client)
    first = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id))
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == first))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and "removed or inserted" in result.output


def test_supervisor_lists_who_accessed_a_client(client, db, login_as):
    c, spec, sup = _client_seen_by_two(db, login_as, client)
    page = client.get(f"/clients/{c.ref}/access").get_data(as_text=True)
    assert spec.name in page and sup.name in page


def test_specialist_cannot_open_the_access_list(client, db, login_as):
    c, spec, _ = _client_seen_by_two(db, login_as, client)
    login_as(user=spec)
    assert client.get(f"/clients/{c.ref}/access").status_code == 404


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_events_join_the_chain_in_order_when_the_transaction_commits(db, runner):
    audit(db.session, action="view", target="C-000001")
    audit(db.session, action="update", target="C-000001")
    assert _actions(db) == []  # recorded, not yet appended
    db.session.commit()
    assert _actions(db) == ["view", "update"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_rolled_back_transaction_or_savepoint_leaves_no_event(db):
    audit(db.session, action="view")
    db.session.rollback()
    audit(db.session, action="read")
    try:
        with db.session.begin_nested():
            audit(db.session, action="create")
            raise ValueError("the write failed")
    except ValueError:
        pass
    with db.session.begin_nested():
        audit(db.session, action="update")
    db.session.commit()
    assert _actions(db) == ["read", "update"]


def test_the_chain_lock_is_held_only_while_committing(db, app):
    """Another worker can append to the chain while this request is still rendering its page."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises whole write transactions (BEGIN IMMEDIATE); the lock is PostgreSQL's")
    db.session.execute(select(AuditEvent.id).limit(1))
    audit(db.session, action="view")  # this request has recorded its read and goes on rendering
    with Session(db.engine) as other:
        other.execute(text("SET lock_timeout = '2s'"))
        audit(other, action="update")
        other.commit()  # would time out if the first request held the chain's lock
    db.session.commit()
    assert _actions(db) == ["update", "view"]
