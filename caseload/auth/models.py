"""People (staff), their roles, and the append-only audit log."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, TimestampMixin, VersionMixin, utcnow

if TYPE_CHECKING:
    from caseload.teams.models import Program, TreatmentTeam


class User(UserMixin, TimestampMixin, VersionMixin, Entity):
    """A member of staff; `staff.csv` of the exchange format."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("fte >= 0 AND fte <= 1.5", name="fte_range"),
        CheckConstraint(
            "role IN ('specialist', 'supervisor', 'clinician', 'admin', 'trial_manager', 'assessor', "
            "'statistician')",
            name="role",
        ),
    )

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    fte: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.0"))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(5))
    session_version: Mapped[int] = mapped_column(default=1)
    # Sealed with the key store's data key (caseload.security.services.totp_secret_of).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    feed_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    last_login_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship("Program", back_populates="staff")
    teams: Mapped[list[TreatmentTeam]] = relationship(
        "TreatmentTeam",
        secondary="user_teams",
        back_populates="members",
        order_by="TreatmentTeam.ref",
    )

    def get_id(self) -> str:
        """Session identity carries the session version, so bumping it ends every session."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated people cannot sign in
        return self.active


class AuditEvent(Entity):
    """One read or write of client data. Append-only; each row chains the previous row's hash
    with a keyed hash (HMAC-SHA256, key outside the database)."""

    __tablename__ = "audit_events"

    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    target: Mapped[str | None] = mapped_column(String(120))
    # The refs of every client a page listed (" C-000003 C-000007 "): their access reports find it.
    shown: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    user: Mapped[User | None] = relationship("User")


class RecordRevision(Entity):
    """The saved state of a record before each change: corrections keep the history."""

    __tablename__ = "record_revisions"

    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(index=True)
    version: Mapped[int]
    data: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class PasswordLink(Entity):
    """A one-time set-password link an administrator issued; only the token's SHA-256 is kept."""

    __tablename__ = "password_links"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AccountChange(Entity):
    """An administrator's change to a person's account, shown to the person once at sign-in.

    ``changes`` lists the changed settings as ``field`` codes joined by ``,`` (no values)."""

    __tablename__ = "account_changes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[datetime | None]

    changed_by = relationship("User", foreign_keys=[changed_by_id])
