"""Writes about people. Services add and flush; the caller commits."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.auth.passwords import hash_password
from caseload.metrics.codes import ROLES
from caseload.writes import DomainError


def user_create(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    program_id: int,
    fte: Decimal = Decimal("1.0"),
    password: str | None = None,
    teams: list | None = None,
) -> User:
    """Add a person; the e-mail is their unique login identity."""
    email = email.strip().lower()
    if role not in ROLES:
        raise DomainError(f"unknown role {role!r}", "role")
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise DomainError(_l("a person with this e-mail exists already"), "email")
    user = User(email=email, name=name.strip(), role=role, program_id=program_id, fte=fte)
    if password:
        user.password_hash = hash_password(password)
    user.teams = list(teams or [])
    session.add(user)
    session.flush()
    return user


def user_update(session: Session, *, user: User, password: str | None = None, **fields) -> User:
    """Change a person; a new password or deactivation ends every session they have."""
    for key, value in fields.items():
        setattr(user, key, value)
    if password:
        user.password_hash = hash_password(password)
    if password or not user.active:
        user.session_version += 1
    session.flush()
    return user
