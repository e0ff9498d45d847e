"""One writer process for the concurrency test: `python -m tests.ops.writer URL EMAIL SECONDS`.

It builds the app on the SQLite file, signs in as EMAIL, prints "ready", waits for "go" on standard
input, then for SECONDS records referrals, accepts every third one (a new client: refs, audit chain)
and reads the referral list, through the app's views. It prints one JSON line with what happened.
"""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import select

from caseload import create_app
from caseload.auth.models import User
from caseload.db import utcnow
from caseload.extensions import db

LOCKED = "database is locked"


def _sign_in(app, client, email: str) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        identity, user_id = user.get_id(), user.id
        db.session.remove()
    now = utcnow().timestamp()
    with client.session_transaction() as sess:
        sess.update({"_user_id": identity, "_fresh": True, "login_at": now, "seen_at": now})
    return user_id


def _one_round(client, n: int, tag: str, user_id: int) -> list[int]:
    name = f"{tag} {n}"
    answer = client.post("/referrals/new", data={"received_on": "2026-01-05", "person_name": name})
    statuses = [answer.status_code]
    if n % 3 == 0 and answer.status_code == 302:
        accept = answer.location
        data = {"name": name, "specialist_id": user_id, "team_id": 0, "entry_date": "2026-01-06"}
        statuses.append(client.post(accept, data=data | {"status_at_entry": "unemployed"}).status_code)
    if n % 2 == 0:
        statuses.append(client.get("/referrals").status_code)
    return statuses


def main(url: str, email: str, seconds: float) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "w" * 40, "WTF_CSRF_ENABLED": False})
    app.config["TESTING"] = True  # exceptions reach this loop instead of becoming 500 pages
    client = app.test_client()
    user_id = _sign_in(app, client, email)
    print("ready", flush=True)
    sys.stdin.readline()
    result = {"email": email, "requests": 0, "writes": 0, "locked": 0, "errors": []}
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
        try:
            statuses = _one_round(client, n, email, user_id)
        except Exception as err:  # noqa: BLE001 - every failure is counted and reported
            key = "locked" if LOCKED in str(err) else "errors"
            result[key] = result[key] + 1 if key == "locked" else [*result[key], repr(err)[:200]]
            continue
        result["requests"] += len(statuses)
        result["writes"] += sum(s == 302 for s in statuses)
        result["errors"] += [f"status {s}" for s in statuses if s not in (200, 302)]
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], float(sys.argv[3]))), flush=True)
