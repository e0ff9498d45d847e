"""The keyed audit chain and its anchors: rewrites, truncation and a wrong key are each caught."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from caseload import create_app
from caseload.auth.anchors import anchors_path
from caseload.auth.audit import GENESIS, audit
from caseload.auth.models import AuditEvent
from caseload.extensions import db as _db
from caseload.prompts.scheduler import job_audit_anchor
from tests.prompts.test_digest import smtp  # noqa: F401 - the SMTP server fixture


@pytest.fixture
def events(db) -> list[int]:
    """40 events in the chain, as pages and services write them."""
    for n in range(40):
        audit(db.session, action="view", target=f"C-{n:06d}", user_id=None)
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def _plain_sha256(prev: str, ev: AuditEvent) -> str:
    """The former, unkeyed chain: what anyone can recompute."""
    stamp = ev.at.replace(tzinfo=None).isoformat(timespec="microseconds")
    payload = f"{prev}|{stamp}|{ev.user_id}|{ev.action}|{ev.client_id}|{ev.target}|{ev.shown}"
    return hashlib.sha256(payload.encode()).hexdigest()


def test_an_intact_anchored_chain_verifies(events, runner):
    anchored = runner.invoke(args=["audit", "anchor"])
    assert anchored.exit_code == 0 and "40 events" in anchored.output
    result = _verify(runner)
    assert result.exit_code == 0 and "intact" in result.output


def test_deleting_the_last_25_events_after_an_anchor_is_reported(events, db, runner):
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(events[-25:])))
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code != 0
    assert "the log holds 15 events but the anchor of" in result.output and "counted 40" in result.output


def test_rewriting_an_event_and_recomputing_the_chain_is_reported(events, db, runner):
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[10]).values(target="C-999999"))
    prev = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == events[9]))
    for ev in db.session.scalars(
        select(AuditEvent).where(AuditEvent.id >= events[10]).order_by(AuditEvent.id)
    ):
        ev.prev_hash, ev.hash = prev, _plain_sha256(prev, ev)  # as the attack did: recompute onwards
        prev = ev.hash
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code != 0
    assert f"event {events[10]}: content does not match its hash (modified)" in result.output
    assert f"event {events[-1]} does not match the anchor of" in result.output


def test_a_rewrite_before_any_anchor_is_reported(events, db, runner):
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[3]).values(action="export"))
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code != 0 and f"event {events[3]}: content does not match" in result.output


def test_verify_with_a_wrong_key_is_reported(events, runner, database_url, tmp_path):
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CASELOAD_KEYS_DIR": str(tmp_path / "another-installations-keys"),
            "CASELOAD_AUDIT_ANCHORS": str(anchors_path()),
        }
    )
    with other.app_context():
        try:
            result = other.test_cli_runner().invoke(args=["audit", "verify"])
        finally:
            _db.session.remove()
            _db.engine.dispose()
    assert result.exit_code != 0
    assert "no event matches its hash: the audit key is wrong" in result.output
    assert "line 1: the signature does not match (edited, or a wrong audit key)" in result.output


def test_an_edited_anchor_is_reported(events, runner):
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    path = anchors_path()
    record = json.loads(path.read_text())
    record["count"] = 15  # pretend the log was shorter, to hide a truncation
    path.write_text(json.dumps(record) + "\n")
    result = _verify(runner)
    assert result.exit_code != 0 and "line 1: the signature does not match" in result.output


def test_anchors_are_appended_to_a_private_file(events, db, runner):
    runner.invoke(args=["audit", "anchor"])
    audit(db.session, action="view", target="C-000041")
    db.session.commit()
    runner.invoke(args=["audit", "anchor"])
    path = anchors_path()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["count"] for r in lines] == [40, 41] and lines[1]["kind"] == "checkpoint"
    assert lines[1]["last_hash"] == db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_anchor_of_the_empty_chain_verifies(db, runner):
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    assert json.loads(anchors_path().read_text())["last_hash"] == GENESIS
    assert _verify(runner).exit_code == 0


def test_the_daily_job_writes_the_same_anchor_and_mails_it_to_the_security_contact(
    app,
    events,
    monkeypatch,
    smtp,  # noqa: F811 - the fixture imported above
):
    inbox, port = smtp
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "CASELOAD_SECURITY_CONTACT", "security@hospital.example")
    record = job_audit_anchor(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    assert record["count"] == 40
    assert json.loads(anchors_path().read_text()) == record
    [message] = inbox.messages
    assert message["To"] == "security@hospital.example" and "40 events" in message["Subject"]
    assert json.loads(message.get_payload(decode=True)) == record


def test_without_a_security_contact_the_job_mails_nothing(app, events, monkeypatch, smtp):  # noqa: F811
    inbox, port = smtp
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    job_audit_anchor(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    assert inbox.messages == [] and Path(anchors_path()).exists()
