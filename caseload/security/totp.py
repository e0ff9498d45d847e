"""Time-based one-time passwords (RFC 6238) as pure functions over an explicit time."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pyotp

STEP_SECONDS = 30
WINDOW = 1  # accept the previous and the next 30-second step (clock drift)
ISSUER = "IPS caseload"


def enrolment_secret(app_key: str, user_id: int, nonce: str) -> str:
    """A new person's secret, derived from the app key and a nonce, so the cookie holds no secret."""
    digest = hmac.new(app_key.encode(), f"totp|{user_id}|{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four characters, for typing it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code equals ``code`` within the drift window, else None."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: float) -> str:
    """The code an authenticator shows at ``now`` (tests, CLI)."""
    return pyotp.TOTP(secret).generate_otp(int(now // STEP_SECONDS))
