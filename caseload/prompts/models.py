"""Prompts (one open prompt per rule, subject and due date) and the scheduler's heartbeat."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Base, Entity, utcnow

if TYPE_CHECKING:
    from caseload.auth.models import User
    from caseload.clients.models import Client
    from caseload.jobs.models import Job

# ``missing``: an assessment prompt whose window closed with no assessment recorded
PROMPT_STATUSES = ("open", "done", "snoozed", "dismissed", "void", "missing")
LIVE = ("open", "snoozed")  # statuses a sweep may still close
DONE_LATE = "done_late"  # dismiss_reason of a prompt dismissed with its late record as the reason


class Prompt(Entity):
    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("rule", "subject_key", "due_on"),
        Index("ix_prompts_assignee_status", "assignee_id", "status"),
        Index("ix_prompts_program_status", "program_id", "status"),
    )

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    # client ref, job ref, "<specialist email>|<week start>", the programme ref or a trial
    # participant's study ref (assessment prompts: never the client's ref, which would reveal the arm)
    subject_key: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    participant_ref: Mapped[str | None] = mapped_column(String(20), index=True)
    week_start: Mapped[date | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    snoozed_until: Mapped[date | None]
    dismiss_reason: Mapped[str | None] = mapped_column(Text)
    satisfied_by: Mapped[str | None] = mapped_column(String(60))
    # An open prompt: the record that would satisfy it had it been in time (metrics.md: a late
    # action does not). A prompt dismissed as "done late" keeps it as the reason's record.
    late_record: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    client: Mapped[Client | None] = relationship("Client")
    job: Mapped[Job | None] = relationship("Job")
    assignee: Mapped[User | None] = relationship("User", foreign_keys=[assignee_id])
    specialist: Mapped[User | None] = relationship("User", foreign_keys=[specialist_id])


class SchedulerHeartbeat(Base):
    __tablename__ = "scheduler_heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sweep_at: Mapped[datetime | None]
    pid: Mapped[int | None]


class ClientDue(Base):
    """A client's due items as the rules derive them on ``derived_on`` (the home's to-do): the
    stored derivation the pages read instead of deriving again (``principles.due``).

    ``items`` is JSON: ``[[rule, due_on ISO, job ref or null], ...]``. ``derived_on`` is None when
    a change to the client's records made the derivation stale; ``stamp`` counts those changes, so a
    page that derived from records read before a change never stores its result over it.
    """

    __tablename__ = "client_due_items"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    derived_on: Mapped[date | None]
    stamp: Mapped[int] = mapped_column(default=0)
    items: Mapped[str] = mapped_column(Text, default="[]")
