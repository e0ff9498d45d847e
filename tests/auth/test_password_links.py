"""One-time set-password links: an administrator never chooses another person's password."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import select

from caseload.auth.models import PasswordLink, User
from caseload.auth.services import password_link_issue
from caseload.db import utcnow
from tests import factories
from tests.mailserver import free_port
from tests.mailserver import smtp as smtp  # noqa: F401 - the fixture

NEW = {"new": "my-own-secret-1", "confirm": "my-own-secret-1"}
LINK = re.compile(r"https?://[^<\s\"]+/auth/set-password/[\w-]+")


def _person_data(program_id: int) -> dict:
    return {
        "email": "new@example.test",
        "name": "Nina New",
        "role": "specialist",
        "program_id": program_id,
        "fte": "1.0",
        "language": "",
    }


def _sign_in(client, email: str, password: str):
    return client.post("/auth/login", data={"email": email, "password": password})


def _issue(db, user, *, hours_ago: float = 0) -> str:
    token = password_link_issue(
        db.session, user=user, issued_by_id=None, now=utcnow() - timedelta(hours=hours_ago)
    )
    db.session.commit()
    return f"/auth/set-password/{token}"


def test_a_new_person_sets_their_own_password_through_the_link_shown_once(app, client, db, login_as):
    admin = login_as("admin", name="Ada Admin")
    page = client.post("/auth/people/new", data=_person_data(admin.program_id)).get_data(as_text=True)
    link = LINK.search(page).group(0)
    assert urlsplit(link).netloc == "127.0.0.1:5000"  # CASELOAD_BASE_URL's default
    assert "shown only now" in page
    person = app.test_client()  # not signed in
    assert person.get(urlsplit(link).path).status_code == 200
    response = person.post(urlsplit(link).path, data=NEW)
    assert response.status_code == 302 and response.location.endswith("/auth/login")
    response = _sign_in(person, "new@example.test", NEW["new"])
    assert response.status_code == 302
    home = person.get("/").get_data(as_text=True)
    assert "Your account was changed on" in home and "by Ada Admin" in home
    assert "your account was created" in home and "a set-password link was issued" in home
    person.post("/auth/logout")
    _sign_in(person, "new@example.test", NEW["new"])
    assert "Your account was changed" not in person.get("/").get_data(as_text=True)


def test_the_link_works_once(app, db):
    user = factories.user(db.session, "specialist")
    path = _issue(db, user)
    person = app.test_client()
    assert person.post(path, data=NEW).status_code == 302
    again = {"new": "another-secret-2", "confirm": "another-secret-2"}
    response = person.post(path, data=again)
    assert response.status_code == 404 and "This link was used already" in response.get_data(as_text=True)
    assert person.get(path).status_code == 404
    assert _sign_in(app.test_client(), user.email, NEW["new"]).status_code == 302
    assert _sign_in(app.test_client(), user.email, again["new"]).status_code == 422


def test_the_link_expires_after_72_hours(app, db):
    user = factories.user(db.session, "specialist")
    fresh_enough = _issue(db, user, hours_ago=71.9)
    assert app.test_client().get(fresh_enough).status_code == 200
    expired = _issue(db, user, hours_ago=72)
    response = app.test_client().post(expired, data=NEW)
    assert response.status_code == 404 and "This link has expired" in response.get_data(as_text=True)
    assert _sign_in(app.test_client(), user.email, NEW["new"]).status_code == 422


@pytest.mark.parametrize("token", ["unknown-token", "x" * 300, "%00", "..%5C..%5Cetc"])
def test_an_unknown_link_gets_a_clear_message(client, db, token):
    response = client.get(f"/auth/set-password/{token}")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)


def test_a_new_link_ends_the_earlier_one(app, db):
    user = factories.user(db.session, "specialist")
    first, second = _issue(db, user), _issue(db, user)
    assert app.test_client().post(first, data=NEW).status_code == 404
    assert app.test_client().post(second, data=NEW).status_code == 302


def test_only_the_tokens_hash_is_stored(db):
    user = factories.user(db.session, "specialist")
    token = _issue(db, user).rsplit("/", 1)[1]
    link = db.session.scalar(select(PasswordLink))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in db.session.execute(select(PasswordLink.__table__)).one())
    assert token not in stored
    assert link.expires_at - link.issued_at == timedelta(hours=72)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new": "short", "confirm": "short"}, "Field must be between 10 and 200"),
        ({"new": "long-enough-one", "confirm": "long-enough-two"}, "The two new passwords differ."),
        ({"new": "nul\x00-in-password", "confirm": "nul\x00-in-password"}, "not allowed"),
    ],
)
def test_the_password_rules_apply_and_a_refused_password_keeps_the_link(app, db, data, message):
    user = factories.user(db.session, "specialist")
    path = _issue(db, user)
    response = app.test_client().post(path, data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(PasswordLink.used_at)) is None
    assert app.test_client().post(path, data=NEW).status_code == 302


def test_a_deactivated_person_cannot_use_a_link(app, db):
    user = factories.user(db.session, "specialist")
    path = _issue(db, user)
    user.active = False
    db.session.commit()
    response = app.test_client().post(path, data=NEW)
    assert response.status_code == 404 and "not active" in response.get_data(as_text=True)


def test_the_link_is_mailed_when_smtp_is_configured_and_not_shown(
    app, client, db, login_as, monkeypatch, smtp
):
    inbox, port = smtp
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "CASELOAD_BASE_URL": "https://ips.hospital.example/",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    admin = login_as("admin")
    data = _person_data(admin.program_id) | {"language": "nb"}
    page = client.post("/auth/people/new", data=data).get_data(as_text=True)
    assert "/auth/set-password/" not in page and "new@example.test" in page
    (message,) = inbox.messages
    assert message["To"] == "new@example.test" and message["Subject"] == "Din tilgang til IPS-saksmengden"
    link = LINK.search(message.get_payload(decode=True).decode()).group(0)
    assert link.startswith("https://ips.hospital.example/auth/set-password/")
    assert app.test_client().post(urlsplit(link).path, data=NEW).status_code == 302


def test_the_link_is_shown_when_the_mail_cannot_be_sent(app, client, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens
    admin = login_as("admin")
    person = factories.user(db.session, "clinician")
    db.session.commit()
    response = client.post(f"/auth/people/{person.id}/password-link")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The e-mail could not be sent." in page
    assert app.test_client().get(urlsplit(LINK.search(page).group(0)).path).status_code == 200
    assert admin.role == "admin"


@pytest.mark.parametrize("role", ["specialist", "supervisor", "clinician"])
def test_only_admins_issue_links(client, db, login_as, role):
    person = factories.user(db.session, "specialist")
    db.session.commit()
    login_as(role)
    assert client.post(f"/auth/people/{person.id}/password-link").status_code == 404
    assert db.session.scalar(select(PasswordLink)) is None


def test_the_command_line_bootstrap_still_takes_a_password(runner, db):
    program = factories.program(db.session)
    db.session.commit()
    args = ["users", "create", "first@example.test", "--name", "First Admin", "--role", "admin"]
    result = runner.invoke(
        args=[*args, "--program", program.ref, "--password-stdin"], input="first-admin-pw\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.password_hash).where(User.email == "first@example.test"))


def test_the_access_log_masks_the_links_token():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(__file__).parents[2] / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    path = "/auth/set-password/SeCrEt-token_1"
    response = SimpleNamespace(status="200 OK", response_length=10, headers=[], sent=10)
    request = SimpleNamespace(headers=[], method="GET", path=path, query="", uri=path, version=(1, 1))
    environ = {"REMOTE_ADDR": "127.0.0.1", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": ""}
    environ |= {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1"}
    atoms = conf.RedactingLogger(GunicornConfig()).atoms(response, request, environ, timedelta(seconds=0.1))
    line = conf.access_log_format % atoms
    assert "SeCrEt" not in line and '"GET /auth/set-password/… HTTP/1.1"' in line
