"""Two real servers on one PostgreSQL database and one Redis, as hospitals run the app.

Two gunicorn servers (``gunicorn.conf.py``, one worker each, production mode, CSRF on) share the
database, the signing key and the throttle store (``CASELOAD_RATELIMIT_STORAGE``, under a key prefix
of this run only). A person's browser talks to either: sign-in throttling counts across both,
a sign-out on one ends the session on the other, a two-step code used on one is refused on the
other, and of two schedulers started from different working directories only one runs.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from sqlalchemy import select

from caseload.prompts.models import SchedulerHeartbeat
from caseload.prompts.queries import HEARTBEAT
from caseload.security.totp import code_at
from tests import factories
from tests.ops.server import free_port, wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="several servers share one PostgreSQL database (TEST_DATABASE_URL); SQLite is one host's",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CASELOAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "several-servers-secret-key-" + "z" * 32
WRONG = "wrong-password"
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
TOTP_SECRET = re.compile(rb'id="totp-secret">([A-Z2-7 ]+)<')


class Browser:
    """One person's browser: a session cookie sent to whichever server it talks to."""

    def __init__(self) -> None:
        self.cookie: str | None = None

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        headers = {"User-Agent": "several-servers-test"}
        if self.cookie is not None:
            headers["Cookie"] = f"session={self.cookie}"
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == "session":
                value = rest.split(";", 1)[0]
                self.cookie = value if value and "Max-Age=0" not in header else None
        return response.status, response.headers, data

    def token(self, port: int, path: str) -> str:
        status, _, page = self.request(port, "GET", path)
        assert status == 200, (path, status)
        return CSRF.search(page).group(1).decode()

    def sign_in(self, port: int, email: str, password: str, token: str) -> int:
        form = {"email": email, "password": password, "csrf_token": token}
        return self.request(port, "POST", "/auth/login", form)[0]


def _environment(database_url: str, prefix: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "CASELOAD_ENV": "production",
        "CASELOAD_RATELIMIT_STORAGE": REDIS_URL,
        "CASELOAD_RATELIMIT_PREFIX": prefix,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group (gunicorn's master and workers); kill it if it hangs."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        proc.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        return Browser().request(port, "GET", "/auth/login")[0] == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def prefix() -> str:
    return f"caseload-test-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def store(prefix):
    """The shared throttle store; only this run's keys are read and removed."""
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def fresh_store(store, prefix):
    """Each test starts with no counts of this run in the store."""
    for key in store.scan_iter(match=f"{prefix}:*"):
        store.delete(key)
    return store


@pytest.fixture(scope="module")
def servers(_app, database_url, prefix, store, tmp_path_factory):
    """Ports of two gunicorn servers on the test database and the shared store."""
    logs = tmp_path_factory.mktemp("servers")
    ports = [free_port(), free_port()]
    while ports[1] == ports[0]:
        ports[1] = free_port()
    procs = []
    for i, port in enumerate(ports):
        env = _environment(database_url, prefix, CASELOAD_BIND=f"127.0.0.1:{port}", CASELOAD_WORKERS="1")
        with (logs / f"server{i}.log").open("ab") as out:
            argv = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
            procs.append(
                subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
            )
    try:
        for port, proc in zip(ports, procs, strict=True):
            wait_until(lambda p=port, pr=proc: pr.poll() is not None or _answers(p), 60, f"server on {port}")
            assert proc.poll() is None, (logs / f"server{procs.index(proc)}.log").read_text()
        yield ports
    finally:
        for proc in procs:
            _stop(proc)


@pytest.fixture
def people(db):
    emails = [factories.user(db.session, "specialist").email for _ in range(2)]
    db.session.commit()
    return emails


def test_wrong_passwords_over_both_servers_lock_the_account_as_on_one(servers, people, fresh_store, prefix):
    a, b = servers
    spread, alone = Browser(), Browser()
    token = spread.token(a, "/auth/login")
    over_both = [spread.sign_in(port, people[0], WRONG, token) for port in (a, b, a, b, a, b, a)]
    token_alone = alone.token(a, "/auth/login")
    on_one = [alone.sign_in(a, people[1], WRONG, token_alone) for _ in range(7)]
    assert over_both == on_one == [422] * 5 + [429] * 2
    assert spread.sign_in(b, people[0], factories.PASSWORD, token) == 429
    assert spread.sign_in(a, people[0], factories.PASSWORD, token) == 429
    assert list(fresh_store.scan_iter(match=f"{prefix}:*account*")), "the counts are not in the shared store"


def test_thirty_refused_attempts_over_both_servers_lock_the_address(servers, people, fresh_store):
    a, b = servers
    browser = Browser()
    token = browser.token(b, "/auth/login")
    statuses = [browser.sign_in((a, b)[i % 2], f"guess{i}@example.test", WRONG, token) for i in range(30)]
    assert statuses == [422] * 30
    assert browser.sign_in(a, people[0], factories.PASSWORD, token) == 429
    assert browser.sign_in(b, people[0], factories.PASSWORD, token) == 429


def test_a_sign_out_on_one_server_ends_the_session_on_the_other(servers, people, fresh_store):
    a, b = servers
    browser = Browser()
    assert browser.sign_in(a, people[0], factories.PASSWORD, browser.token(a, "/auth/login")) == 302
    assert browser.request(b, "GET", "/")[0] == 200  # server A's session cookie is good on B
    signed_in = browser.cookie
    status, headers, _ = browser.request(a, "POST", "/auth/logout", {"csrf_token": browser.token(a, "/")})
    assert (status, headers["Location"]) == (302, "/auth/login")
    browser.cookie = signed_in  # the cookie as it was before signing out, replayed
    for port in (b, a):
        status, headers, _ = browser.request(port, "GET", "/")
        assert status == 302 and headers["Location"].startswith("/auth/login"), (port, status)


def test_a_two_step_code_used_on_one_server_is_refused_on_the_other(servers, people, fresh_store):
    a, b = servers
    person = Browser()
    assert person.sign_in(a, people[0], factories.PASSWORD, person.token(a, "/auth/login")) == 302
    _, _, page = person.request(a, "GET", "/security/two-step")
    secret = TOTP_SECRET.search(page).group(1).decode().replace(" ", "")
    now = time.time()
    used = code_at(secret, now)
    form = {"password": factories.PASSWORD, "code": used, "csrf_token": CSRF.search(page).group(1).decode()}
    assert person.request(a, "POST", "/security/two-step", form)[0] == 302  # on, with this code
    thief = Browser()
    assert thief.sign_in(b, people[0], factories.PASSWORD, thief.token(b, "/auth/login")) == 302
    token = thief.token(b, "/security/code")
    assert thief.request(b, "POST", "/security/code", {"code": used, "csrf_token": token})[0] == 422
    fresh = {"code": code_at(secret, now + 30), "csrf_token": token}
    status, headers, _ = thief.request(b, "POST", "/security/code", fresh)
    assert (status, headers["Location"]) == (302, "/")  # a code not used before is accepted on B


def _scheduler(cwd: Path, app: str, env: dict[str, str]) -> subprocess.Popen:
    argv = [sys.executable, "-m", "flask", "--app", app, "scheduler", "run", "--heartbeat-seconds", "1"]
    return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _beating_pid(db) -> int | None:
    db.session.rollback()  # see the schedulers' commits
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    return beat.pid if beat else None


def test_of_two_schedulers_on_one_database_only_one_runs(db, database_url, prefix, tmp_path):
    env = _environment(database_url, prefix)
    other_host = tmp_path / "other-host"  # another checkout on another server: no shared files
    other_host.mkdir()
    first = _scheduler(ROOT, "app", env)
    try:
        wait_until(lambda: first.poll() is not None or _beating_pid(db) == first.pid, 40, "a heartbeat")
        assert first.poll() is None, first.communicate()
        second = _scheduler(other_host, str(ROOT / "app.py"), env)
        _, err = second.communicate(timeout=60)
        assert second.returncode != 0
        assert "another scheduler is already running" in err, err
        time.sleep(1.5)  # a heartbeat later, still the first one's
        assert _beating_pid(db) == first.pid
        assert db.session.scalars(select(SchedulerHeartbeat.name)).all() == [HEARTBEAT]
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)
    assert first.returncode == 0
