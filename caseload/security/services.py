"""Writes about a person's credentials. Each change ends every session the person has."""

from __future__ import annotations

import base64
import logging

from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.auth.passwords import hash_password, verify_password
from caseload.auth.services import account_change_record
from caseload.security.keys import seal, unseal
from caseload.security.throttle import claim_once
from caseload.security.totp import STEP_SECONDS, WINDOW, matching_step
from caseload.writes import DomainError

TOTP_PURPOSE = "totp-secret"  # the stored secret is sealed with the key store's data key
log = logging.getLogger("caseload.security")


def totp_secret_of(user: User) -> str | None:
    """The person's two-step secret in clear (it is stored encrypted), or None."""
    if not user.totp_secret:
        return None
    raw = unseal(user.totp_secret, TOTP_PURPOSE)
    if raw is None:
        log.error("the two-step secret of user %s does not open with this data key", user.id)
        return None
    return base64.b32encode(raw).decode()


def totp_secret_sealed(secret: str) -> str:
    """The base32 secret as stored: its 20 bytes sealed with the data key (64 characters)."""
    return seal(base64.b32decode(secret), TOTP_PURPOSE)


def _end_sessions(session: Session, user: User) -> None:
    user.session_version += 1
    session.flush()


def code_accepted(user_id: int, secret: str | None, code: str, now: float) -> bool:
    """The code matches and its time step was not used before by this person (no replay)."""
    if secret is None:
        return False
    step = matching_step(secret, code, now)
    return step is not None and claim_once(f"totp/{user_id}/{step}", STEP_SECONDS * (2 * WINDOW + 2))


def password_change(session: Session, *, user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every session."""
    if not verify_password(user.password_hash, current):
        raise DomainError("The current password is wrong.", "current")
    if verify_password(user.password_hash, new):
        raise DomainError("Choose a password you have not used now.", "new")
    user.password_hash = hash_password(new)
    _end_sessions(session, user)


def two_step_enable(
    session: Session, *, user: User, secret: str, password: str, code: str, now: float
) -> None:
    """Turn on two-step sign-in once the person proved they hold the password and the secret."""
    if not verify_password(user.password_hash, password):
        raise DomainError("The password is wrong.", "password")
    if not code_accepted(user.id, secret, code, now):
        raise DomainError("The code is wrong or was used already.", "code")
    user.totp_secret = totp_secret_sealed(secret)
    _end_sessions(session, user)


def two_step_disable(session: Session, *, user: User, password: str, code: str, now: float) -> None:
    """Turn off two-step sign-in (password and a current code required)."""
    if not verify_password(user.password_hash, password):
        raise DomainError("The password is wrong.", "password")
    if not code_accepted(user.id, totp_secret_of(user), code, now):
        raise DomainError("The code is wrong or was used already.", "code")
    user.totp_secret = None
    _end_sessions(session, user)


def two_step_reset(session: Session, *, user: User, by_id: int | None = None) -> None:
    """An administrator (``by_id``; None on the command line) removes a lost second factor; the
    person enrols again after signing in and is told of the change."""
    user.totp_secret = None
    _end_sessions(session, user)
    account_change_record(
        session, user=user, changes=["two_step_reset"], changed_by_id=by_id, action="two_step_reset"
    )
