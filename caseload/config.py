"""Settings from environment variables; SQLite in instance/ by default."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


class Config:
    """Read once at start-up; tests pass overrides to create_app()."""

    def __init__(self, instance_path: str) -> None:
        env = os.environ
        default_db = "sqlite:///" + str(Path(instance_path) / "caseload.db")
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL", default_db)
        # Unset: made once in the key folder (caseload/security/keys.py); several servers share one.
        self.SECRET_KEY = env.get("SECRET_KEY")
        self.CASELOAD_KEYS_DIR = env.get("CASELOAD_KEYS_DIR") or None
        self.CASELOAD_AUDIT_ANCHORS = env.get("CASELOAD_AUDIT_ANCHORS") or None
        self.CASELOAD_SECURITY_CONTACT = env.get("CASELOAD_SECURITY_CONTACT", "")
        self.CASELOAD_ENV = env.get("CASELOAD_ENV", "development")
        self.CASELOAD_TIMEZONE = env.get("CASELOAD_TIMEZONE", "Europe/Oslo")
        self.BABEL_DEFAULT_LOCALE = env.get("CASELOAD_LANGUAGE", "en")
        self.BABEL_DEFAULT_TIMEZONE = self.CASELOAD_TIMEZONE
        self.LANGUAGES = ("en", "nb")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("CASELOAD_HTTPS", "0") == "1"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.IDLE_TIMEOUT = timedelta(minutes=int(env.get("CASELOAD_IDLE_MINUTES", "30")))
        self.ABSOLUTE_TIMEOUT = timedelta(hours=int(env.get("CASELOAD_ABSOLUTE_HOURS", "12")))
        self.WTF_CSRF_TIME_LIMIT = None
        # Database errors would otherwise carry the written values (health data) into the logs.
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
        self.SMTP_HOST = env.get("SMTP_HOST", "")
        self.SMTP_PORT = int(env.get("SMTP_PORT", "25"))
        self.SMTP_SENDER = env.get("SMTP_SENDER", "caseload@localhost")
        self.SMTP_STARTTLS = env.get("SMTP_STARTTLS", "0") == "1"
        self.SMTP_USERNAME = env.get("SMTP_USERNAME", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        # A relay whose certificate the system's CAs do not vouch for (a hospital's own CA).
        self.SMTP_CA_FILE = env.get("SMTP_CA_FILE") or None
        self.CASELOAD_BASE_URL = env.get("CASELOAD_BASE_URL", "http://127.0.0.1:5000")
        self.DIGEST_ENABLED = env.get("CASELOAD_DIGEST", "0") == "1"
        self.RETENTION_YEARS = int(env.get("CASELOAD_RETENTION_YEARS", "10"))
        # Hardening (caseload/security): proxy headers, sign-in throttling, two-step sign-in.
        self.CASELOAD_PROXY = env.get("CASELOAD_PROXY", "0") == "1"
        self.CASELOAD_PROXY_HOPS = int(env.get("CASELOAD_PROXY_HOPS", "1"))
        self.RATELIMIT_STORAGE_URI = env.get("CASELOAD_RATELIMIT_STORAGE", "memory://")
        self.RATELIMIT_STORAGE_OPTIONS = ratelimit_storage_options(
            self.RATELIMIT_STORAGE_URI, env.get("CASELOAD_RATELIMIT_PREFIX", "caseload")
        )
        self.LOGIN_LIMIT_ACCOUNT = env.get("CASELOAD_LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")
        self.LOGIN_LIMIT_ADDRESS = env.get("CASELOAD_LOGIN_LIMIT_ADDRESS", "30 per 15 minutes")
        # Uploads and bundle imports (caseload/exchange): the body of one request, and a bundle's
        # unpacked size as its archive declares it.
        self.MAX_CONTENT_LENGTH = int(env.get("CASELOAD_MAX_UPLOAD_MB", "200")) * 1024 * 1024
        self.IMPORT_MAX_UNPACKED = int(env.get("CASELOAD_IMPORT_MAX_UNPACKED_MB", "1024")) * 1024 * 1024
        # Password hashing (argon2id, one lane): sized for the machine, never below OWASP's minimum
        # (caseload/auth/passwords.py checks it at start-up; docs/deployment.md).
        self.ARGON2_MEMORY_KIB = int(env.get("CASELOAD_ARGON2_MEMORY_KIB", "19456"))
        self.ARGON2_TIME_COST = int(env.get("CASELOAD_ARGON2_TIME_COST", "2"))
        self.REQUIRE_ADMIN_TOTP = env.get("CASELOAD_REQUIRE_ADMIN_TOTP", "0") == "1"
        # "json": one JSON line per request and per log record (caseload/monitoring.py).
        self.CASELOAD_LOG_FORMAT = env.get("CASELOAD_LOG_FORMAT", "text")

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def ratelimit_storage_options(uri: str, prefix: str) -> dict:
    """Options for a Redis (or Valkey) throttle store: our own key prefix, and short timeouts so that
    an unreachable store refuses a sign-in within seconds instead of holding the worker."""
    if not uri.startswith(("redis", "valkey")):
        return {}
    return {"key_prefix": prefix, "socket_connect_timeout": 2, "socket_timeout": 2}
