"""Configuration, the SQLite pragmas, and the migrations on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from caseload import create_app

ROOT = Path(__file__).resolve().parents[1]


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("CASELOAD_TIMEZONE", "America/New_York")
    monkeypatch.setenv("CASELOAD_LANGUAGE", "nb")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.db"
    assert app.config["CASELOAD_TIMEZONE"] == "America/New_York"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nb"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    from caseload.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_postgresql_connections_run_without_jit(db):
    """JIT compilation costs the app's short statements more than it saves (docs/performance.md)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting; this run uses SQLite")
    assert db.session.execute(text("SHOW jit")).scalar() == "off"


@pytest.fixture
def scratch_database_url(tmp_path):
    """An empty database of the kind under test, apart from the suite's own."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    base = make_url(url)
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def flask_command(url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``flask --app app ARGS`` in a child process on the database at ``url`` (and ``env``)."""
    env = {**os.environ, "DATABASE_URL": url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_models_match_migrations_and_downgrade_works(scratch_database_url):
    up = flask_command(scratch_database_url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    check = flask_command(scratch_database_url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    down = flask_command(scratch_database_url, "db", "downgrade", "base")
    assert down.returncode == 0, down.stderr
    engine = create_engine(scratch_database_url)
    with engine.connect() as conn:
        tables = set(engine.dialect.get_table_names(conn))
    engine.dispose()
    assert tables <= {"alembic_version"}
    again = flask_command(scratch_database_url, "db", "upgrade")
    assert again.returncode == 0, again.stderr
