"""No health data in the application's logs: canaries planted through the app never reach a log line.

Every logger is captured at DEBUG (the app's, werkzeug's request log, SQLAlchemy's, the libraries')
while a specialist records a referral, a client, a contact and a benefits session with canary
names and notes over HTTP, opens every page about the client, sends invalid forms carrying the
canaries, and while a database error carries them.
"""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tests import factories
from tests.ops.http_client import Browser
from tests.security.logcheck import CANARIES

NAME, NOTE, BENEFITS = CANARIES[-3:]


@pytest.fixture
def logs(no_canary_in_logs):
    """Every log record of every logger (root at DEBUG) while the test runs."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    yield no_canary_in_logs
    root.setLevel(level)


def _leaks(capture) -> list[str]:
    return capture.leaks()


def _client_journey(base: str, email: str) -> tuple[str, int]:
    today = date.today().isoformat()
    browser = Browser(base)
    browser.sign_in(email, factories.PASSWORD)
    _, location = browser.post("/referrals/new", {"received_on": today, "person_name": NAME})
    accept = location.split("127.0.0.1", 1)[-1].split(":", 1)[-1]
    accept = accept[accept.index("/") :]
    page = browser.get(accept)[1]
    specialist = re.search(r'name="specialist_id"[^>]*>\s*<option[^>]*value="(\d+)"', page)
    data = {"name": NAME, "entry_date": today, "status_at_entry": "unemployed", "team_id": 0}
    status, location = browser.post(
        accept, data | {"specialist_id": specialist.group(1) if specialist else ""}
    )
    assert status == 302, f"accept answered {status}"
    client_path = location[location.index("/clients/") :]
    posts = [
        (f"{client_path}/contacts/new", {"contact_date": today, "mode": "phone", "location": "remote"}),
        (f"{client_path}/benefits/new", {"session_date": today, "kind": "initial", "notes": BENEFITS}),
    ]
    posts[0][1].update({"purpose": "engagement", "minutes": "20", "notes": NOTE})
    for path, data in posts:
        staff = re.search(r'name="staff_id"[^>]*>\s*<option[^>]*value="(\d+)"', browser.get(path)[1])
        status, _ = browser.post(path, data | ({"staff_id": staff.group(1)} if staff else {}))
        assert status == 302, f"{path} answered {status}"
    bad = [
        (f"{client_path}/contacts/new", {"notes": NOTE * 300}),
        ("/referrals/new", {"person_name": NAME * 20}),
    ]
    for path, data in bad:
        assert browser.post(path, data)[0] == 422
    opened = 0
    for suffix in ("", "/measures", "/plan", "/profile", "/close", "/contacts/new", "/benefits/new"):
        opened += browser.get(client_path + suffix)[0] == 200
    for path in ("/", "/referrals", "/prompts/", "/employers/"):
        opened += browser.get(path)[0] == 200
    return client_path, opened


def test_no_canary_reaches_any_log_through_the_app(app, db, live_server, logs):
    email = factories.user(db.session, "specialist").email
    db.session.commit()
    client_path, opened = _client_journey(live_server, email)
    assert opened >= 8
    assert any("werkzeug" in line for line in logs.lines), "the request log was not captured"
    assert not _leaks(logs), _leaks(logs)


def test_a_database_error_does_not_log_the_values_it_carried(app, db, logs):
    try:
        db.session.execute(
            text("INSERT INTO clients (id, name) VALUES (:id, :name)"), {"id": 1, "name": NAME}
        )
        db.session.flush()
    except SQLAlchemyError:
        logging.getLogger("caseload").exception("write failed")
    db.session.rollback()
    assert any("write failed" in line for line in logs.lines)
    assert not _leaks(logs), _leaks(logs)


def test_postgresql_error_details_and_parameters_are_redacted():
    from caseload.security.logs import redact

    text = (
        '(psycopg.errors.NotNullViolation) null value in column "program_id"\n'
        f"DETAIL:  Failing row contains (1, null, {NAME}).\n"
        "[SQL: INSERT INTO clients (id, name) VALUES (%(id)s, %(name)s)]\n"
        f"[parameters: {{'id': 1, 'name': '{NAME}'}}]\n"
    )
    assert NAME not in redact(text) and "INSERT INTO clients" in redact(text)
