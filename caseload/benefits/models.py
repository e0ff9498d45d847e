"""Benefits (work-incentives) counselling sessions (principle 5)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin

if TYPE_CHECKING:
    from caseload.clients.models import Client


class BenefitsSession(VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "benefits_sessions"
    REF_PREFIX = "BS"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    session_date: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    planner_name: Mapped[str | None] = mapped_column(String(200))
    trained_planner: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship("Client")
