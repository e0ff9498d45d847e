"""Every setting in README.md's configuration table takes effect from the environment.

The table is read from the README itself: a documented variable without a check here fails, and
so does a variable that caseload/config.py reads but the README does not document. Each check
builds the app as a server does (``create_app()`` from the environment) and looks at what the
setting changes: a page, a cookie, a mail, a file, else the value the app runs with.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from caseload import create_app
from caseload.auth.anchors import anchor_write
from caseload.auth.passwords import hash_password
from caseload.extensions import db as _db
from caseload.forms import today
from caseload.logs import JsonFormatter
from caseload.mail import app_url, mail_configured, mail_message, send
from caseload.prompts.digest import digest_due
from caseload.prompts.scheduler import job_audit_anchor
from caseload.security.throttle import limiter
from tests import factories
from tests.mailserver import TlsServer
from tests.mailserver import smtp_tls as smtp_tls  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def documented() -> list[str]:
    """The variables in the first column of README.md's configuration table, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [name for row in rows for name in NAME.findall(row.split("|")[1])]


def read_by_config() -> set[str]:
    """The variables caseload/config.py reads."""
    source = (ROOT / "caseload" / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r'env\.get\(\s*"([A-Z0-9_]+)"', source))


@dataclass
class Probe:
    """What a check can use: the test's folder and relay, and what the app logged at start-up."""

    tmp_path: Path
    relay: TlsServer
    started: list[logging.LogRecord] = field(default_factory=list)

    def send_one(self, app) -> None:
        with app.app_context():
            send([mail_message(to="it@hospital.example", subject="Test", body="Hello")])


def relay_env(probe: Probe) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(probe.relay.port),
        "SMTP_STARTTLS": "1",
        "SMTP_CA_FILE": str(probe.relay.ca_file),
        "SMTP_USERNAME": "caseload",
        "SMTP_PASSWORD": "relay-secret",
    }


def refused_sign_in(client, email: str) -> int:
    return client.post("/auth/login", data={"email": email, "password": "wrong"}).status_code


# --- one check per documented variable: (value, extra environment, check(app, probe)) -----------


def check_database_url(app, probe):
    with app.app_context():
        assert _db.engine.url.database == str(probe.tmp_path / "other.db")


def check_secret_key(app, _probe):
    assert app.secret_key == "s" * 40


def check_env(_app, probe):
    # Production with per-process throttling counts says so at start-up.
    assert any("per process" in r.getMessage() for r in probe.started)


def check_timezone(app, _probe):
    with app.app_context():
        assert today() == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def check_language(app, _probe):
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert '<html lang="nb">' in page and "Logg inn" in page


def check_https(app, _probe):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in app.test_client().get("/auth/login").headers


def check_idle(app, _probe):
    assert app.config["IDLE_TIMEOUT"] == timedelta(minutes=7)


def check_absolute(app, _probe):
    assert app.config["ABSOLUTE_TIMEOUT"] == timedelta(hours=3)


def check_ratelimit_storage(app, _probe):
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
    assert type(limiter.storage).__name__ == "RedisStorage"


def check_ratelimit_prefix(app, _probe):
    assert app.config["RATELIMIT_STORAGE_OPTIONS"]["key_prefix"] == "hospital-b"


def check_limit_account(app, _probe):
    client = app.test_client()
    assert [refused_sign_in(client, "kari@example.test") for _ in range(2)] == [422, 429]


def check_limit_address(app, _probe):
    client = app.test_client()
    assert [refused_sign_in(client, f"p{i}@example.test") for i in range(2)] == [422, 429]


def check_smtp_host(app, probe):
    with app.app_context():
        assert mail_configured()
    probe.send_one(app)
    assert len(probe.relay.inbox.messages) == 1


def check_smtp_sender(app, probe):
    probe.send_one(app)
    assert probe.relay.inbox.senders == ["ips@hospital.example"]


def check_starttls(app, probe):
    probe.send_one(app)  # the relay refuses anything before STARTTLS
    assert probe.relay.inbox.encrypted == [True]


def check_ca_file(app, probe):
    assert app.config["SMTP_CA_FILE"] == str(probe.relay.ca_file)
    probe.send_one(app)  # the self-signed certificate is trusted through the setting only


def check_login(app, probe):
    probe.send_one(app)
    assert probe.relay.inbox.logins == [("caseload", "relay-secret")]


def check_base_url(app, _probe):
    with app.app_context():
        assert app_url("/prompts/") == "https://ips.hospital.example/prompts/"


def check_digest(app, _probe):
    with app.app_context():
        assert digest_due(_db.session, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))


def check_keys_dir(_app, probe):
    assert {p.name for p in (probe.tmp_path / "other-keys").iterdir()} >= {"audit_key", "data_key"}


def check_anchors(app, probe):
    with app.app_context():
        anchor_write(_db.session, datetime.now(UTC))
        _db.session.rollback()
    assert (probe.tmp_path / "other-anchors").read_text().strip()


def check_security_contact(app, probe):
    with app.app_context():
        job_audit_anchor(datetime.now(UTC))
    assert [m["To"] for m in probe.relay.inbox.messages] == ["security@hospital.example"]


def check_max_upload(app, _probe):
    answer = app.test_client().post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert answer.status_code == 413


def check_max_unpacked(app, _probe):
    assert app.config["IMPORT_MAX_UNPACKED"] == 3 * 1024 * 1024


def check_proxy(app, _probe):
    assert isinstance(app.wsgi_app, ProxyFix)
    answer = app.test_client().get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in answer.headers  # the request counts as HTTPS


def check_proxy_hops(app, _probe):
    assert isinstance(app.wsgi_app, ProxyFix) and app.wsgi_app.x_for == 2


def check_admin_totp(app, _probe):
    with app.app_context():
        admin = factories.user(_db.session, role="admin")
        _db.session.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": admin.email, "password": factories.PASSWORD})
    assert client.get("/").headers.get("Location", "").endswith("/security/two-step")


def check_argon2_memory(app, _probe):
    with app.app_context():
        assert hash_password("x").startswith("$argon2id$v=19$m=24576,t=2,p=1$")


def check_argon2_time(app, _probe):
    with app.app_context():
        assert hash_password("x").startswith("$argon2id$v=19$m=19456,t=3,p=1$")


def check_retention(app, _probe):
    assert app.config["RETENTION_YEARS"] == 3


def check_log_format(app, _probe):
    answer = app.test_client().get("/auth/login", headers={"X-Request-ID": "probe-request-0002"})
    assert answer.headers["X-Request-ID"] == "probe-request-0002"
    assert isinstance(default_handler.formatter, JsonFormatter)


Check = Callable[..., None]
SETTINGS: dict[str, tuple[str, Callable[[Probe], dict[str, str]], Check]] = {
    "DATABASE_URL": ("sqlite:///{tmp}/other.db", lambda _p: {}, check_database_url),
    "SECRET_KEY": ("s" * 40, lambda _p: {}, check_secret_key),
    "CASELOAD_ENV": ("production", lambda _p: {}, check_env),
    "CASELOAD_TIMEZONE": ("Pacific/Kiritimati", lambda _p: {}, check_timezone),
    "CASELOAD_LANGUAGE": ("nb", lambda _p: {}, check_language),
    "CASELOAD_HTTPS": ("1", lambda _p: {}, check_https),
    "CASELOAD_IDLE_MINUTES": ("7", lambda _p: {}, check_idle),
    "CASELOAD_ABSOLUTE_HOURS": ("3", lambda _p: {}, check_absolute),
    "CASELOAD_RATELIMIT_STORAGE": ("redis://127.0.0.1:1/0", lambda _p: {}, check_ratelimit_storage),
    "CASELOAD_RATELIMIT_PREFIX": (
        "hospital-b",
        lambda _p: {"CASELOAD_RATELIMIT_STORAGE": "redis://127.0.0.1:1/0"},
        check_ratelimit_prefix,
    ),
    "CASELOAD_LOGIN_LIMIT_ACCOUNT": ("1 per 15 minutes", lambda _p: {}, check_limit_account),
    "CASELOAD_LOGIN_LIMIT_ADDRESS": ("1 per 15 minutes", lambda _p: {}, check_limit_address),
    "SMTP_HOST": ("127.0.0.1", lambda p: relay_env(p) | {"SMTP_HOST": ""}, check_smtp_host),
    "SMTP_PORT": ("{port}", lambda p: relay_env(p) | {"SMTP_PORT": ""}, check_smtp_host),
    "SMTP_SENDER": ("ips@hospital.example", relay_env, check_smtp_sender),
    "SMTP_STARTTLS": ("1", lambda p: relay_env(p) | {"SMTP_STARTTLS": ""}, check_starttls),
    "SMTP_CA_FILE": ("{ca}", lambda p: relay_env(p) | {"SMTP_CA_FILE": ""}, check_ca_file),
    "SMTP_USERNAME": ("caseload", lambda p: relay_env(p) | {"SMTP_USERNAME": ""}, check_login),
    "SMTP_PASSWORD": ("relay-secret", lambda p: relay_env(p) | {"SMTP_PASSWORD": ""}, check_login),
    "CASELOAD_BASE_URL": ("https://ips.hospital.example/", lambda _p: {}, check_base_url),
    "CASELOAD_DIGEST": ("1", relay_env, check_digest),
    "CASELOAD_KEYS_DIR": ("{tmp}/other-keys", lambda _p: {}, check_keys_dir),
    "CASELOAD_AUDIT_ANCHORS": ("{tmp}/other-anchors", lambda _p: {}, check_anchors),
    "CASELOAD_SECURITY_CONTACT": ("security@hospital.example", relay_env, check_security_contact),
    "CASELOAD_MAX_UPLOAD_MB": ("1", lambda _p: {}, check_max_upload),
    "CASELOAD_IMPORT_MAX_UNPACKED_MB": ("3", lambda _p: {}, check_max_unpacked),
    "CASELOAD_PROXY": ("1", lambda _p: {"CASELOAD_HTTPS": "0"}, check_proxy),
    "CASELOAD_PROXY_HOPS": ("2", lambda _p: {"CASELOAD_PROXY": "1"}, check_proxy_hops),
    "CASELOAD_REQUIRE_ADMIN_TOTP": ("1", lambda _p: {}, check_admin_totp),
    "CASELOAD_ARGON2_MEMORY_KIB": ("24576", lambda _p: {}, check_argon2_memory),
    "CASELOAD_ARGON2_TIME_COST": ("3", lambda _p: {}, check_argon2_time),
    "CASELOAD_RETENTION_YEARS": ("3", lambda _p: {}, check_retention),
    "CASELOAD_LOG_FORMAT": ("json", lambda _p: {}, check_log_format),
}


def test_every_documented_setting_has_a_check_of_its_effect():
    assert sorted(documented()) == sorted(SETTINGS)


def test_every_setting_the_app_reads_is_documented_in_the_readme():
    assert read_by_config() - set(documented()) == set()


@pytest.fixture
def env_app(app, database_url, monkeypatch, tmp_path, smtp_tls, caplog):
    """Builds an app from the environment as a server does; the tests' shared state is restored."""
    saved_limiter = dict(vars(limiter))
    saved_formatter = default_handler.formatter
    saved_filters = list(logging.getLogger("werkzeug").filters)
    probe = Probe(tmp_path, smtp_tls)

    def build(name: str):
        value, extra, _check = SETTINGS[name]
        value = value.format(tmp=tmp_path, port=smtp_tls.port, ca=smtp_tls.ca_file)
        for key in [*SETTINGS, *extra(probe)]:
            monkeypatch.delenv(key, raising=False)
        base = {"DATABASE_URL": database_url}
        base |= {"CASELOAD_KEYS_DIR": str(tmp_path / "keys"), "CASELOAD_AUDIT_ANCHORS": str(tmp_path / "a")}
        for key, setting in base.items():
            monkeypatch.setenv(key, setting)
        for key, setting in (extra(probe) | {name: value}).items():
            if setting:
                monkeypatch.setenv(key, setting)
        with caplog.at_level(logging.WARNING, logger="caseload"):
            built = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
        probe.started = list(caplog.records)
        return built, probe

    yield build
    vars(limiter).clear()
    vars(limiter).update(saved_limiter)
    default_handler.setFormatter(saved_formatter)
    logging.getLogger("werkzeug").filters[:] = saved_filters


@pytest.mark.parametrize("name", documented())
def test_the_setting_takes_effect_from_the_environment(env_app, name):
    built, probe = env_app(name)
    SETTINGS[name][2](built, probe)
