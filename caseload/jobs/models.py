"""Jobs (principles 2 and 8): starts, ends, changes of hours, competitive components."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Numeric, String, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin, reason_required

if TYPE_CHECKING:
    from caseload.clients.models import Client
    from caseload.employers.models import Employer

COMPETITIVE_COMPONENTS = (
    "open_to_anyone",
    "min_wage_or_above",
    "paid_by_employer",
    "integrated_setting",
    "set_aside",
    "time_limited",
)


class Job(VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 80", name="hours"),
        CheckConstraint("hourly_wage IS NULL OR hourly_wage >= 0", name="wage"),
        reason_required("end_date", "end_reason"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )
    REF_PREFIX = "J"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True, active_history=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    job_type: Mapped[str | None] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None] = mapped_column(index=True)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    open_to_anyone: Mapped[bool]
    min_wage_or_above: Mapped[bool]
    paid_by_employer: Mapped[bool]
    integrated_setting: Mapped[bool]
    set_aside: Mapped[bool]
    time_limited: Mapped[bool]
    found_with_ips: Mapped[bool] = mapped_column(default=True)

    client: Mapped[Client] = relationship("Client")
    employer: Mapped[Employer] = relationship("Employer")
    hours_changes: Mapped[list[JobHours]] = relationship(
        "JobHours", order_by="JobHours.effective_from", back_populates="job"
    )

    @hybrid_property
    def competitive(self) -> bool:
        """All six components hold (exchange-format.md)."""
        return not self.not_competitive_because

    @competitive.inplace.expression
    @classmethod
    def _competitive_expression(cls) -> ColumnElement[bool]:
        """The same in SQL, for reads that select columns instead of loading jobs."""
        return and_(
            cls.open_to_anyone,
            cls.min_wage_or_above,
            cls.paid_by_employer,
            cls.integrated_setting,
            ~cls.set_aside,
            ~cls.time_limited,
        )

    @property
    def not_competitive_because(self) -> list[str]:
        """The components that make this job not competitive (empty when it is)."""
        reasons = [
            c
            for c in (
                "open_to_anyone",
                "min_wage_or_above",
                "paid_by_employer",
                "integrated_setting",
            )
            if not getattr(self, c)
        ]
        return reasons + [c for c in ("set_aside", "time_limited") if getattr(self, c)]


class JobHours(VoidMixin, TimestampMixin, Entity):
    """A change of contracted hours from a date (the start value is on the job)."""

    __tablename__ = "job_hours"
    __table_args__ = (
        UniqueConstraint("job_id", "effective_from"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 80", name="hours"),
    )

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True, active_history=True)
    effective_from: Mapped[date]
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))

    job: Mapped[Job] = relationship("Job", back_populates="hours_changes")
