"""Sessions end on logout, password change and deactivation; timeouts; cookie flags; proxies."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from caseload import create_app
from caseload.db import utcnow
from tests import factories


def _sign_in(client, email, password=factories.PASSWORD, **kw):
    return client.post("/auth/login", data={"email": email, "password": password}, **kw)


@pytest.fixture
def person(db):
    user = factories.user(db.session, "specialist", email="siri@example.test")
    db.session.commit()
    return user


@pytest.fixture
def devices(app, person):
    """The same person signed in on a phone and a laptop."""
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        assert _sign_in(device, person.email).status_code == 302
        assert device.get("/").status_code == 200
    return phone, laptop


def test_logout_ends_the_session_on_every_device(devices):
    phone, laptop = devices
    assert laptop.post("/auth/logout").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_changing_ones_password_ends_every_session_and_the_new_one_works(devices, person):
    phone, laptop = devices
    response = laptop.post(
        "/security/password",
        data={"current": factories.PASSWORD, "new": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 302 and "/auth/login" in response.location
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert _sign_in(laptop, person.email).status_code == 422
    assert _sign_in(laptop, person.email, "a-new-long-password").status_code == 302


def test_password_change_needs_the_current_password(devices):
    phone, laptop = devices
    response = laptop.post(
        "/security/password",
        data={"current": "not-my-password", "new": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 422 and b"The current password is wrong." in response.data
    assert phone.get("/").status_code == 200


def test_password_change_refuses_short_or_mismatched_passwords(devices):
    _, laptop = devices
    for new, confirm in (("short", "short"), ("a-new-long-password", "another-long-password")):
        data = {"current": factories.PASSWORD, "new": new, "confirm": confirm}
        assert laptop.post("/security/password", data=data).status_code == 422
    assert laptop.get("/").status_code == 200


def test_an_admin_cannot_set_a_password_and_a_link_set_one_ends_every_session(
    app, client, db, devices, person, login_as
):
    phone, laptop = devices
    login_as("admin")
    data = {"name": person.name, "role": "specialist", "program_id": person.program_id, "fte": "1.0"}
    data |= {"active": "y", "language": "", "password": "set-by-the-admin-1"}
    assert client.post(f"/auth/people/{person.id}", data=data).status_code == 302
    assert _sign_in(app.test_client(), person.email, "set-by-the-admin-1").status_code == 422
    page = client.post(f"/auth/people/{person.id}/password-link").get_data(as_text=True)
    link = re.search(r"http://[^<\s]+/auth/set-password/[\w-]+", page).group(0)
    new = {"new": "chosen-by-siri-1", "confirm": "chosen-by-siri-1"}
    assert app.test_client().post(urlsplit(link).path, data=new).status_code == 302
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302
    assert _sign_in(app.test_client(), person.email, "chosen-by-siri-1").status_code == 302


def test_deactivation_ends_every_session(app, client, db, devices, person, login_as):
    phone, laptop = devices
    login_as("admin")
    data = {"name": person.name, "role": "specialist", "program_id": person.program_id, "fte": "1.0"}
    assert client.post(f"/auth/people/{person.id}", data=data | {"language": ""}).status_code == 302
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302
    assert _sign_in(app.test_client(), person.email).status_code == 422


def _age_session(client, **ago):
    with client.session_transaction() as sess:
        for key, delta in ago.items():
            sess[key] = utcnow().timestamp() - delta.total_seconds()


def test_session_idle_for_30_minutes_ends_but_29_does_not(client, login_as):
    login_as("specialist")
    _age_session(client, seen_at=timedelta(minutes=29))
    assert client.get("/").status_code == 200
    _age_session(client, seen_at=timedelta(minutes=30, seconds=5))
    assert client.get("/").status_code == 302


def test_session_ends_after_12_hours_however_active(client, login_as):
    login_as("specialist")
    _age_session(client, login_at=timedelta(hours=11, minutes=59))
    assert client.get("/").status_code == 200
    _age_session(client, login_at=timedelta(hours=12, minutes=1))
    assert client.get("/").status_code == 302


def test_timeouts_are_configurable(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "IDLE_TIMEOUT", timedelta(minutes=5))
    monkeypatch.setitem(app.config, "ABSOLUTE_TIMEOUT", timedelta(hours=1))
    login_as("specialist")
    _age_session(client, seen_at=timedelta(minutes=6))
    assert client.get("/").status_code == 302
    login_as("specialist")
    _age_session(client, login_at=timedelta(minutes=61))
    assert client.get("/").status_code == 302


def test_timeouts_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CASELOAD_IDLE_MINUTES", "10")
    monkeypatch.setenv("CASELOAD_ABSOLUTE_HOURS", "8")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    assert app.config["IDLE_TIMEOUT"] == timedelta(minutes=10)
    assert app.config["ABSOLUTE_TIMEOUT"] == timedelta(hours=8)


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, person):
    cookie = _session_cookie(_sign_in(client, person.email))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_session_cookie_is_secure_with_caseload_https(app, client, person, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = _session_cookie(_sign_in(client, person.email))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_caseload_https_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CASELOAD_HTTPS", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def test_behind_a_proxy_x_forwarded_proto_makes_the_cookie_secure(proxied_app, db, person):
    email = person.email
    db.session.commit()  # another app (own connection) writes next: hold no SQLite lock
    response = _sign_in(proxied_app.test_client(), email, headers=HTTPS_PROXY)
    cookie = _session_cookie(response)
    assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_the_proxy_setting_forwarded_headers_are_ignored(client, person):
    response = _sign_in(client, person.email, headers=HTTPS_PROXY)
    assert "Secure" not in _session_cookie(response)
    assert "Strict-Transport-Security" not in response.headers
