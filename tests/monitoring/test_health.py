"""/healthz and /readyz: no sign-in, no client data; /readyz says whether the app can serve."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from caseload import create_app
from caseload.db import utcnow
from caseload.extensions import db as _db
from caseload.monitoring.checks import heartbeat_state
from caseload.prompts.scheduler import heartbeat
from caseload.security.throttle import limiter
from tests import factories
from tests.mailserver import free_port

ALL_OK = {"database": "ok", "migrations": "ok", "scheduler": "ok"}


@pytest.fixture
def own_app(app):
    """Builds an app of its own (another database URL); the tests' shared state is restored."""
    saved_limiter = dict(vars(limiter))
    built = []

    def build(url: str):
        other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        built.append(other)
        return other

    yield build
    for other in built:
        with other.app_context():
            _db.engine.dispose()
    vars(limiter).clear()
    vars(limiter).update(saved_limiter)


def beat(minutes_ago: int = 0) -> None:
    heartbeat(_db.session, utcnow() - timedelta(minutes=minutes_ago))
    _db.session.commit()


def test_healthz_answers_without_sign_in_and_without_the_database(own_app, tmp_path):
    gone = own_app(f"sqlite:///{tmp_path}/no-such-folder/caseload.db")
    answer = gone.test_client().get("/healthz")
    assert (answer.status_code, answer.json) == (200, {"status": "ok"})
    assert "Set-Cookie" not in answer.headers and answer.headers["Cache-Control"] == "no-store"


def test_readyz_is_200_with_every_check_ok_and_no_client_data(db, client):
    spec = factories.user(db.session, role="specialist")
    factories.client(db.session, spec, name="Kari Nordmann")
    beat()
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ready", "checks": ALL_OK}
    assert "Set-Cookie" not in answer.headers
    assert "Kari" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(("minutes_ago", "state"), [(None, "never"), (30, "stale")])
def test_readyz_is_503_when_the_scheduler_is_silent(db, client, minutes_ago, state):
    if minutes_ago is not None:
        beat(minutes_ago)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"] == ALL_OK | {"scheduler": state}


def test_readyz_is_503_when_the_schema_is_not_at_the_migrations_head(db, client):
    beat()
    head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    db.session.commit()
    try:
        answer = client.get("/readyz")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.session.commit()
    assert answer.status_code == 503
    assert answer.json["checks"] == ALL_OK | {"migrations": "not at head"}


def test_the_heartbeat_is_fresh_for_five_minutes():
    now = utcnow()
    assert heartbeat_state(now - timedelta(minutes=5), now) == "ok"
    assert heartbeat_state(now - timedelta(minutes=5, seconds=1), now) == "stale"


def test_readyz_is_503_while_the_database_is_unreachable_and_200_when_it_is_back(
    db, own_app, database_url, tmp_path
):
    """SQLite: the database's folder is missing, then made and migrated. PostgreSQL: nothing listens
    on the port, and the database does not exist; then it is created and migrated."""
    base = make_url(database_url)
    if base.get_backend_name() == "postgresql":
        closed = own_app(base.set(port=free_port()).render_as_string(hide_password=False))
        answer = closed.test_client().get("/readyz")
        assert (answer.status_code, answer.json["checks"]["database"]) == (503, "unreachable")
        later = base.set(database=f"{base.database}_readyz_{uuid.uuid4().hex[:8]}")
    else:
        later = make_url(f"sqlite:///{tmp_path}/later/caseload.db")
    other = own_app(later.render_as_string(hide_password=False))
    answer = other.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {
        "status": "not ready",
        "checks": {"database": "unreachable", "migrations": "unknown", "scheduler": "unknown"},
    }
    try:
        _create(later, tmp_path)
        with other.app_context():
            upgrade(directory=str(other.root_path + "/../migrations"))
            beat()
        answer = other.test_client().get("/readyz")
        assert (answer.status_code, answer.json["checks"]) == (200, ALL_OK)
    finally:
        with other.app_context():
            _db.engine.dispose()
        _drop(later)


def _create(url, tmp_path) -> None:
    if url.get_backend_name() != "postgresql":
        (tmp_path / "later").mkdir()
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def _drop(url) -> None:
    if url.get_backend_name() != "postgresql":
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
    admin.dispose()
