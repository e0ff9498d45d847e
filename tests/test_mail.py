"""Mail settings come from the environment (caseload/config.py) and take effect when mail is sent."""

from __future__ import annotations

import smtplib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from caseload.config import Config
from caseload.mail import app_url, mail_configured, mail_message, send
from caseload.prompts.digest import digest_due
from tests.mailserver import smtp as smtp  # noqa: F401 - the fixture

MAIL_KEYS = (
    "CASELOAD_BASE_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_SENDER",
    "SMTP_STARTTLS",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "DIGEST_ENABLED",
)
ENV = {
    "CASELOAD_BASE_URL": "https://ips.hospital.example/",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": "2525",
    "SMTP_SENDER": "ips@hospital.example",
    "SMTP_STARTTLS": "1",
    "SMTP_USERNAME": "mailer",
    "SMTP_PASSWORD": "mail-secret",
    "CASELOAD_DIGEST": "1",
}


def _settings(monkeypatch, tmp_path, env: dict[str, str]) -> dict:
    for key in ENV:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Config(str(tmp_path)).as_dict()


def _use(app, monkeypatch, settings: dict) -> None:
    """The app configured as create_app configures it from ``settings``."""
    for key in MAIL_KEYS:
        monkeypatch.setitem(app.config, key, settings[key])


def test_every_mail_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path, ENV)
    assert {key: settings[key] for key in MAIL_KEYS} == {
        "CASELOAD_BASE_URL": "https://ips.hospital.example/",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": 2525,
        "SMTP_SENDER": "ips@hospital.example",
        "SMTP_STARTTLS": True,
        "SMTP_USERNAME": "mailer",
        "SMTP_PASSWORD": "mail-secret",
        "DIGEST_ENABLED": True,
    }


def test_without_the_environment_mail_is_off(app, monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path, {})
    assert (settings["SMTP_HOST"], settings["SMTP_STARTTLS"], settings["DIGEST_ENABLED"]) == (
        "",
        False,
        False,
    )
    _use(app, monkeypatch, settings)
    assert not mail_configured()
    assert app_url("/prompts/") == "http://127.0.0.1:5000/prompts/"


def test_host_port_sender_and_login_from_the_environment_reach_the_server(app, monkeypatch, tmp_path, smtp):
    inbox, port = smtp
    env = ENV | {"SMTP_PORT": str(port), "SMTP_STARTTLS": "0"}
    _use(app, monkeypatch, _settings(monkeypatch, tmp_path, env))
    assert send([mail_message(to="a@example.test", subject="S", body="B")]) == 1
    assert inbox.senders == ["ips@hospital.example"]
    assert inbox.messages[0]["From"] == "ips@hospital.example"
    assert inbox.logins == [("mailer", "mail-secret")]


def test_starttls_from_the_environment_is_required_of_the_server(app, monkeypatch, tmp_path, smtp):
    inbox, port = smtp  # a server that offers no STARTTLS
    _use(app, monkeypatch, _settings(monkeypatch, tmp_path, ENV | {"SMTP_PORT": str(port)}))
    with pytest.raises(smtplib.SMTPNotSupportedError):
        send([mail_message(to="a@example.test", subject="S", body="B")])
    assert inbox.messages == []


def test_the_base_url_from_the_environment_starts_every_link(app, monkeypatch, tmp_path):
    _use(app, monkeypatch, _settings(monkeypatch, tmp_path, ENV))
    assert app_url("/auth/set-password/t") == "https://ips.hospital.example/auth/set-password/t"


@pytest.mark.parametrize(("value", "due"), [("1", True), ("0", False)])
def test_caseload_digest_from_the_environment_switches_the_digest(app, db, monkeypatch, tmp_path, value, due):
    _use(app, monkeypatch, _settings(monkeypatch, tmp_path, ENV | {"CASELOAD_DIGEST": value}))
    morning = datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo(app.config["CASELOAD_TIMEZONE"]))
    assert digest_due(db.session, morning) is due
