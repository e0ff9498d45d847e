"""Fixtures: app, db, client, runner, login_as(role), and a live server for browser tests.

The database is real: SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set.
The schema comes from the migrations; each test starts from empty tables.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from caseload import create_app
from caseload.db import utcnow
from caseload.extensions import db as _db
from caseload.security.throttle import limiter
from tests import factories
from tests.security.logcheck import no_canary_in_logs  # noqa: F401 - autouse: no health data in logs

# The tests' date.today() is the programme's today (the app's default time zone, Europe/Oslo): on a
# UTC machine the two differ between 23:00 and midnight UTC, and date-bound tests would fail then.
os.environ["TZ"] = "Europe/Oslo"
time.tzset()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite in a temporary file, or TEST_DATABASE_URL; one database per xdist worker."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _key_folder(tmp_path_factory) -> str:
    """One key folder for every app and server process of the run (they share the database)."""
    folder = str(tmp_path_factory.mktemp("keys"))
    os.environ["CASELOAD_KEYS_DIR"] = folder
    # Apps of their own (and `restore`) anchor here, not in the source tree's instance folder; the
    # ``app`` fixture gives each test a file of its own.
    os.environ["CASELOAD_AUDIT_ANCHORS"] = str(Path(folder) / "audit-anchors")
    return folder


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "SERVER_NAME": None,
        }
    )

    def _forget_previous_requests_user() -> None:
        # Test requests share the test's app context, so g would carry the last request's user.
        g.pop("_login_user", None)

    # First of all before-request hooks, so the session timeouts see this request's user.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_requests_user)

    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(app.root_path + "/../migrations"))
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(_app, tmp_path) -> Iterator:
    # Each test's audit chain starts empty, and so does the file of its anchors.
    _app.config["CASELOAD_AUDIT_ANCHORS"] = str(tmp_path / "audit-anchors")
    with _app.app_context():
        yield _app
        _db.session.remove()
        _empty_tables()
    limiter.reset()  # sign-in throttling counts start afresh in each test


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app, client, db):
    """Sign the test client in as a new person of ``role`` (or as ``user``); returns the person."""

    def _login(role: str | None = None, *, user=None, **kwargs):
        if user is None:
            user = factories.user(db.session, role=role or "specialist", **kwargs)
            db.session.commit()
        now = utcnow().timestamp()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["login_at"] = sess["seen_at"] = now
        return user

    return _login


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 in a thread, against the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
