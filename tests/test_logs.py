"""What the development server and the app log: no tokens, query strings or form values; with
CASELOAD_LOG_FORMAT=json, one JSON line per request naming the route, not the URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.mailserver import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "feedtoken" + "Q" * 30
PASSWORD = "Hemmelig-passord-123"
SEARCH = "Kari Nordmann"


def _serve(database_url: str, log_format: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "CASELOAD_LOG_FORMAT": log_format}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 90
    while time.monotonic() < end and proc.poll() is None:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).close()  # noqa: S310 - our server
            return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("the development server did not start: " + proc.communicate()[1])


def _get(url: str, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers={"X-Request-ID": "probe-request-0001"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our server
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code


def _requests_and_log(database_url: str, log_format: str) -> str:
    proc, base = _serve(database_url, log_format)
    try:
        assert _get(f"{base}/prompts/feed/{TOKEN}.ics") == 404
        assert _get(f"{base}/auth/set-password/{TOKEN}") in (200, 404)
        assert _get(f"{base}/auth/login?next=/clients/?q={SEARCH.replace(' ', '+')}") == 200
        form = f"email=kari%40example.test&password={PASSWORD}".encode()
        assert _get(f"{base}/auth/login", form) in (400, 422)
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    return err


@pytest.mark.slow
def test_the_development_servers_access_lines_carry_no_token_or_query(db, database_url):
    log = _requests_and_log(database_url, "text")
    assert "/prompts/feed/….ics" in log and "/auth/set-password/…" in log
    for secret in (TOKEN, "Kari", "Nordmann", PASSWORD, "?next"):
        assert secret not in log


@pytest.mark.slow
def test_json_logs_have_one_line_per_request_with_its_route_and_nothing_secret(db, database_url):
    log = _requests_and_log(database_url, "json")
    for secret in (TOKEN, "Kari", "Nordmann", PASSWORD, "?next"):
        assert secret not in log
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    requests = [r for r in records if r.get("message") == "request"]
    assert [(r["method"], r["route"], r["status"]) for r in requests] == [
        ("GET", "/prompts/feed/<token>.ics", 404),
        ("GET", "/auth/set-password/<token>", requests[1]["status"]),
        ("GET", "/auth/login", 200),
        ("POST", "/auth/login", requests[3]["status"]),
    ]
    assert {r["request_id"] for r in requests} == {"probe-request-0001"}
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in requests)
    assert not [line for line in log.splitlines() if '"GET /' in line]  # no second, text access line
