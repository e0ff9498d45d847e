"""The scheduler: its jobs as plain functions, and the one-scheduler lock with real processes."""

from __future__ import annotations

import json
import os
import select as io_select
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from caseload.forms import today
from caseload.prompts.models import Prompt, SchedulerHeartbeat
from caseload.prompts.queries import HEARTBEAT
from caseload.prompts.scheduler import heartbeat, job_heartbeat, job_sweep
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run", "--heartbeat-seconds", "1"]


def test_the_sweep_job_sweeps_and_beats(db):
    spec = factories.user(db.session, role="specialist")
    factories.client(db.session, spec, entry=date(2025, 3, 1))
    db.session.commit()
    now = datetime(2025, 3, 12, 10, tzinfo=UTC)
    counts = job_sweep(now)
    assert counts.created > 0
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    assert beat.last_sweep_at == beat.beat_at == datetime(2025, 3, 12, 10)
    assert beat.pid == os.getpid()


def test_the_heartbeat_job_keeps_the_last_sweep(db):
    heartbeat(db.session, datetime(2025, 3, 12, 10, tzinfo=UTC), swept=True)
    db.session.commit()
    job_heartbeat(datetime(2025, 3, 12, 11, tzinfo=UTC))
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    assert (beat.beat_at, beat.last_sweep_at) == (datetime(2025, 3, 12, 11), datetime(2025, 3, 12, 10))


def _start(database_url: str, *, heartbeat_seconds: int = 1) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*FLASK[:-1], str(heartbeat_seconds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(proc: subprocess.Popen, text: str, timeout: float = 30, *, stderr: bool = False) -> str:
    """The scheduler's output (stdout, or stderr) up to the first line holding ``text``."""
    stream = proc.stderr if stderr else proc.stdout
    seen = ""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = io_select.select([stream], [], [], 0.2)
        if ready:
            line = stream.readline()
            seen += line
            if text in line:
                return seen
        if proc.poll() is not None:
            break
    raise AssertionError(
        f"no {text!r} from the scheduler: {seen!r} {proc.stderr.read() if proc.poll() is not None else ''}"
    )


def _stop(proc: subprocess.Popen) -> int:
    """SIGTERM, then collect the output (which closes the pipes); kill if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
    return proc.returncode


@pytest.mark.slow
def test_a_second_scheduler_exits_non_zero_while_the_first_holds_the_lock(db, database_url):
    spec = factories.user(db.session, role="specialist")
    factories.client(db.session, spec, entry=today() - timedelta(days=1))  # first contact due
    db.session.commit()
    first = _start(database_url)
    try:
        _wait_for(first, "scheduler started")
        second = _start(database_url)
        out, err = second.communicate(timeout=60)
        assert second.returncode != 0
        assert "another scheduler is already running" in err
        assert len(err.strip().splitlines()) == 1, err  # one clear line, no traceback
        _wait_until(lambda: _count(db, Prompt.id) > 0 and _count(db, SchedulerHeartbeat.name) > 0)
    finally:
        assert _stop(first) == 0
    third = _start(database_url)  # the lock went with the first process
    try:
        _wait_for(third, "scheduler started")
    finally:
        _stop(third)


def _count(db, column) -> int:
    db.session.rollback()  # see the other process's commits
    return db.session.scalar(select(func.count(column)))


def _wait_until(condition, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the scheduler did not sweep at start-up")


def test_the_lock_is_refused_in_process_while_held(app, db):
    from caseload.prompts.locks import LockHeld, SchedulerLock

    first = SchedulerLock(db.engine, app.instance_path)
    first.acquire()
    try:
        with pytest.raises(LockHeld):
            SchedulerLock(db.engine, app.instance_path).acquire()
    finally:
        first.release()
    again = SchedulerLock(db.engine, app.instance_path)
    again.acquire()
    again.release()


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_second_scheduler_reaching_the_sqlite_file_through_a_symlink_is_refused(tmp_path, linked):
    from caseload.prompts.locks import LockHeld, SchedulerLock

    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "caseload.db"
    real.touch()
    if linked == "file":
        other = tmp_path / "link.db"
        other.symlink_to(real)
    else:
        (tmp_path / "linked-folder").symlink_to(tmp_path / "real", target_is_directory=True)
        other = tmp_path / "linked-folder" / "caseload.db"
    engines = [create_engine(f"sqlite:///{path}") for path in (real, other)]
    first = SchedulerLock(engines[0], str(tmp_path))
    first.acquire()
    try:
        with pytest.raises(LockHeld):
            SchedulerLock(engines[1], str(tmp_path)).acquire()
    finally:
        first.release()
        for engine in engines:
            engine.dispose()
    assert first.path() == real.with_name("caseload.db.scheduler.lock")


def test_a_day_of_downtime_is_caught_up_by_the_first_sweep(db):
    spec = factories.user(db.session, role="specialist")
    cl = factories.client(db.session, spec, entry=date(2025, 3, 1))
    factories.job(db.session, cl, start=date(2025, 3, 6))
    db.session.commit()
    job_sweep(datetime(2025, 3, 10, 8, tzinfo=UTC))
    before = _count(db, Prompt.id)
    job_sweep(datetime(2025, 3, 12, 8, tzinfo=UTC))  # stopped from the 10th to the 12th
    dues = set(db.session.scalars(select(Prompt.due_on).where(Prompt.rule == "weekly_followup")))
    assert date(2025, 3, 19) in dues  # due t + 7 on the 12th, first created by the catch-up
    assert _count(db, Prompt.id) > before


def _swept(db) -> bool:
    db.session.rollback()
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    return beat is not None and beat.last_sweep_at is not None


@pytest.mark.slow
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_each_scheduler_line_is_printed_once(db, database_url, monkeypatch, log_format):
    monkeypatch.setenv("CASELOAD_LOG_FORMAT", log_format)
    proc = _start(database_url, heartbeat_seconds=60)  # one beat and one sweep, never at once
    try:
        _wait_for(proc, "scheduler started", 60)  # a loaded machine starts it slowly
        seen = _wait_for(proc, "sweep at", 60, stderr=True)  # the sweep's line follows its commit
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)  # a second signal while stopping is ignored
        _out, err = proc.communicate(timeout=30)
    err = seen + err
    assert proc.returncode == 0, err
    lines = err.strip().splitlines()
    assert sum("sweep at" in line for line in lines) == 1, err
    assert sum("stopping" in line for line in lines) == 1, err
    if log_format == "json":
        records = [json.loads(line) for line in lines]
        assert {r["logger"] for r in records} == {"caseload.scheduler"}
