"""A consistent copy of the database while the app runs, and its restore.

SQLite: the online backup API (``sqlite3.Connection.backup``) from a separate connection; WAL lets
writers go on meanwhile. PostgreSQL: ``pg_dump -Fc`` (one snapshot) and ``pg_restore``.
Backups hold health data: the file is created readable by its owner only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, inspect, literal, make_url, select, table
from sqlalchemy.engine import URL

SKIP_TABLES = frozenset({"alembic_version"})


class BackupError(RuntimeError):
    """The backup or the restore could not be done; the message says why."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _pg_env(url: URL) -> dict[str, str]:
    """libpq settings for the client tools; the password goes through the environment, not argv."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    # pg_dump and pg_restore by name, with an argument list and never a shell (bandit B603)
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is not installed (PostgreSQL client tools)")
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{argv[0]} failed: {last}")


def _private_temp(dest: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def _sqlite_integrity(conn: sqlite3.Connection) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"integrity check failed: {result}")


def backup_sqlite(db_path: Path, dest: Path) -> None:
    """Copy a live SQLite database page by page in one read transaction; check the copy."""
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}")
    tmp = _private_temp(dest)
    src = sqlite3.connect(db_path, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        _sqlite_integrity(dst)
    except (sqlite3.Error, BackupError):
        dst.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    dst.close()
    os.replace(tmp, dest)


def backup_postgres(url: URL, dest: Path) -> None:
    """``pg_dump`` in its custom format (one consistent snapshot), then list it to check it."""
    tmp = _private_temp(dest)
    env = _pg_env(url)
    try:
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(tmp)], env)
        _run(["pg_restore", "--list", str(tmp)], env)
    except BackupError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dest)


def database_rows(url: str) -> int:
    """How many tables (apart from the migration stamp) hold rows; 0 means empty or new."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n not in SKIP_TABLES]
            return sum(1 for n in names if conn.scalar(select(literal(1)).select_from(table(n)).limit(1)))
    finally:
        engine.dispose()


def restore_sqlite(src_file: Path, db_path: Path) -> None:
    """Write the backup into the database file through the backup API (atomic for readers)."""
    src = sqlite3.connect(f"file:{src_file}?mode=ro", uri=True)
    try:
        _sqlite_integrity(src)
        dst = sqlite3.connect(db_path, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            _sqlite_integrity(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(f"not a usable SQLite backup: {err}") from err
    finally:
        src.close()


def restore_postgres(src_file: Path, url: URL) -> None:
    """Replace the database's objects by the dump's, in one transaction."""
    argv = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    argv += ["--single-transaction", "--exit-on-error", "-d", url.database or "", str(src_file)]
    _run(argv, _pg_env(url))


def backup(url: str, dest: Path) -> None:
    """Back up the database at ``url`` to ``dest`` (replaced atomically when complete)."""
    parsed = make_url(url)
    dest = dest.resolve()
    if not dest.parent.is_dir():
        raise BackupError(f"no folder {dest.parent}")
    if parsed.get_backend_name() == "sqlite":
        backup_sqlite(_sqlite_path(parsed), dest)
    elif parsed.get_backend_name() == "postgresql":
        backup_postgres(parsed, dest)
    else:
        raise BackupError(f"no backup for {parsed.get_backend_name()} databases")


def restore(url: str, src_file: Path, *, force: bool = False) -> None:
    """Restore ``src_file`` into the database at ``url``; refuses a database with rows unless forced."""
    parsed = make_url(url)
    if not src_file.is_file():
        raise BackupError(f"no backup file {src_file}")
    if not force and database_rows(url):
        raise BackupError("the database is not empty; restore with --force to replace its contents")
    if parsed.get_backend_name() == "sqlite":
        restore_sqlite(src_file, _sqlite_path(parsed))
    elif parsed.get_backend_name() == "postgresql":
        restore_postgres(src_file, parsed)
    else:
        raise BackupError(f"no restore for {parsed.get_backend_name()} databases")
