"""Scratch databases of the kind under test (SQLite files, or PostgreSQL databases made and dropped)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.security.logcheck import no_canary_in_logs  # noqa: F401 - autouse


@pytest.fixture
def scratch_url(tmp_path):
    """A function that returns the URL of a new, empty database each time it is called."""
    made: list[str] = []
    base = os.environ.get("TEST_DATABASE_URL")

    def new() -> str:
        if not base:
            made.append("sqlite")
            return f"sqlite:///{tmp_path}/scratch_{len(made)}.db"
        name = f"ops_{uuid.uuid4().hex[:10]}"
        admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        made.append(name)
        return make_url(base).set(database=name).render_as_string(hide_password=False)

    yield new
    if base:
        admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
