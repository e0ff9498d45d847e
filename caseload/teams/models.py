"""Programmes, treatment teams, and the logs the fidelity judgement items need."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, link_table
from caseload.rows import FULL_TIME_HOURS

if TYPE_CHECKING:
    from caseload.auth.models import User

user_teams = link_table("user_teams", ("user_id", "users.id"), ("team_id", "treatment_teams.id"))


class ProgramMixin:
    """A row that belongs to one programme (the programme it leaves is known to a flush: a move makes
    the stored quarters of both stale, ``outcomes.stored``)."""

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True, active_history=True)


class ProgramLogMixin(ProgramMixin, RefMixin, TimestampMixin):
    """An entry of a programme's fidelity logs (team meetings, vocational contacts, supervision),
    with free-text notes."""

    notes: Mapped[str | None] = mapped_column(Text)


class Program(RefMixin, TimestampMixin, Entity):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("full_time_hours > 0 AND full_time_hours <= 60", name="full_time_hours_range"),
    )
    REF_PREFIX = "P"
    REF_WIDTH = 4

    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo")
    # Hours of a full-time week for the programme's staff: V13's scheduled hours (metrics.md).
    full_time_hours: Mapped[Decimal] = mapped_column(
        Numeric(4, 2), default=FULL_TIME_HOURS, server_default=str(FULL_TIME_HOURS)
    )

    staff: Mapped[list[User]] = relationship("User", back_populates="program", order_by="User.name")
    teams: Mapped[list[TreatmentTeam]] = relationship(
        "TreatmentTeam", back_populates="program", order_by="TreatmentTeam.ref"
    )


class TreatmentTeam(ProgramMixin, RefMixin, TimestampMixin, Entity):
    __tablename__ = "treatment_teams"
    REF_PREFIX = "T"
    REF_WIDTH = 4

    name: Mapped[str] = mapped_column(String(200))

    program: Mapped[Program] = relationship("Program", back_populates="teams")
    members: Mapped[list[User]] = relationship("User", secondary=user_teams, back_populates="teams")


class JobType(ProgramMixin, Entity):
    """A programme's code list of job types (e.g. ISCO-08), which the programme can extend."""

    __tablename__ = "job_types"

    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))


class TeamMeeting(ProgramLogMixin, Entity):
    """A treatment-team meeting attended by a specialist (fidelity O2)."""

    __tablename__ = "team_meetings"
    REF_PREFIX = "TM"

    team_id: Mapped[int] = mapped_column(ForeignKey("treatment_teams.id"), index=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    meeting_date: Mapped[date] = mapped_column(index=True)


class VocationalContact(ProgramLogMixin, Entity):
    """A contact or meeting with a NAV / vocational rehabilitation counsellor (fidelity O3)."""

    __tablename__ = "vocational_contacts"
    REF_PREFIX = "VR"

    specialist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    contact_date: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # contact | meeting
    counsellor: Mapped[str | None] = mapped_column(String(200))


class SupervisionSession(ProgramLogMixin, Entity):
    """Group supervision or field mentoring by the supervisor (fidelity O4, O5)."""

    __tablename__ = "supervision_sessions"
    REF_PREFIX = "SV"

    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    session_date: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # group | field_mentoring
    minutes: Mapped[int] = mapped_column(default=0)
