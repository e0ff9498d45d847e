"""The one-scheduler lock: a PostgreSQL advisory lock, or a file lock beside the SQLite file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

LOCK_KEY = 7_141_004  # the scheduler's advisory lock; the audit log uses 7_141_001


class LockHeld(RuntimeError):
    """Another scheduler holds the lock."""


class SchedulerLock:
    """Held for the life of the process; released by ``release`` or when the process dies."""

    def __init__(self, engine: Engine, instance_path: str) -> None:
        self.engine, self.instance_path = engine, instance_path
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld at once (never wait)."""
        if self.engine.dialect.name == "postgresql":
            self._acquire_pg()
        else:
            self._acquire_file()

    def _acquire_pg(self) -> None:
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
        conn.commit()  # the session-level lock outlives the transaction; do not sit idle in one
        if not got:
            conn.close()
            raise LockHeld(f"PostgreSQL advisory lock {LOCK_KEY} is held")
        self._conn = conn

    def _acquire_file(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise LockHeld(f"the lock file {path} is held") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._file = fh

    def path(self) -> Path:
        """The lock file: beside the SQLite database file (its real path, so that a second
        scheduler reaching the same file through a symbolic link finds the same lock), else in
        the instance folder."""
        database = self.engine.url.database
        if database and database != ":memory:":
            real = Path(database).resolve()
            return real.with_name(real.name + ".scheduler.lock")
        return Path(self.instance_path) / "scheduler.lock"

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            self._conn.commit()
            self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
