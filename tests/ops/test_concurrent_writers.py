"""Eight writer processes on one SQLite file for 30 s: 0 "database is locked" errors.

The app uses WAL, a 30 s busy timeout and BEGIN IMMEDIATE (caseload/db.py), so writers queue
instead of failing. Duration: CASELOAD_WRITERS_SECONDS (30, as in CI); writers: CASELOAD_WRITERS (8).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from caseload import create_app
from caseload.extensions import db
from tests import factories
from tests.ops import server

SECONDS = float(os.environ.get("CASELOAD_WRITERS_SECONDS", "30"))
WRITERS = int(os.environ.get("CASELOAD_WRITERS", "8"))


def _specialists(url: str, count: int) -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": server.SECRET})
    with app.app_context():
        emails = [factories.user(db.session, "specialist").email for _ in range(count)]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


@pytest.mark.slow
def test_eight_concurrent_writers_never_see_database_is_locked(tmp_path):
    path = tmp_path / "writers.db"
    url, first = server.prepared_database(path)
    emails = [first, *_specialists(url, WRITERS - 1)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.ops.writer", url, email, str(SECONDS)],
            cwd=server.ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for email in emails
    ]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        for proc in procs:  # all start together
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [
            json.loads(proc.communicate(timeout=SECONDS + 120)[0].strip().splitlines()[-1]) for proc in procs
        ]
    finally:
        for proc in procs:
            proc.kill()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        referrals = conn.execute("SELECT count(*) FROM referrals").fetchone()[0]
    locked, requests = sum(r["locked"] for r in results), sum(r["requests"] for r in results)
    print(
        f"\nwriters: {len(results)} processes for {SECONDS:g} s, {requests} requests,"
        f" {sum(r['writes'] for r in results)} acknowledged writes, {referrals} referrals stored,"
        f" {locked} 'database is locked', {sum(len(r['errors']) for r in results)} other errors"
    )
    assert locked == 0
    assert not [e for r in results for e in r["errors"]]
    assert all(r["writes"] > 0 for r in results)
