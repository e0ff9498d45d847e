"""Sign-in is throttled per account and per address; only refused attempts count."""

from __future__ import annotations

import logging

import pytest

from caseload import create_app
from caseload.config import Config
from caseload.security.throttle import limiter
from tests import factories

WRONG = "wrong-password"


def _attempt(client, email, password=WRONG, address="198.51.100.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def people(db):
    emails = [factories.user(db.session, "specialist").email for _ in range(2)]
    db.session.commit()
    return emails


def test_five_refused_attempts_lock_the_account_even_for_the_right_password(client, people):
    email = people[0]
    assert [_attempt(client, email).status_code for _ in range(5)] == [422] * 5
    assert _attempt(client, email).status_code == 429
    assert _attempt(client, email, factories.PASSWORD).status_code == 429
    assert _attempt(client, email.upper(), factories.PASSWORD, address="198.51.100.2").status_code == 429


def test_a_locked_account_does_not_lock_other_accounts(client, people):
    for _ in range(6):
        _attempt(client, people[0])
    assert _attempt(client, people[1], factories.PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count(app, people):
    for _ in range(8):
        client = app.test_client()
        assert _attempt(client, people[0], factories.PASSWORD).status_code == 302


def test_thirty_refused_attempts_lock_the_address_for_every_account(client, people, monkeypatch):
    statuses = [_attempt(client, f"guess{i}@example.test").status_code for i in range(30)]
    assert statuses == [422] * 30
    assert _attempt(client, people[0], factories.PASSWORD).status_code == 429
    assert _attempt(client, people[0], factories.PASSWORD, address="198.51.100.9").status_code == 302


def test_limits_are_configurable(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "2 per hour")
    assert [_attempt(client, people[0]).status_code for _ in range(3)] == [422, 422, 429]


def test_the_locked_answer_is_a_page_not_an_error(client, people):
    for _ in range(6):
        response = _attempt(client, people[0])
    assert response.status_code == 429
    assert b"<html" in response.data and "text/html" in response.content_type


def test_throttle_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CASELOAD_RATELIMIT_STORAGE", "memory://")
    monkeypatch.setenv("CASELOAD_LOGIN_LIMIT_ACCOUNT", "3 per 10 minutes")
    monkeypatch.setenv("CASELOAD_LOGIN_LIMIT_ADDRESS", "20 per hour")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["LOGIN_LIMIT_ACCOUNT"] == "3 per 10 minutes"
    assert app.config["LOGIN_LIMIT_ADDRESS"] == "20 per hour"
    assert limiter.enabled


def test_behind_a_proxy_the_forwarded_address_is_throttled(proxied_app, db, people):
    email = people[0]
    db.session.commit()
    client = proxied_app.test_client()

    def attempt(forwarded_for, password=WRONG, who=None):
        data = {"email": who or email, "password": password}
        return client.post("/auth/login", data=data, headers={"X-Forwarded-For": forwarded_for})

    assert {attempt("203.0.113.7", who=f"x{i}@example.test").status_code for i in range(30)} == {422}
    assert attempt("203.0.113.7", factories.PASSWORD).status_code == 429
    assert attempt("203.0.113.8", factories.PASSWORD).status_code == 302


def test_a_redis_store_gets_the_installation_prefix_and_short_timeouts(monkeypatch, tmp_path):
    monkeypatch.setenv("CASELOAD_RATELIMIT_STORAGE", "redis://:pw@redis.internal:6379/0")
    monkeypatch.setenv("CASELOAD_RATELIMIT_PREFIX", "caseload-site-b")
    settings = Config(str(tmp_path))
    assert settings.RATELIMIT_STORAGE_URI == "redis://:pw@redis.internal:6379/0"
    assert settings.RATELIMIT_STORAGE_OPTIONS == {
        "key_prefix": "caseload-site-b",
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }


def test_the_memory_store_takes_no_redis_options(monkeypatch, tmp_path):
    monkeypatch.delenv("CASELOAD_RATELIMIT_STORAGE", raising=False)
    settings = Config(str(tmp_path))
    assert (settings.RATELIMIT_STORAGE_URI, settings.RATELIMIT_STORAGE_OPTIONS) == ("memory://", {})


def test_production_with_per_process_counts_says_so_in_the_log(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("CASELOAD_RATELIMIT_STORAGE", "memory://")
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db", "SECRET_KEY": "k" * 40}
    with caplog.at_level(logging.WARNING, logger="caseload.security"):
        create_app({**config, "CASELOAD_ENV": "production"})
    assert "CASELOAD_RATELIMIT_STORAGE" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="caseload.security"):
        create_app(config)
    assert "CASELOAD_RATELIMIT_STORAGE" not in caplog.text
