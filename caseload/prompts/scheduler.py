"""The one scheduler process: sweeps every 15 minutes, sends the daily digests, beats a heart,
anchors the audit chain daily.

Every job is a plain function of an explicit ``now`` that tests and the CLI call directly. The
first sweep runs at start-up: because a sweep re-creates everything due in ``[t − 30, t + 7]``,
a scheduler that was stopped (for up to 30 days) loses no prompt, and a missed digest goes out
once at the first tick after its hour.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import smtplib
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from sqlalchemy.orm import Session

from caseload.auth.anchors import anchor_write
from caseload.db import upsert_insert
from caseload.extensions import db
from caseload.logs import process_logging
from caseload.mail import mail_message, send
from caseload.prompts.clock import as_utc
from caseload.prompts.digest import digests_send
from caseload.prompts.locks import SchedulerLock
from caseload.prompts.models import SchedulerHeartbeat
from caseload.prompts.queries import HEARTBEAT
from caseload.prompts.sweep import SweepCounts, prompts_sweep

log = logging.getLogger("caseload.scheduler")


def heartbeat(session: Session, now: datetime, *, swept: bool = False) -> None:
    """Record that the scheduler is alive (and when it last swept).

    One upsert: the heartbeat and the sweep jobs run side by side at start-up, and two inserts of
    the first row would collide on PostgreSQL.
    """
    beat_at = as_utc(now).replace(tzinfo=None)
    values = {"beat_at": beat_at, "pid": os.getpid()} | ({"last_sweep_at": beat_at} if swept else {})
    statement = upsert_insert(session)(SchedulerHeartbeat).values(name=HEARTBEAT, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["name"], set_=values))
    session.get(SchedulerHeartbeat, HEARTBEAT, populate_existing=True)  # a row read before is current


def job_sweep(now: datetime) -> SweepCounts:
    """Sweep all programmes, beat, then send the digests if they are due. Commits."""
    counts = prompts_sweep(db.session, now=now, each=db.session.commit)
    heartbeat(db.session, now, swept=True)
    db.session.commit()
    log.info("sweep at %s: %s", now.isoformat(), counts)
    try:
        sent = digests_send(db.session, now)
        db.session.commit()
    except (smtplib.SMTPException, OSError) as err:
        db.session.rollback()
        log.error("digest not sent, will retry at the next sweep: %s", err)
    else:
        if sent:
            log.info("digests sent: %d", sent)
    return counts


def job_heartbeat(now: datetime) -> None:
    """Say the scheduler is alive. Commits."""
    heartbeat(db.session, now)
    db.session.commit()


def job_audit_anchor(now: datetime) -> dict:
    """Append a signed checkpoint of the audit chain; mail it to CASELOAD_SECURITY_CONTACT when
    SMTP is configured (a copy off the host). Ends its read-only transaction."""
    record = anchor_write(db.session, now)
    db.session.rollback()
    cfg = current_app.config
    if cfg.get("SMTP_HOST") and cfg.get("CASELOAD_SECURITY_CONTACT"):
        msg = mail_message(
            to=cfg["CASELOAD_SECURITY_CONTACT"],
            subject=f"Audit checkpoint {record['at']}: {record['count']} events",
            body=json.dumps(record, indent=2, sort_keys=True) + "\n",
        )
        try:
            send([msg])
        except (smtplib.SMTPException, OSError) as err:
            log.error("audit checkpoint written but not mailed: %s", err)
    log.info("audit checkpoint at %s: %d events", record["at"], record["count"])
    return record


def _in_app(app: Flask, job: Callable[[datetime], object]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            try:
                job(datetime.now(UTC))
            except Exception:
                db.session.rollback()
                log.exception("scheduled job %s failed", job.__name__)
        # Leaving the app context removes the job's session (Flask-SQLAlchemy's teardown).

    run.__name__ = job.__name__
    return run


def scheduler_run(app: Flask, *, sweep_minutes: int, heartbeat_seconds: int) -> None:
    """Take the lock (LockHeld when another scheduler has it) and run until stopped."""
    lock = SchedulerLock(db.engine, app.instance_path)
    lock.acquire()
    process_logging(app)  # a process of its own: each line once on stderr, no line per heartbeat
    started = datetime.now(UTC)
    sched = BlockingScheduler(timezone=UTC)
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None, "next_run_time": started}
    sched.add_job(
        _in_app(app, job_heartbeat),
        "interval",
        seconds=heartbeat_seconds,
        id="beat",
        name="heartbeat",
        **common,
    )
    sched.add_job(
        _in_app(app, job_sweep), "interval", minutes=sweep_minutes, id="sweep", name="sweep", **common
    )
    sched.add_job(
        _in_app(app, job_audit_anchor), "interval", hours=24, id="anchor", name="audit anchor", **common
    )

    stopping: list[int] = []  # the signal that stops it

    def stop(signum, _frame) -> None:
        # A second signal (e.g. to the whole process group) may arrive while the first is handled.
        if stopping or not sched.running:
            return
        stopping.append(signum)
        log.info("signal %d: stopping", signum)
        with contextlib.suppress(SchedulerNotRunningError):
            sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"scheduler started (pid {os.getpid()}): sweep every {sweep_minutes} min", flush=True)
    try:
        sched.start()
    finally:
        lock.release()
        print("scheduler stopped", flush=True)
