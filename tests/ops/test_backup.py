"""`backup FILE` while the app serves, and `restore FILE` into a new database: every row comes back."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from sqlalchemy import create_engine, select

from caseload import create_app
from caseload.clients.models import Referral
from caseload.extensions import db as _db
from tests import factories
from tests.ops.http_client import Browser
from tests.security import world as W
from tests.security.dbstate import snapshot

SECRET = "test-secret-key-" + "x" * 32


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return snapshot(conn, exclude=())
    finally:
        engine.dispose()


def _referral_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(select(Referral.person_name)))
    finally:
        engine.dispose()


def _cli(url: str, *args: str):
    """Run a command of the app configured for the database at ``url``."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():  # the command would otherwise run in the test's own app context
        try:
            return app.test_cli_runner().invoke(args=list(args))
        finally:
            _db.engine.dispose()


@pytest.fixture
def world(db, database_url) -> tuple[str, str]:
    """(database URL, the owner's e-mail) of a world with a client holding every kind of record."""
    w = W.build(db.session)
    email = w.people["owner"].email
    db.session.commit()
    return database_url, email


def _stream_referrals(base: str, email: str, stop: threading.Event, done: list[str]) -> None:
    browser = Browser(base)
    browser.sign_in(email, factories.PASSWORD)
    while not stop.is_set():
        name = f"Streamed {len(done) + 1}"
        status, _ = browser.post("/referrals/new", {"received_on": "2026-01-05", "person_name": name})
        if status == 302:
            done.append(name)


def test_backup_while_the_app_serves_writes_then_restore_gives_every_row(
    world, live_server, scratch_url, tmp_path
):
    url, email = world
    stop, done = threading.Event(), []
    writer = threading.Thread(target=_stream_referrals, args=(live_server, email, stop, done))
    writer.start()
    try:
        while len(done) < 5 and writer.is_alive():
            stop.wait(0.05)
        started_after = len(done)
        result = _cli(url, "backup", str(tmp_path / "during.backup"))
        acknowledged = len(done)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert started_after >= 5 and acknowledged > started_after, "the writes did not go on during the backup"

    copy = scratch_url()
    assert _cli(copy, "restore", str(tmp_path / "during.backup")).exit_code == 0
    restored, live = _rows(copy), _rows(url)
    assert {f"Streamed {i}" for i in range(1, started_after + 1)} <= _referral_names(copy)
    for table, rows in restored.items():
        if table in ("ref_sequences", "program_quarter_outcomes"):  # the counters went on after the
            continue  # copy (each referral written marks its programme's stored quarter stale)
        if table in ("referrals", "audit_events"):
            assert set(rows) <= set(live[table]), table
        else:
            assert rows == live[table], f"{table} differs after restore"

    assert _cli(url, "backup", str(tmp_path / "after.backup")).exit_code == 0
    second = scratch_url()
    assert _cli(second, "restore", str(tmp_path / "after.backup")).exit_code == 0
    assert _rows(second) == _rows(url)  # every table, row by row


def test_the_backup_file_is_readable_by_its_owner_only(world, tmp_path):
    url, _ = world
    result = _cli(url, "backup", str(tmp_path / "x.backup"))
    assert result.exit_code == 0 and "backup written" in result.output
    assert stat.S_IMODE(os.stat(tmp_path / "x.backup").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["x.backup"]  # no temporary file left


def test_restore_refuses_a_database_with_data_and_replaces_it_when_forced(world, scratch_url, tmp_path):
    url, _ = world
    _cli(url, "backup", str(tmp_path / "a.backup"))
    target = scratch_url()
    assert _cli(target, "restore", str(tmp_path / "a.backup")).exit_code == 0
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(Referral.__table__.update().values(person_name="changed after the backup"))
    engine.dispose()

    refused = _cli(target, "restore", str(tmp_path / "a.backup"))
    assert refused.exit_code != 0 and "not empty" in refused.output and "--force" in refused.output
    assert _referral_names(target) == {"changed after the backup"}
    assert _cli(target, "restore", "--force", str(tmp_path / "a.backup")).exit_code == 0
    assert _rows(target) == _rows(url)


def test_restore_into_a_migrated_empty_database(world, scratch_url, tmp_path):
    url, _ = world
    _cli(url, "backup", str(tmp_path / "a.backup"))
    target = scratch_url()
    assert _cli(target, "db", "upgrade").exit_code == 0
    result = _cli(target, "restore", str(tmp_path / "a.backup"))
    assert result.exit_code == 0, result.output
    assert _rows(target) == _rows(url)


def test_errors_are_one_clear_line(world, scratch_url, tmp_path):
    url, _ = world
    missing_folder = _cli(url, "backup", str(tmp_path / "no" / "such" / "x.backup"))
    assert missing_folder.exit_code != 0 and "no folder" in missing_folder.output
    missing_file = _cli(scratch_url(), "restore", str(tmp_path / "nothing.backup"))
    assert missing_file.exit_code != 0 and "no backup file" in missing_file.output
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database backup" * 100)
    bad = _cli(scratch_url(), "restore", str(junk))
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert len(bad.output.strip().splitlines()) == 1
