"""No lost writes: the server is SIGKILLed again and again during a stream of HTTP writes.

The real app runs under gunicorn on SQLite; a client signs in (CSRF and all) and records referrals
one after another. Each round kills the process handling them mid-stream; most rounds kill the
worker (gunicorn's master forks a new one), some kill master and worker together and start the
server again. Every referral the client saw acknowledged (302 to its page) must be in the
database afterwards, and the database must pass PRAGMA integrity_check.
Rounds: CASELOAD_KILL_ROUNDS (50), of which CASELOAD_FULL_RESTARTS (2) are whole-server restarts.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
import time
from http.client import HTTPException

import pytest

from tests import factories
from tests.ops import server
from tests.ops.http_client import Browser

ROUNDS = int(os.environ.get("CASELOAD_KILL_ROUNDS", "50"))
FULL_RESTARTS = int(os.environ.get("CASELOAD_FULL_RESTARTS", "2"))


class Stream:
    """Records referrals one after another; knows which were acknowledged."""

    def __init__(self, browser: Browser) -> None:
        self.browser, self.acked, self.in_doubt, self.refused = browser, {}, [], []
        self.ack_times: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            name = f"Written {n}"
            try:
                status, location = self.browser.post(
                    "/referrals/new", {"received_on": "2026-01-05", "person_name": name}
                )
            except (OSError, HTTPException) as err:
                if not _refused(err):  # the request reached the server: its outcome is unknown
                    self.in_doubt.append(name)
                time.sleep(0.02)
                continue
            if status == 302 and "/referrals/R-" in location:
                self.acked[name] = location.split("/referrals/")[1].split("/")[0]
                self.ack_times.append(time.monotonic())
            else:
                self.refused.append(status)


def _refused(err: Exception) -> bool:
    """Connection refused: nothing was sent (the server was not listening)."""
    return isinstance(getattr(err, "reason", err), ConnectionRefusedError)


def _recovery(kill_times: list[float], ack_times: list[float]) -> float:
    """The mean time from a kill to the next acknowledged write."""
    gaps = [min((a for a in ack_times if a > k), default=k) - k for k in kill_times]
    return sum(gaps) / max(len(gaps), 1)


def _wait_for_writes(stream: Stream, count: int) -> None:
    target = len(stream.acked) + count
    server.wait_until(lambda: len(stream.acked) >= target, 60, f"{count} acknowledged writes")


@pytest.mark.slow
def test_every_acknowledged_write_survives_sigkill_of_the_server(tmp_path):
    path = tmp_path / "crash.db"
    url, email = server.prepared_database(path)
    port, log = server.free_port(), tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    master = server.start(url, port, log)
    rng = random.Random(20260105)  # noqa: S311 - timing jitter, not security
    full = set(rng.sample(range(5, ROUNDS), min(FULL_RESTARTS, max(ROUNDS - 5, 0))))
    kills = worker_kills = 0
    kill_times: dict[bool, list[float]] = {True: [], False: []}
    try:
        server.wait_until(lambda: server.answers(base), 90, "the server")
        browser = Browser(base, timeout=10)
        browser.sign_in(email, factories.PASSWORD)
        stream = Stream(browser)
        writer = threading.Thread(target=stream.run, daemon=True)
        writer.start()
        for round_ in range(ROUNDS):
            _wait_for_writes(stream, rng.randint(2, 8))
            time.sleep(rng.uniform(0, 0.02))  # land anywhere inside the next request
            kill_times[round_ in full].append(time.monotonic())
            if round_ in full:
                server.kill_all(master)
                master = server.start(url, port, log)
            else:
                for pid in server.workers(master):
                    os.kill(pid, signal.SIGKILL)
                    worker_kills += 1
            kills += 1
        _wait_for_writes(stream, 3)
        stream.stop.set()
        writer.join(timeout=30)
    finally:
        server.kill_all(master)

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute("SELECT person_name, ref FROM referrals"))
    lost = {name: ref for name, ref in stream.acked.items() if stored.get(name) != ref}
    print(
        f"\nkill test: {kills} SIGKILL rounds ({kills - len(full)} of the worker, {len(full)} of the whole"
        f" server), {len(stream.acked)} writes acknowledged, {len(stream.in_doubt)} cut off mid-request"
        f" ({sum(n in stored for n in stream.in_doubt)} of them stored), {len(lost)} lost,"
        f" integrity_check ok; back after {_recovery(kill_times[False], stream.ack_times):.2f} s (worker),"
        f" {_recovery(kill_times[True], stream.ack_times):.1f} s (server)"
    )
    assert kills >= ROUNDS and worker_kills >= ROUNDS - len(full)
    assert not lost, f"acknowledged but not stored: {sorted(lost)[:10]}"
    assert not stream.refused, f"unexpected answers: {stream.refused[:10]}"
