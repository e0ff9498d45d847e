"""Several servers (bench only, never in CI): two gunicorn servers on one PostgreSQL database, sign-in
throttling in Redis, nginx in front, the scheduler started on both (one must refuse), then

1. the load: ``--users`` simulated people (bench/locustfile.py, waiting 5–15 s between actions)
   for ``--minutes``: requests, errors, p50/p95/p99 from locust's own figures;
2. the kill: a shorter run during which one server is killed (SIGKILL, master and workers); every
   write the app acknowledged (a redirect after the POST) must be in the database afterwards.

    python -m bench.cluster --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_h5

Writes bench/cluster-results.json. See docs/performance.md, "Several servers".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "cluster-results.json"
PORTS = (8101, 8102)
FRONT = 8100
WRITES = ("POST /clients/[ref]/contacts/new", "POST /employers/contacts/new")
NGINX = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream caseload {{ server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
                       server 127.0.0.1:{b} max_fails=1 fail_timeout=30s; }}
  server {{
    listen 127.0.0.1:{front};
    location / {{ proxy_pass http://caseload; proxy_set_header Host $host;
                 proxy_set_header X-Forwarded-For $remote_addr; }}
  }}
}}
"""


def _env(url: str, **more: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "CASELOAD_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/3",
        "CASELOAD_RATELIMIT_PREFIX": "bench-cluster",
        "CASELOAD_LOGIN_LIMIT_ADDRESS": "10000 per 15 minutes",  # every simulated person is 127.0.0.1
        "CASELOAD_ACCESS_LOG": "/dev/null",
        **more,
    }


def _servers(url: str, logs: Path) -> list[subprocess.Popen]:
    servers = []
    for port in PORTS:
        env = _env(url, CASELOAD_BIND=f"127.0.0.1:{port}", CASELOAD_WORKERS="2")
        log = (logs / f"gunicorn-{port}.log").open("w")
        cmd = [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"]
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        servers.append(server)
    _wait_up([f"http://127.0.0.1:{port}/healthz" for port in PORTS])
    return servers


def _wait_up(urls: list[str]) -> None:
    import urllib.request

    end = time.monotonic() + 60
    for url in urls:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own local server
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > end:
                raise SystemExit(f"{url} did not come up")
            time.sleep(0.5)


def _schedulers(url: str, logs: Path) -> tuple[subprocess.Popen, int, str]:
    """The scheduler started beside each server: the first runs, the second must refuse."""
    flask = [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"]
    first = subprocess.Popen(
        flask, cwd=ROOT, env=_env(url), stdout=(logs / "scheduler-a.log").open("w"), stderr=subprocess.STDOUT
    )
    time.sleep(5)
    second = subprocess.run(flask, cwd=ROOT, env=_env(url), capture_output=True, text=True, timeout=60)
    return first, second.returncode, (second.stderr or second.stdout).strip()


def _locust(users: int, seconds: int, prefix: Path, url: str) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-H",
        f"http://127.0.0.1:{FRONT}",
        "-u",
        str(users),
        "-r",
        "10",
        "-t",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
    ]
    env = os.environ | {"BENCH_DATABASE_URL": url, "BENCH_WAIT": "5,15"}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stats(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = {f"{r['Type']} {r['Name']}": r for r in csv.DictReader(f)}
    total = rows.pop(" Aggregated")
    ok = [int(rows[k]["Request Count"]) - int(rows[k]["Failure Count"]) for k in WRITES if k in rows]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "req_per_s": round(float(total["Requests/s"]), 1),
        "acknowledged_writes": sum(ok),
    }


TABLES = ("client_contacts", "employer_contacts")


def _last_ids(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        last = {t: conn.scalar(text(f"SELECT coalesce(max(id), 0) FROM {t}")) for t in TABLES}  # noqa: S608
    engine.dispose()
    return last


def _written(url: str, since: dict[str, int]) -> int:
    """Rows of the two contact tables added after ``since`` (their last ids before the run)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        n = sum(
            conn.scalar(text(f"SELECT count(*) FROM {t} WHERE id > :i"), {"i": since[t]})  # noqa: S608
            for t in TABLES
        )
    engine.dispose()
    return n


def _kill(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # the master and its workers, no graceful stop


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--database", required=True, help="a seeded region on PostgreSQL")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--kill-run-seconds", type=int, default=120)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="caseload-cluster-"))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir()
    (work / "nginx.conf").write_text(NGINX.format(dir=work, a=PORTS[0], b=PORTS[1], front=FRONT))
    servers = _servers(args.database, work)
    nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"])
    scheduler, second_rc, second_says = _schedulers(args.database, work)
    result: dict = {
        "set_up": "2 gunicorn servers x 2 sync workers, nginx round robin, one PostgreSQL, Redis limits",
        "second_scheduler": {"exit": second_rc, "says": second_says},
        "load_avg_start": os.getloadavg()[0],
    }
    try:
        _wait_up([f"http://127.0.0.1:{FRONT}/healthz"])
        load = _locust(args.users, int(args.minutes * 60), work / "load", args.database)
        load.wait()
        result["load"] = _stats(work / "load") | {"users": args.users, "seconds": int(args.minutes * 60)}
        since = _last_ids(args.database)
        kill = _locust(args.users, args.kill_run_seconds, work / "kill", args.database)
        time.sleep(args.kill_run_seconds / 2)
        _kill(servers[1])
        kill.wait()
        stats = _stats(work / "kill")
        stored = _written(args.database, since)
        result["kill"] = stats | {
            "killed_after_s": args.kill_run_seconds // 2,
            "writes_stored": stored,
            "no_acknowledged_write_lost": stored >= stats["acknowledged_writes"],
        }
        result["scheduler_running_once"] = scheduler.poll() is None and second_rc != 0
        result["load_avg_end"] = os.getloadavg()[0]
    finally:
        for process in (scheduler, nginx):
            process.terminate()
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
