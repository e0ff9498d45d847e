"""Writes about people. Services add and flush; the caller commits.

Every change an administrator makes to a person is audited and kept as an ``AccountChange`` the
person is shown at their next sign-in. An administrator never chooses a person's password: they
issue a one-time set-password link (``password_link_issue``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import AccountChange, PasswordLink, User
from caseload.auth.passwords import hash_password
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import ROLES
from caseload.writes import DomainError

LINK_LIFETIME = timedelta(hours=72)


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
    language: str | None = None,
    created_by_id: int | None = None,
) -> User:
    """Add a person; the e-mail is their unique login identity. ``password`` is for the command
    line's bootstrap only; on the web an administrator issues a set-password link instead."""
    email = email.strip().lower()
    if role not in ROLES:
        raise DomainError(f"unknown role {role!r}", "role")
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise DomainError(_l("a person with this e-mail exists already"), "email")
    _own_programme_teams(teams or [], program_id)
    user = User(email=email, name=name.strip(), role=role, program_id=program_id, fte=fte, language=language)
    if password:
        user.password_hash = hash_password(password)
    user.teams = list(teams or [])
    session.add(user)
    session.flush()
    audit(session, action="person_create", target=f"user {user.id}", user_id=created_by_id)
    if created_by_id is not None:
        session.add(AccountChange(user_id=user.id, changed_by_id=created_by_id, changes="created"))
    return user


def _own_programme_teams(teams: list, program_id: int) -> None:
    """A person works in one programme: they can be on its treatment teams only (a specialist on
    another programme's team would be assigned clients they cannot see; a clinician would see
    clients of a programme they are not in)."""
    for team in teams:
        if team.program_id != program_id:
            raise DomainError(
                _l(
                    "%(team)s belongs to another programme: a person can be on the teams of their "
                    "own programme only.",
                    team=team.name,
                ),
                "team_ids",
            )


def _comparable(value):
    if isinstance(value, list):  # teams
        return sorted(team.id for team in value)
    return value


def user_update(session: Session, *, user: User, changed_by_id: int | None, **fields) -> list[str]:
    """Change a person's settings; returns the names of the fields that changed (audited, and
    shown to the person at their next sign-in). Deactivation ends every session they have."""
    teams = fields.get("teams", user.teams)
    _own_programme_teams(list(teams), fields.get("program_id", user.program_id))
    changed = [k for k, v in fields.items() if _comparable(getattr(user, k)) != _comparable(v)]
    for key in changed:
        setattr(user, key, fields[key])
    if "active" in changed and not user.active:
        user.session_version += 1
    if changed:
        account_change_record(session, user=user, changes=changed, changed_by_id=changed_by_id)
    session.flush()
    return changed


def account_change_record(
    session: Session,
    *,
    user: User,
    changes: list[str],
    changed_by_id: int | None,
    action: str = "person_update",
) -> None:
    """Audit an administrator's change to ``user`` and keep it for the person's next sign-in."""
    what = ",".join(changes)
    session.add(AccountChange(user_id=user.id, changed_by_id=changed_by_id, changes=what))
    audit(session, action=action, target=f"user {user.id}: {what}"[:120], user_id=changed_by_id)


def account_changes_take(session: Session, *, user: User, now: datetime) -> list[AccountChange]:
    """The changes to ``user`` not shown yet, oldest first, marked as shown."""
    changes = list(
        session.scalars(
            select(AccountChange)
            .where(AccountChange.user_id == user.id, AccountChange.seen_at.is_(None))
            .order_by(AccountChange.id)
        )
    )
    for change in changes:
        change.seen_at = now
    session.flush()
    return changes


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_link_issue(session: Session, *, user: User, issued_by_id: int | None, now: datetime) -> str:
    """A new one-time set-password link's token for ``user`` (valid ``LINK_LIFETIME``); earlier
    unused links of the person stop working. Only the token's hash is stored."""
    session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordLink(
            user_id=user.id,
            token_hash=_token_hash(token),
            issued_by_id=issued_by_id,
            issued_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    account_change_record(
        session,
        user=user,
        changes=["password_link"],
        changed_by_id=issued_by_id,
        action="password_link_issue",
    )
    return token


def password_link_user(session: Session, *, token: str, now: datetime) -> User:
    """The person a usable link is for; a clear ``DomainError`` for an unknown, used or expired one."""
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token)))
    if link is None:
        raise DomainError(_l("This link is not valid. Ask your administrator for a new one."))
    if link.used_at is not None:
        raise DomainError(_l("This link was used already. Ask your administrator for a new one."))
    if link.expires_at <= now:
        raise DomainError(_l("This link has expired. Ask your administrator for a new one."))
    user = session.get(User, link.user_id)
    if user is None or not user.active:
        raise DomainError(_l("This account is not active."))
    return user


def password_link_use(session: Session, *, token: str, password: str, now: datetime) -> User:
    """Set the person's password through the link and use the link up (once only, even when two
    requests race); every session the person has ends."""
    user = password_link_user(session, token=token, now=now)
    used: CursorResult = session.execute(  # type: ignore[assignment]  # an UPDATE answers a CursorResult
        update(PasswordLink)
        .where(PasswordLink.token_hash == _token_hash(token), PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:
        raise DomainError(_l("This link was used already. Ask your administrator for a new one."))
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit(session, action="password_set_by_link", target=f"user {user.id}", user_id=user.id)
    session.flush()
    return user
