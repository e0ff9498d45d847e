"""Sign-in throttling per account and per address (Flask-Limiter; storage from RATELIMIT_STORAGE_URI).

Only refused attempts count (a 422 answer), so people who sign in often are never locked out;
once a limit is reached every attempt for that account or address answers 429 until the window ends.
The counts, and the used two-step codes (``claim_once``), live in that storage: in memory per
process by default, shared by every worker and server with ``CASELOAD_RATELIMIT_STORAGE=redis://…``
(an unreachable Redis refuses sign-ins with an error rather than letting them through unthrottled).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage, Storage

limiter = Limiter(key_func=get_remote_address, key_prefix="caseload")
_fallback_storage = MemoryStorage()
log = logging.getLogger("caseload.security")


def throttle_init(app: Flask) -> None:
    """Bind the limiter; say so in production when the counts are kept per process."""
    limiter.init_app(app)
    per_process = app.config["RATELIMIT_STORAGE_URI"].startswith("memory")
    if per_process and app.config.get("CASELOAD_ENV") == "production":
        log.warning(
            "sign-in throttling counts are kept per process: with several workers or servers"
            " set CASELOAD_RATELIMIT_STORAGE=redis://… (docs/deployment.md)"
        )


def _refused(response) -> bool:
    return response.status_code == 422


def _account() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
    return "account:" + (email or "-")


def _pending_person() -> str:
    pending = session.get("pending_2fa") or {}
    return f"person:{pending.get('id', '-')}"


def _address() -> str:
    return "address:" + (get_remote_address() or "-")


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_ADDRESS"]


def _throttle(key_func, limit):
    return limiter.limit(limit, key_func=key_func, methods=["POST"], deduct_when=_refused)


def login_throttle(view):
    """Limit refused sign-ins per e-mail address and per client address."""
    return _throttle(_account, _account_limit)(_throttle(_address, _address_limit)(view))


def code_throttle(view):
    """Limit refused two-step codes per person and per client address."""
    return _throttle(_pending_person, _account_limit)(_throttle(_address, _address_limit)(view))


def claim_once(key: str, seconds: int) -> bool:
    """True the first time ``key`` is claimed within ``seconds`` (shared storage across workers)."""
    storage: Storage = limiter._storage if limiter.enabled and limiter._storage else _fallback_storage
    return storage.incr(f"caseload/once/{key}", seconds) == 1
