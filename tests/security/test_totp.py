"""Optional two-step sign-in (TOTP) for every role; required for admins when switched on."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from sqlalchemy import select

from caseload.auth.models import User
from caseload.security.services import totp_secret_of, totp_secret_sealed
from caseload.security.totp import code_at, enrolment_secret, matching_step
from tests import factories

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_code_matches_its_step_and_the_neighbouring_ones_only():
    now = 1_800_000_015.0
    step = int(now // 30)
    assert matching_step(SECRET, code_at(SECRET, now), now) == step
    assert matching_step(SECRET, code_at(SECRET, now - 30), now) == step - 1
    assert matching_step(SECRET, code_at(SECRET, now + 30), now) == step + 1
    assert matching_step(SECRET, code_at(SECRET, now - 90), now) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x", None])
def test_malformed_codes_never_match(code):
    assert matching_step(SECRET, code, 1_800_000_015.0) is None


def test_spaces_in_a_code_are_ignored():
    now = 1_800_000_015.0
    code = code_at(SECRET, now)
    assert matching_step(SECRET, f" {code[:3]} {code[3:]} ", now) is not None


def test_enrolment_secrets_differ_by_person_and_nonce_and_are_base32():
    a, b, c = enrolment_secret("k", 1, "n1"), enrolment_secret("k", 2, "n1"), enrolment_secret("k", 1, "n2")
    assert len({a, b, c}) == 3 and re.fullmatch(r"[A-Z2-7]{32}", a)


def _signed_in(client) -> bool:
    return client.get("/security/account").status_code == 200


def _sign_in(client, email, password=factories.PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def _enrolment_page(client) -> tuple[str, str]:
    html = client.get("/security/two-step").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    uri = unquote(re.search(r'class="uri">([^<]+)<', html).group(1)).replace("&amp;", "&")
    return secret, uri


def _enrol(client, secret, now=None):
    data = {"password": factories.PASSWORD, "code": code_at(secret, now or time.time())}
    return client.post("/security/two-step", data=data)


@pytest.mark.parametrize("role", ["specialist", "supervisor", "clinician", "admin"])
def test_every_role_can_turn_on_two_step_sign_in_with_a_secret_as_text_and_uri(app, client, db, role):
    user = factories.user(db.session, role, email=f"{role}@example.test")
    db.session.commit()
    _sign_in(client, user.email)
    secret, uri = _enrolment_page(client)
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parse_qs(parsed.query)["secret"] == [secret] and user.email in unquote(parsed.path)
    assert _enrol(client, secret).status_code == 302
    stored = db.session.scalar(select(User.totp_secret).where(User.id == user.id))
    assert stored != secret and totp_secret_of(User(id=0, totp_secret=stored)) == secret  # encrypted
    assert _signed_in(client)  # this session goes on


def test_enrolment_needs_the_password_and_a_right_code(client, db):
    user = factories.user(db.session, "specialist")
    db.session.commit()
    _sign_in(client, user.email)
    secret, _ = _enrolment_page(client)
    bad_code = client.post("/security/two-step", data={"password": factories.PASSWORD, "code": "000000"})
    bad_password = client.post(
        "/security/two-step", data={"password": "wrong", "code": code_at(secret, time.time())}
    )
    assert bad_code.status_code == 422 and bad_password.status_code == 422
    assert db.session.scalar(select(User.totp_secret).where(User.id == user.id)) is None


@pytest.fixture
def enrolled(db):
    user = factories.user(
        db.session, "specialist", email="two@example.test", totp_secret=totp_secret_sealed(SECRET)
    )
    db.session.commit()
    return user


def test_turning_it_on_ends_the_other_sessions(app, client, db):
    user = factories.user(db.session, "supervisor")
    db.session.commit()
    other = app.test_client()
    _sign_in(other, user.email)
    _sign_in(client, user.email)
    secret, _ = _enrolment_page(client)
    _enrol(client, secret)
    assert not _signed_in(other) and _signed_in(client)


def test_with_two_step_the_password_alone_does_not_sign_in(client, enrolled):
    response = _sign_in(client, enrolled.email)
    assert response.status_code == 302 and response.location.endswith("/security/code")
    assert not _signed_in(client)


def test_the_code_after_the_password_signs_in(client, enrolled):
    _sign_in(client, enrolled.email)
    response = client.post("/security/code", data={"code": code_at(SECRET, time.time())})
    assert response.status_code == 302 and _signed_in(client)


def test_a_wrong_code_is_refused(client, enrolled):
    _sign_in(client, enrolled.email)
    assert client.post("/security/code", data={"code": "000000"}).status_code == 422
    assert not _signed_in(client)


def test_a_secret_sealed_with_another_data_key_signs_nobody_in(app, client, enrolled):
    keys = app.extensions["caseload_keys"]
    own = keys["data_key"]
    keys["data_key"] = "another-installations-data-key-" + "z" * 32
    try:
        _sign_in(client, enrolled.email)
        response = client.post("/security/code", data={"code": code_at(SECRET, time.time())})
    finally:
        keys["data_key"] = own
    assert response.status_code == 422 and not _signed_in(client)


def test_a_used_code_cannot_be_used_again(app, client, enrolled):
    code = code_at(SECRET, time.time())
    _sign_in(client, enrolled.email)
    assert client.post("/security/code", data={"code": code}).status_code == 302
    thief = app.test_client()
    _sign_in(thief, enrolled.email)
    assert thief.post("/security/code", data={"code": code}).status_code == 422
    assert not _signed_in(thief)


def test_the_code_step_without_a_password_step_goes_back_to_sign_in(client, enrolled):
    response = client.post("/security/code", data={"code": code_at(SECRET, time.time())})
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_code_step_expires_after_five_minutes(client, enrolled):
    _sign_in(client, enrolled.email)
    with client.session_transaction() as sess:
        sess["pending_2fa"] = {**sess["pending_2fa"], "at": time.time() - 301}
    response = client.post("/security/code", data={"code": code_at(SECRET, time.time())})
    assert "/auth/login" in response.location and not _signed_in(client)


def test_codes_are_throttled_per_person(client, enrolled):
    _sign_in(client, enrolled.email)
    statuses = [client.post("/security/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    assert client.post("/security/code", data={"code": code_at(SECRET, time.time())}).status_code == 429


def test_turning_it_off_needs_password_and_code(client, db, enrolled):
    _sign_in(client, enrolled.email)
    client.post("/security/code", data={"code": code_at(SECRET, time.time() - 30)})
    data = {"password": factories.PASSWORD, "code": code_at(SECRET, time.time())}
    assert client.post("/security/two-step", data=data | {"password": "wrong"}).status_code == 422
    assert client.post("/security/two-step", data=data).status_code == 302
    assert db.session.scalar(select(User.totp_secret).where(User.id == enrolled.id)) is None


@pytest.fixture
def admin_totp_required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_ADMIN_TOTP", True)


def test_when_required_an_admin_without_it_can_only_enrol(client, db, admin_totp_required):
    admin = factories.user(db.session, "admin")
    db.session.commit()
    _sign_in(client, admin.email)
    for page in ("/", "/auth/people", "/admin/teams"):
        response = client.get(page)
        assert response.status_code == 302 and response.location.endswith("/security/two-step")
    secret, _ = _enrolment_page(client)
    assert _enrol(client, secret).status_code == 302
    assert client.get("/auth/people").status_code == 200


def test_when_required_other_roles_stay_optional(client, db, admin_totp_required):
    user = factories.user(db.session, "supervisor")
    db.session.commit()
    _sign_in(client, user.email)
    assert client.get("/auth/people").status_code == 404  # no redirect to enrolment
    assert _signed_in(client)


def test_when_required_an_admin_cannot_turn_it_off(client, db, admin_totp_required):
    admin = factories.user(db.session, "admin", totp_secret=totp_secret_sealed(SECRET))
    db.session.commit()
    _sign_in(client, admin.email)
    client.post("/security/code", data={"code": code_at(SECRET, time.time() - 30)})
    data = {"password": factories.PASSWORD, "code": code_at(SECRET, time.time())}
    response = client.post("/security/two-step", data=data)
    assert response.status_code == 422 and b"must keep" in response.data
    db.session.refresh(admin)
    assert totp_secret_of(admin) == SECRET


def test_an_admin_removes_a_lost_second_factor_and_ends_the_sessions(app, client, db, enrolled, login_as):
    device = app.test_client()
    _sign_in(device, enrolled.email)
    device.post("/security/code", data={"code": code_at(SECRET, time.time())})
    login_as("admin")
    assert client.post(f"/security/people/{enrolled.id}/two-step/reset").status_code == 302
    assert db.session.scalar(select(User.totp_secret).where(User.id == enrolled.id)) is None
    assert not _signed_in(device)


@pytest.mark.parametrize("role", ["specialist", "supervisor", "clinician"])
def test_only_admins_remove_a_second_factor(client, db, enrolled, login_as, role):
    login_as(role)
    assert client.post(f"/security/people/{enrolled.id}/two-step/reset").status_code == 404


def test_the_cli_removes_a_second_factor(runner, db, enrolled):
    result = runner.invoke(args=["security", "reset-two-step", "TWO@example.test"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.totp_secret).where(User.id == enrolled.id)) is None
    result = runner.invoke(args=["security", "reset-two-step", "nobody@example.test"])
    assert result.exit_code != 0 and "no person" in result.output
