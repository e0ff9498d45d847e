"""Client contacts: engagement, follow-along support, outreach, disclosure (principles 3, 8)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin

if TYPE_CHECKING:
    from caseload.auth.models import User
    from caseload.clients.models import Client


class ClientContact(VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "client_contacts"
    __table_args__ = (
        CheckConstraint("minutes >= 0", name="minutes"),
        Index("ix_client_contacts_client_date", "client_id", "contact_date"),
        # A client's first contact of a purpose (e.g. disclosure since entry) in one index probe.
        Index("ix_client_contacts_client_purpose_date", "client_id", "purpose", "contact_date"),
    )
    REF_PREFIX = "CC"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    contact_date: Mapped[date] = mapped_column(index=True)
    mode: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(default=0)
    purpose: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship("Client")
    staff: Mapped[User] = relationship("User", foreign_keys=[staff_id])
