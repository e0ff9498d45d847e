"""The real app under gunicorn (from requirements.txt) in a subprocess, for crash tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade

from caseload import create_app
from caseload.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-secret-key-" + "y" * 32


def prepared_database(path: Path) -> tuple[str, str]:
    """A migrated SQLite file with one specialist; returns (URL, e-mail)."""
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        email = factories.user(db.session, "specialist").email
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url, email


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(url: str, port: int, log: Path, workers: int = 1) -> subprocess.Popen:
    """gunicorn with the app imported once in the master (--preload): a killed worker is re-forked fast."""
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, CASELOAD_ENV="production")
    argv = [sys.executable, "-m", "gunicorn", "--preload", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    argv += ["--graceful-timeout", "1", "--timeout", "60", "app:app"]
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)


def workers(master: subprocess.Popen) -> list[int]:
    """The worker processes the master has forked."""
    try:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(pid) for pid in children]


def wait_until(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


def answers(base: str) -> bool:
    """The server answers its sign-in page."""
    try:
        with urllib.request.urlopen(base + "/auth/login", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def kill_all(master: subprocess.Popen) -> None:
    """SIGKILL the master and its workers at once (a power cut of the app, not of the machine)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(master.pid, signal.SIGKILL)
    master.wait(timeout=10)
