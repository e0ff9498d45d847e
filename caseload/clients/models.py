"""Referrals, clients, the career profile and the job search plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin, reason_required
from caseload.teams.models import ProgramMixin

if TYPE_CHECKING:
    from caseload.auth.models import User
    from caseload.teams.models import Program, TreatmentTeam


class OnePerClientMixin(TimestampMixin, VersionMixin):
    """A record a client has at most one of: the career profile, the job search plan."""

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), unique=True)


class Referral(ProgramMixin, VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint("decision <> 'declined' OR reason IS NOT NULL", name="declined_reason"),
    )
    REF_PREFIX = "R"

    received_on: Mapped[date] = mapped_column(index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    # The referred person's name until the referral is accepted and becomes a client.
    person_name: Mapped[str | None] = mapped_column(String(200))

    program: Mapped[Program] = relationship("Program")
    client: Mapped[Client | None] = relationship("Client", foreign_keys=[client_id])


class Client(ProgramMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "clients"
    __table_args__ = (
        reason_required("closed_on", "closure_reason"),
        Index("ix_clients_program_entry", "program_id", "entry_date"),
    )
    REF_PREFIX = "C"

    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None]
    specialist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    treatment_team_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_teams.id"), index=True)
    referral_date: Mapped[date | None]
    entry_date: Mapped[date] = mapped_column(index=True)
    status_at_entry: Mapped[str] = mapped_column(String(20))
    preferred_job_types: Mapped[str] = mapped_column(String(500), default="")  # ';'-separated codes
    profile_started_on: Mapped[date | None]
    profile_completed_on: Mapped[date | None]
    profile_updated_on: Mapped[date | None]
    trial_arm: Mapped[str | None] = mapped_column(String(40))
    closed_on: Mapped[date | None] = mapped_column(index=True)
    closure_reason: Mapped[str | None] = mapped_column(String(40))
    anonymised: Mapped[bool] = mapped_column(default=False)

    program: Mapped[Program] = relationship("Program")
    specialist: Mapped[User] = relationship("User", foreign_keys=[specialist_id])
    treatment_team: Mapped[TreatmentTeam | None] = relationship("TreatmentTeam")

    @property
    def job_type_list(self) -> list[str]:
        return [c for c in self.preferred_job_types.split(";") if c]

    def active_on(self, day: date) -> bool:
        return self.entry_date <= day and (self.closed_on is None or self.closed_on > day)


class CareerProfile(OnePerClientMixin, Entity):
    """The career profile's content (principle 4); its dates live on the client (exchange format)."""

    __tablename__ = "career_profiles"

    work_goals: Mapped[str | None] = mapped_column(Text)
    education: Mapped[str | None] = mapped_column(Text)
    work_history: Mapped[str | None] = mapped_column(Text)
    strengths: Mapped[str | None] = mapped_column(Text)
    health_considerations: Mapped[str | None] = mapped_column(Text)
    supports: Mapped[str | None] = mapped_column(Text)
    disclosure_preferences: Mapped[str | None] = mapped_column(Text)


class JobSearchPlan(OnePerClientMixin, Entity):
    __tablename__ = "job_search_plans"

    goal: Mapped[str | None] = mapped_column(Text)
    target_employers: Mapped[str | None] = mapped_column(Text)
    review_date: Mapped[date | None]

    steps: Mapped[list[JobSearchStep]] = relationship("JobSearchStep", order_by="JobSearchStep.due_date")


class JobSearchStep(TimestampMixin, VersionMixin, Entity):
    __tablename__ = "job_search_steps"

    plan_id: Mapped[int] = mapped_column(ForeignKey("job_search_plans.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None]
    done_on: Mapped[date | None]


class ClientNote(RefMixin, TimestampMixin, Entity):
    """A short note on the client's timeline, e.g. a treatment team's note on work."""

    __tablename__ = "client_notes"
    REF_PREFIX = "N"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    noted_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(40), default="treatment_team_work")
    text: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship("User")
