"""Employers, their contact people, the job development log and its weekly review."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin, link_table

if TYPE_CHECKING:
    from caseload.auth.models import User
    from caseload.clients.models import Client

employer_contact_clients = link_table(
    "employer_contact_clients", ("employer_contact_id", "employer_contacts.id"), ("client_id", "clients.id")
)


class Employer(RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "employers"
    REF_PREFIX = "E"
    REF_WIDTH = 4

    name: Mapped[str] = mapped_column(String(200))
    org_number: Mapped[str | None] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(200))

    people: Mapped[list[EmployerPerson]] = relationship("EmployerPerson", order_by="EmployerPerson.name")


class EmployerPerson(TimestampMixin, Entity):
    """A contact person at an employer."""

    __tablename__ = "employer_people"

    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))


class EmployerContact(VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    """One contact with an employer by a specialist (principle 7)."""

    __tablename__ = "employer_contacts"
    __table_args__ = (
        CheckConstraint("minutes >= 0", name="minutes"),
        Index("ix_employer_contacts_specialist_date", "specialist_id", "contact_date"),
    )
    REF_PREFIX = "EC"

    contact_date: Mapped[date] = mapped_column(index=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    mode: Mapped[str] = mapped_column(String(20))
    job_type: Mapped[str | None] = mapped_column(String(40))
    minutes: Mapped[int] = mapped_column(default=0)
    purpose: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    person_name: Mapped[str | None] = mapped_column(String(200))  # the employer's person met

    specialist: Mapped[User] = relationship("User", foreign_keys=[specialist_id])
    employer: Mapped[Employer] = relationship("Employer")
    clients: Mapped[list[Client]] = relationship(
        "Client", secondary=employer_contact_clients, order_by="Client.ref"
    )


class WeeklyReview(VoidMixin, TimestampMixin, Entity):
    """A supervisor's review of one specialist's employer-contact log for one ISO week."""

    __tablename__ = "weekly_reviews"
    __table_args__ = (UniqueConstraint("specialist_id", "week_start"),)

    specialist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    week_start: Mapped[date] = mapped_column(index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reviewed_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(Text)

    specialist: Mapped[User] = relationship("User", foreign_keys=[specialist_id])
    reviewer: Mapped[User] = relationship("User", foreign_keys=[reviewer_id])
