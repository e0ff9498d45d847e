"""Web imports run in the background: the page uploads the bundle, a thread of the web process
imports it (all of it, or nothing, in one transaction) and records its progress and outcome on
an ``ImportJob`` row, which the page polls. The uploaded file waits in the instance folder and is
removed when the job ends.

Progress is written through a connection of its own (committed at once, so every web process
sees it) on PostgreSQL; SQLite has one writer at a time and the import holds it, so there the
page shows a bar without a figure until the job ends.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import cast

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.orm import Session, scoped_session

from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.db import utcnow
from caseload.exchange.models import ImportJob
from caseload.exchange.people import staff_changes_record, staff_state
from caseload.exchange.scope import Scope
from caseload.exchange.services import Progress, bundle_analyze, bundle_import, no_progress
from caseload.extensions import db

log = logging.getLogger("caseload.exchange")
_running: list[threading.Thread] = []


def upload_folder() -> Path:
    """Where uploaded bundles wait for their import (created on first use, owner only)."""
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def import_job_start(job_id: int, path: Path) -> None:
    """Run the (committed) job ``job_id`` on the bundle at ``path`` in a thread of this process."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy, typed as the app
    thread = threading.Thread(target=_run, args=(app, job_id, path), name=f"import-{job_id}", daemon=True)
    _running.append(thread)
    thread.start()


def import_jobs_wait() -> None:
    """Wait for every import started by this process (tests; on SQLite, end the caller's
    transaction first, or the import waits for its lock)."""
    while _running:
        _running.pop().join()


def _run(app: Flask, job_id: int, path: Path) -> None:
    with app.app_context():
        try:
            import_job_run(job_id, path)
        finally:
            path.unlink(missing_ok=True)
            if path.parent != upload_folder():  # a CSV file's own folder, which keeps its name
                path.parent.rmdir()
            # The thread's own session: Flask-SQLAlchemy's scoped session, typed as the Session.
            cast(scoped_session[Session], db.session).remove()


def import_job_run(job_id: int, path: Path) -> None:
    """Import the bundle at ``path`` for job ``job_id``: the import commits or rolls back, then the
    job records its outcome (the problems, or the counts) and commits."""
    session = db.session
    job = session.get_one(ImportJob, job_id)
    user = session.get_one(User, job.user_id)
    scope = Scope(program_id=user.program_id, program_ref=user.program.ref, role=user.role)
    job.state = "running"
    session.commit()
    try:
        staff = staff_state(session, User.program_id == user.program_id)
        report = bundle_import(session, path=path, user_id=user.id, scope=scope, progress=_progress(job_id))
        if report.ok:
            if user.role == "admin":
                audit(session, action="exchange_import_staff", target=user.program.ref, user_id=user.id)
            staff_changes_record(session, before=staff, changed_by_id=user.id)
            session.commit()
            bundle_analyze(session, report)
            session.commit()
            outcome: dict[str, int | list[str]] = {
                "created": sum(report.created.values()),
                "updated": sum(report.updated.values()),
            }
        else:
            session.rollback()
            outcome = {"problems": [str(problem) for problem in report.problems]}
        outcome["warnings"] = [str(warning) for warning in report.warnings]
        state = "done"
    except Exception as exc:  # noqa: BLE001 - the job must end, whatever stopped it
        session.rollback()
        # The class only: a message could quote the bundle's cells (health data) into the log.
        log.error("exchange import job %s failed: %s", job_id, exc.__class__.__name__)
        outcome, state = {}, "failed"
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(state=state, outcome=json.dumps(outcome), finished_at=utcnow())
    )
    session.commit()


def _progress(job_id: int) -> Progress:
    if db.engine.dialect.name != "postgresql":
        return no_progress

    def progress(done: int, total: int) -> None:
        with db.engine.begin() as connection:
            stmt = update(ImportJob).where(ImportJob.id == job_id).values(done=done, total=total)
            connection.execute(stmt)

    return progress
