"""The upgrade to the keyed chain: an intact plain chain is re-keyed and two-step secrets sealed;
a broken plain chain stops the upgrade (re-keying it would hide the break); downgrade undoes both."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from tests import factories
from tests.test_setup import flask_command, scratch_database_url  # noqa: F401 - a fixture, used by name

BEFORE = "a8dd8b9b18cd"  # the last revision with the plain SHA-256 chain
CLEAR = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
INSERT = "INSERT INTO audit_events (at, action, target, prev_hash, hash) VALUES (:at, 'view', :t, :p, :h)"


@pytest.fixture
def old_database(request) -> str:
    """An empty database of the kind under test (test_setup's scratch database)."""
    return request.getfixturevalue("scratch_database_url")


def _flask(url: str, anchors, *args: str) -> subprocess.CompletedProcess:
    return flask_command(url, *args, env={"CASELOAD_AUDIT_ANCHORS": str(anchors)})


def _plain_chain(conn) -> bool:
    prev = "0" * 64
    for row in conn.execute(
        text("SELECT at, user_id, action, client_id, target, prev_hash, hash FROM audit_events ORDER BY id")
    ):
        stamp = datetime.fromisoformat(str(row.at)).isoformat(timespec="microseconds")
        payload = f"{prev}|{stamp}|{row.user_id}|{row.action}|{row.client_id}|{row.target}"
        if row.prev_hash != prev or row.hash != hashlib.sha256(payload.encode()).hexdigest():
            return False
        prev = row.hash
    return True


def _old_installation(url: str, anchors) -> None:
    """A database at the previous release: a person with a clear two-step secret, 12 events."""
    assert _flask(url, anchors, "db", "upgrade", BEFORE).returncode == 0
    engine = create_engine(url)
    with Session(engine) as session:
        factories.user(session, "admin", email="old@example.test", totp_secret=CLEAR)
        session.commit()
    prev, at = "0" * 64, datetime(2026, 11, 1, 8, 0)
    with engine.begin() as conn:
        for n in range(12):
            at += timedelta(minutes=n)
            stamp = at.isoformat(timespec="microseconds")
            digest = hashlib.sha256(f"{prev}|{stamp}|None|view|None|C-{n:06d}".encode()).hexdigest()
            conn.execute(
                text(INSERT),
                {"at": at, "t": f"C-{n:06d}", "p": prev, "h": digest},
            )
            prev = digest
    engine.dispose()


def _secret(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        secret = conn.scalar(text("SELECT totp_secret FROM users WHERE email = 'old@example.test'"))
    engine.dispose()
    return secret


def test_upgrade_rekeys_an_intact_chain_and_seals_secrets_and_downgrade_undoes_it(old_database, tmp_path):
    url, anchors = old_database, tmp_path / "anchors"
    _old_installation(url, anchors)
    up = _flask(url, anchors, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    verified = _flask(url, anchors, "audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stderr
    sealed = _secret(url)
    assert sealed != CLEAR and len(sealed) == 64

    down = _flask(url, anchors, "db", "downgrade", BEFORE)
    assert down.returncode == 0, down.stderr
    assert _secret(url) == CLEAR
    engine = create_engine(url)
    with engine.connect() as conn:
        assert _plain_chain(conn)
    engine.dispose()


def test_a_broken_plain_chain_stops_the_upgrade_and_changes_nothing(scratch_database_url, tmp_path):  # noqa: F811
    url, anchors = scratch_database_url, tmp_path / "anchors"
    _old_installation(url, anchors)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'export' WHERE target = 'C-000005'"))
    up = _flask(url, anchors, "db", "upgrade")
    assert up.returncode != 0 and "the audit chain is broken at event 6: not re-keyed" in up.stderr
    with engine.connect() as conn:
        assert "shown" not in {c["name"] for c in inspect(conn).get_columns("audit_events")}
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == BEFORE
    engine.dispose()
    assert _secret(url) == CLEAR
