"""The daily e-mail digest, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import ssl
from datetime import datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from caseload.forms import today
from caseload.prompts.digest import digests_send
from caseload.prompts.scheduler import job_sweep
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.mailserver import free_port
from tests.mailserver import smtp as smtp  # noqa: F401 - the fixture
from tests.mailserver import smtp_tls as smtp_tls  # noqa: F401 - the fixture

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def enabled(app, monkeypatch, smtp):
    inbox, port = smtp
    for key, value in {"DIGEST_ENABLED": True, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port}.items():
        monkeypatch.setitem(app.config, key, value)
    return inbox


@pytest.fixture
def due(db):
    """A specialist with an overdue start follow-up for client 'Kari Nordmann'."""
    spec = factories.user(db.session, role="specialist")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=60), name="Kari Nordmann")
    factories.job(db.session, cl, start=today() - timedelta(days=5))
    db.session.commit()
    prompts_sweep(db.session, now=local(today(), 6))
    db.session.commit()
    return spec, cl


def local(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), OSLO)


def test_no_digest_unless_enabled(app, db, smtp, due):
    assert not app.config["DIGEST_ENABLED"]
    assert digests_send(db.session, local(today(), 10)) == 0
    assert smtp[0].messages == []


def test_one_digest_a_day_with_no_client_name_in_the_subject(db, enabled, due):
    spec, cl = due
    assert digests_send(db.session, local(today(), 8)) == 1
    db.session.commit()
    [msg] = enabled.messages
    assert msg["To"] == spec.email
    assert "Kari" not in msg["Subject"] and cl.ref not in msg["Subject"]
    assert "overdue" in msg["Subject"]
    body = msg.get_payload(decode=True).decode()
    assert cl.ref in body and "Kari" not in body
    assert digests_send(db.session, local(today(), 12)) == 0
    assert digests_send(db.session, local(today() + timedelta(days=1), 8)) == 1


def test_no_digest_before_the_hour(db, enabled, due):
    assert digests_send(db.session, local(today(), 6)) == 0
    assert enabled.messages == []


def test_a_missed_digest_goes_out_once_after_downtime(app, db, enabled, due):
    with app.app_context():
        job_sweep(local(today(), 11))
        job_sweep(local(today(), 11) + timedelta(minutes=15))
    assert len(enabled.messages) == 1


def test_an_unreachable_smtp_server_does_not_stop_the_sweep(app, db, monkeypatch, due):
    monkeypatch.setitem(app.config, "DIGEST_ENABLED", True)
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    counts = job_sweep(local(today(), 9))
    assert counts.created == 0  # swept already by the fixture; nothing new, and no exception


def test_the_digest_command_sends_with_force(db, enabled, due, runner):
    result = runner.invoke(args=["prompts", "digest", "--force", "--now", local(today(), 5).isoformat()])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 1"
    assert len(enabled.messages) == 1


@pytest.fixture
def relay(app, monkeypatch, smtp_tls):
    """The app configured for a relay that requires STARTTLS and login, links on a public address."""
    settings = {
        "DIGEST_ENABLED": True,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_tls.port,
        "SMTP_STARTTLS": True,
        "SMTP_CA_FILE": str(smtp_tls.ca_file),
        "SMTP_USERNAME": "caseload",
        "SMTP_PASSWORD": "relay-secret",
        "SMTP_SENDER": "ips@hospital.example",
        "CASELOAD_BASE_URL": "https://ips.hospital.example/",
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_tls.inbox


def test_the_digest_goes_through_starttls_and_login_with_the_headers_filters_expect(db, relay, due):
    spec, _cl = due
    assert digests_send(db.session, local(today(), 8)) == 1
    [msg] = relay.messages
    assert relay.encrypted == [True]
    assert relay.logins == [("caseload", "relay-secret")]
    assert msg["From"] == "ips@hospital.example" and msg["To"] == spec.email
    assert parsedate_to_datetime(msg["Date"]).tzinfo is not None
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@hospital.example>")
    body = msg.get_payload(decode=True).decode()
    assert "https://ips.hospital.example/prompts/" in body
    assert "127.0.0.1" not in body


def test_a_relay_certificate_nobody_vouches_for_is_refused(app, db, monkeypatch, relay, due):
    monkeypatch.setitem(app.config, "SMTP_CA_FILE", None)
    with pytest.raises(ssl.SSLCertVerificationError):
        digests_send(db.session, local(today(), 8))
    assert relay.messages == []


def test_the_supervisors_digest_has_one_line_per_specialist_week_saying_whose(db, relay):
    program = factories.program(db.session)
    supervisor = factories.user(db.session, role="supervisor", prog=program, name="Siri Sjef")
    for name in ("Kari Nordmann", "Ola Hansen"):
        factories.user(db.session, role="specialist", prog=program, name=name)
    monday = today() - timedelta(days=today().weekday() + 7)  # last week's, due by now
    db.session.commit()
    prompts_sweep(db.session, now=local(today(), 6))
    db.session.commit()
    assert digests_send(db.session, local(today(), 8)) >= 1
    [msg] = [m for m in relay.messages if m["To"] == supervisor.email]
    body = msg.get_payload(decode=True).decode()
    lines = [line for line in body.splitlines() if "employer-contact log" in line]
    last_week = [line for line in lines if line.endswith(f"week of {monday.isoformat()}")]
    assert sorted(line.split(": ", 1)[1] for line in last_week) == [
        f"Review Kari Nordmann's employer-contact log — week of {monday.isoformat()}",
        f"Review Ola Hansen's employer-contact log — week of {monday.isoformat()}",
    ]
    assert len(lines) == len(set(lines)) and len(lines) % 2 == 0
