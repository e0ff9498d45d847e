"""Measure one item in a fresh process, so that its peak RSS is its own.

`python -m bench.child '<json spec>'` prints one JSON object: p50_ms, p95_ms, queries, peak_rss_mb
(or missing / error); pages add floor_ms and ratio (see `Floor`). Pages go through the real WSGI
app (Flask's test client, signed in through the login form with CSRF on); commands run in-process
through the app's Click group. The app is built as a server builds it: ``create_app()`` from the
environment (DATABASE_URL), with no setting of the bench's own.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, make_url

from bench.items import ITEMS, Command, Context, Page

PASSWORD = "demo-password"  # noqa: S105 - the region demo's password (caseload.demo.small)
WARM_UP = 3
REPLAYS = 7  # raw replays of each request's SELECTs; the floor is their median
KEYS_DIR = Path(__file__).resolve().parent / "keys"  # the bench's key folder (not the dev server's)
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


class QueryCounter:
    """Counts statements sent to the database (before_cursor_execute)."""

    def __init__(self, engine) -> None:
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.n += 1


class Capture:
    """Every statement of the requests made while ``on`` is set, as sent to the driver
    (before_cursor_execute: the SQL text and the parameters after SQLAlchemy's bind processors)."""

    def __init__(self, engine) -> None:
        self.on = False
        self.statements: list[tuple[str, object]] = []
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._keep)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._keep)

    def _keep(self, _conn, _cursor, statement, parameters, _context, executemany) -> None:
        if self.on and not executemany:
            self.statements.append((statement, parameters))


def is_page_read(statement: str) -> bool:
    """A SELECT of the page itself: not a write, not a transaction or PRAGMA statement, and not the
    audit write's own reads (its advisory lock and the chain's last hash, caseload/auth/audit.py),
    which count in the page's time but not in its floor."""
    head = statement.lstrip().upper()
    if not head.startswith(("SELECT", "WITH")):
        return False
    if "PG_ADVISORY_XACT_LOCK" in head or "FROM AUDIT_EVENTS" in head:
        return False
    return not (head.startswith("WITH") and any(w in head for w in ("INSERT ", "UPDATE ", "DELETE ")))


class Floor:
    """Replays captured SELECTs through the plain driver (sqlite3 / psycopg) on a connection of its
    own, fetching every row, inside one read transaction as the page's own; no ORM, no Flask."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(parsed.database, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout=30000")
        else:
            import psycopg

            dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.conn = psycopg.connect(dsn)
            self.conn.execute("SET jit = off")  # as the app's connections (caseload.db.configure_engine)
            self.conn.commit()

    def once(self, statements: list[tuple[str, object]]) -> float:
        """Milliseconds to run ``statements`` once and fetch all their rows."""
        cur = self.conn.cursor()
        if self.dialect == "sqlite":
            cur.execute("BEGIN")
        start = time.perf_counter()
        for statement, parameters in statements:
            cur.execute(statement, parameters)
            cur.fetchall()
        elapsed = (time.perf_counter() - start) * 1000
        if self.dialect == "sqlite":
            cur.execute("COMMIT")
        else:
            self.conn.rollback()
        cur.close()
        return elapsed

    def median(self, statements: list[tuple[str, object]]) -> float:
        self.once(statements)  # warm, as the page was warm
        return statistics.median(self.once(statements) for _ in range(REPLAYS))

    def close(self) -> None:
        self.conn.close()


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def make_app(url: str):
    """The app with its default configuration, as `gunicorn -c gunicorn.conf.py` builds it: every
    setting from the environment; only the database and the key folder are the bench's."""
    from caseload import create_app

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CASELOAD_KEYS_DIR", str(KEYS_DIR))
    return create_app()


def sign_in(client, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    tag = CSRF.search(page)
    token = VALUE.search(tag.group(0)).group(1) if tag else ""
    answer = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"cannot sign in as {email}: HTTP {answer.status_code}")


def measure_page(item: Page, ctx: Context, url: str, requests: int) -> dict:
    """Warm up, then time ``requests`` GETs (taking the URL values in turn)."""
    from flask import url_for

    app = make_app(url)
    if item.endpoint not in app.view_functions:
        return {"missing": f"no endpoint {item.endpoint}"}
    from caseload.extensions import db

    with app.app_context():
        counter = QueryCounter(db.engine)
        capture = Capture(db.engine)
    with app.test_request_context():
        urls = [url_for(item.endpoint, **values) for values in item.values(ctx)]
    email = {"specialist": ctx.specialist_email, "supervisor": ctx.supervisor_email}.get(item.role)
    client = app.test_client()
    sign_in(client, email or ctx.clinician_email)
    times, counts = [], []
    for k in range(WARM_UP + requests):
        path = urls[k % len(urls)]
        before, start = counter.n, time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            return {"error": f"HTTP {response.status_code} for GET {path}"}
        if k >= WARM_UP:
            times.append(elapsed)
            counts.append(counter.n - before)
    result = summary(times, max(counts)) | {"runs": len(times), "distinct_urls": len(urls)}
    return result | floor(client, capture, urls, url, result["p50_ms"])


def floor(client, capture: Capture, urls: list[str], url: str, p50_ms: float) -> dict:
    """After the timed requests: one more request of each distinct URL with its statements
    captured; each one's SELECTs replayed raw (median of REPLAYS); floor_ms is the median over the
    URLs, ratio the page's p50 over it."""
    replay = Floor(url)
    floors, selects = [], []
    try:
        for path in urls:
            capture.statements.clear()
            capture.on = True
            client.get(path)
            capture.on = False
            reads = [(s, p) for s, p in capture.statements if is_page_read(s)]
            selects.append(len(reads))
            floors.append(replay.median(reads))
    finally:
        replay.close()
    floor_ms = statistics.median(floors)
    return {
        "floor_ms": round(floor_ms, 2),
        "ratio": round(p50_ms / floor_ms, 1) if floor_ms else None,
        "floor_selects": max(selects),
    }


def _command(app, path: tuple[str, ...]):
    group = app.cli
    for name in path:
        group = getattr(group, "commands", {}).get(name)
        if group is None:
            return None
    return group


def measure_command(item: Command, ctx: Context, url: str, runs: int, import_url: str) -> dict:
    """One untimed warm-up run (none for the import), then ``runs`` timed runs of the command."""
    app = make_app(import_url if item.name == "exchange_import" else url)
    if _command(app, item.path) is None:
        return {"missing": "no command " + " ".join(item.path)}
    if item.name == "exchange_import" and not Path(ctx.bundle).is_dir():
        return {"missing": "no 10,000-client bundle (exchange export of one programme failed)"}
    from caseload.extensions import db

    with app.app_context():
        counter = QueryCounter(db.engine)
    runner = app.test_cli_runner()
    times, counts, first = [], [], None
    warm = 0 if item.name == "exchange_import" else 1  # an import warm-up would cost a whole run
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for k in range(warm + runs):
            if item.name == "exchange_import":
                reset_database(app)
            shutil.rmtree(Path(tmp) / "export", ignore_errors=True)
            before, start = counter.n, time.perf_counter()
            result = runner.invoke(args=[*item.path, *item.args(ctx, Path(tmp))])
            elapsed = (time.perf_counter() - start) * 1000
            if result.exit_code != 0:
                tail = (result.output or repr(result.exception))[-400:]
                return {"error": f"exit {result.exit_code}: {tail.strip()}"}
            first = elapsed if k == 0 else first
            if k >= warm:
                times.append(elapsed)
                counts.append(counter.n - before)
    return summary(times, max(counts)) | {"runs": len(times), "first_run_ms": round(first, 1)}


def reset_database(app) -> None:
    """An empty, migrated database for one import run (not timed)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from caseload.extensions import db

    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(db.engine.url.database + suffix).unlink(missing_ok=True)
        upgrade(directory=str(Path(app.root_path).parent / "migrations"))
        db.engine.dispose()


def summary(times: list[float], queries: int) -> dict:
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": queries,
    }


def main() -> None:
    spec = json.loads(sys.argv[1])
    item = ITEMS[spec["item"]]
    ctx = Context(**spec["context"])
    if isinstance(item, Page):
        result = measure_page(item, ctx, spec["url"], spec["requests"])
    else:
        runs = spec["runs"] or item.runs
        result = measure_command(item, ctx, spec["url"], runs, spec["import_url"])
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
