"""The readiness checks: each answers ok or says what is wrong in one word, never with an error
text (which could carry a host name, a statement or a value)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from caseload.prompts.queries import last_heartbeat

# The scheduler beats every minute; a few missed beats are a restart, more are an outage.
HEARTBEAT_MAX_AGE = timedelta(minutes=5)


@dataclass(frozen=True)
class Readiness:
    """The state of each check ("ok" or a word saying what is wrong)."""

    database: str
    migrations: str
    scheduler: str

    @property
    def ready(self) -> bool:
        return self.database == self.migrations == self.scheduler == "ok"

    def as_json(self) -> dict:
        checks = {"database": self.database, "migrations": self.migrations, "scheduler": self.scheduler}
        return {"status": "ready" if self.ready else "not ready", "checks": checks}


def heartbeat_state(beat: datetime | None, now: datetime, max_age: timedelta = HEARTBEAT_MAX_AGE) -> str:
    """ "ok" when the scheduler beat within ``max_age`` of ``now`` (both naive UTC)."""
    if beat is None:
        return "never"
    return "ok" if now - beat <= max_age else "stale"


def migration_heads(app: Flask) -> frozenset[str]:
    """The revisions the code's migrations end at (read once per process)."""
    heads = app.extensions.get("caseload_migration_heads")
    if heads is None:
        folder = Path(app.root_path).parent / "migrations"
        heads = app.extensions["caseload_migration_heads"] = frozenset(
            ScriptDirectory(str(folder)).get_heads()
        )
    return heads


def readiness(session: Session, app: Flask, now: datetime) -> Readiness:
    """Database reachable, schema at the code's migration head, scheduler beating. Ends its
    read-only transaction."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        session.rollback()
        return Readiness(database="unreachable", migrations="unknown", scheduler="unknown")
    try:
        applied = frozenset(session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        session.rollback()
        applied = frozenset()
    migrations = "ok" if applied == migration_heads(app) else "not at head"
    try:
        scheduler = heartbeat_state(last_heartbeat(session), now)
    except SQLAlchemyError:
        scheduler = "unknown"
    session.rollback()
    return Readiness(database="ok", migrations=migrations, scheduler=scheduler)
