"""Apps configured as deployed: behind a TLS proxy, and with CSRF protection on.

They share the suite's database with the ``app`` fixture. SQLite: before a request to one of
them, commit the test's own session (``db.session.commit()``) so it holds no lock.
"""

from __future__ import annotations

import pytest

from caseload import create_app
from caseload.extensions import db as _db
from tests.security.logcheck import no_canary_in_logs  # noqa: F401 - autouse

SECRET = "test-secret-key-" + "x" * 32


def _second_app(database_url: str, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, **config})


@pytest.fixture(scope="session")
def _proxied_app(database_url, _app):
    app = _second_app(database_url, WTF_CSRF_ENABLED=False, CASELOAD_PROXY=True)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def _csrf_app(database_url, _app):
    app = _second_app(database_url, WTF_CSRF_ENABLED=True, TESTING=True)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def proxied_app(app, _proxied_app):
    """The app behind a TLS-terminating reverse proxy (CASELOAD_PROXY=1)."""
    return _proxied_app


@pytest.fixture
def csrf_app(app, _csrf_app):
    """The app with CSRF protection on, as in production."""
    return _csrf_app
