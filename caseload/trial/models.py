"""The randomised trial: set-up, screening, participants, concealed allocation, masked
assessments, unmasking events, the data lock and post-lock corrections."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin, reason_required, utcnow
from caseload.metrics.trial import DEFAULT_WINDOW_DAYS
from caseload.outcomes.models import PromScoresMixin, prom_score_checks
from caseload.teams.models import ProgramMixin

if TYPE_CHECKING:
    from caseload.auth.models import User
    from caseload.clients.models import Referral
    from caseload.teams.models import Program


class TrialPartMixin:
    """A row that belongs to one trial."""

    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id"), index=True)


class CodedRowMixin:
    """A coded, labelled row of a trial's set-up, shown in ``position`` order (arms, eligibility
    items, stratification factors and their levels)."""

    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)


class TrialRecord(TrialPartMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    """A trial's record with a ref and a version (a screening, a participant)."""

    __abstract__ = True

    @declared_attr
    def trial(cls) -> Mapped[Trial]:
        return relationship("Trial")


class Trial(ProgramMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    """A trial run in one programme. The secret seed or allocation list is sealed with the key
    store's data key (``allocation_secret``) and never leaves it in clear."""

    __tablename__ = "trials"
    REF_PREFIX = "TR"
    REF_WIDTH = 3

    name: Mapped[str] = mapped_column(String(200))
    registration_id: Mapped[str | None] = mapped_column(String(60))
    target_enrolment: Mapped[int] = mapped_column(default=0)
    allocation_source: Mapped[str | None] = mapped_column(String(10))  # seed | list
    allocation_secret: Mapped[str | None] = mapped_column(Text)  # sealed, purpose "trial-allocation"
    allocation_set_at: Mapped[datetime | None]
    allocation_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    program: Mapped[Program] = relationship("Program")
    arms: Mapped[list[TrialArm]] = relationship(
        "TrialArm", back_populates="trial", order_by="TrialArm.position"
    )
    timepoints: Mapped[list[TrialTimepoint]] = relationship(
        "TrialTimepoint", back_populates="trial", order_by="TrialTimepoint.position"
    )
    eligibility_items: Mapped[list[TrialEligibilityItem]] = relationship(
        "TrialEligibilityItem", back_populates="trial", order_by="TrialEligibilityItem.position"
    )
    factors: Mapped[list[TrialFactor]] = relationship(
        "TrialFactor", back_populates="trial", order_by="TrialFactor.position"
    )


class TrialArm(TrialPartMixin, CodedRowMixin, Entity):
    __tablename__ = "trial_arms"
    __table_args__ = (
        UniqueConstraint("trial_id", "code"),
        CheckConstraint("ratio >= 1 AND ratio <= 10", name="ratio"),
    )

    ratio: Mapped[int] = mapped_column(default=1)
    # The arm whose participants are referred to the programme's caseload (IPS).
    refers_to_caseload: Mapped[bool] = mapped_column(default=False)

    trial: Mapped[Trial] = relationship("Trial", back_populates="arms")


class TrialTimepoint(TrialPartMixin, Entity):
    """A scheduled assessment; its target day after enrolment comes from caseload.metrics.trial."""

    __tablename__ = "trial_timepoints"
    __table_args__ = (
        UniqueConstraint("trial_id", "code"),
        CheckConstraint("window_days >= 0 AND window_days <= 180", name="window_days"),
    )

    code: Mapped[str] = mapped_column(String(10))
    window_days: Mapped[int] = mapped_column(default=DEFAULT_WINDOW_DAYS)
    position: Mapped[int] = mapped_column(default=0)

    trial: Mapped[Trial] = relationship("Trial", back_populates="timepoints")


class TrialEligibilityItem(TrialPartMixin, CodedRowMixin, Entity):
    __tablename__ = "trial_eligibility_items"
    __table_args__ = (UniqueConstraint("trial_id", "code"),)

    label: Mapped[str] = mapped_column(String(300))  # longer than the other coded rows'

    trial: Mapped[Trial] = relationship("Trial", back_populates="eligibility_items")


class TrialFactor(TrialPartMixin, CodedRowMixin, Entity):
    """A stratification factor (e.g. ``status``) with its levels."""

    __tablename__ = "trial_factors"
    __table_args__ = (UniqueConstraint("trial_id", "code"),)

    trial: Mapped[Trial] = relationship("Trial", back_populates="factors")
    levels: Mapped[list[TrialFactorLevel]] = relationship(
        "TrialFactorLevel", back_populates="factor", order_by="TrialFactorLevel.position"
    )


class TrialFactorLevel(CodedRowMixin, Entity):
    __tablename__ = "trial_factor_levels"
    __table_args__ = (UniqueConstraint("factor_id", "code"),)

    factor_id: Mapped[int] = mapped_column(ForeignKey("trial_factors.id"), index=True)

    factor: Mapped[TrialFactor] = relationship("TrialFactor", back_populates="levels")


class Screening(TrialRecord):
    """Every person screened, eligible or not (CONSORT counts the excluded)."""

    __tablename__ = "trial_screenings"
    __table_args__ = (
        CheckConstraint("eligible OR exclusion_reasons <> ''", name="excluded_reason"),
        Index("ix_trial_screenings_trial_screened", "trial_id", "screened_on"),
    )
    REF_PREFIX = "SC"
    REF_WIDTH = 5

    screened_on: Mapped[date]
    screened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(200))
    criteria_met: Mapped[str] = mapped_column(String(500), default="")  # ';'-separated item codes
    eligible: Mapped[bool]
    exclusion_reasons: Mapped[str] = mapped_column(String(200), default="")  # ';'-separated codes
    exclusion_note: Mapped[str | None] = mapped_column(String(500))
    consent_on: Mapped[date | None]

    screened_by: Mapped[User] = relationship("User")

    @property
    def criteria_list(self) -> list[str]:
        return [c for c in self.criteria_met.split(";") if c]

    @property
    def reason_list(self) -> list[str]:
        return [c for c in self.exclusion_reasons.split(";") if c]


class Participant(TrialRecord):
    """An enrolled person, in either arm; linked to a referral (and so a client) in the IPS arm."""

    __tablename__ = "trial_participants"
    __table_args__ = (
        reason_required("withdrawn_on", "withdrawal_reason"),
        Index("ix_trial_participants_trial_enrolled", "trial_id", "enrolled_on"),
    )
    REF_PREFIX = "P"
    REF_WIDTH = 4
    REF_SEQUENCE = "TP"  # "P" is the programmes' sequence; the study refs count on their own

    screening_id: Mapped[int] = mapped_column(ForeignKey("trial_screenings.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(500))
    # The stratum as canonical "factor=level;factor=level" (sorted by factor code); "" without factors.
    stratum: Mapped[str] = mapped_column(String(300), default="")
    enrolled_on: Mapped[date]
    enrolled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))
    data_may_be_kept: Mapped[bool] = mapped_column(default=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), unique=True)

    screening: Mapped[Screening] = relationship("Screening")
    referral: Mapped[Referral | None] = relationship("Referral")
    # The trial team's; the assessor's pages never load it.
    allocation: Mapped[Allocation | None] = relationship(
        "Allocation", back_populates="participant", uselist=False
    )


class Allocation(TrialPartMixin, Entity):
    """Append-only: one per participant, never updated but for the statistician's annotation.
    The database refuses changes to the allocation itself (a trigger of the migration; on
    PostgreSQL deletions too)."""

    __tablename__ = "trial_allocations"
    __table_args__ = (
        UniqueConstraint("trial_id", "stratum", "sequence"),
        CheckConstraint("sequence >= 1", name="sequence"),
    )

    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), unique=True)
    stratum: Mapped[str] = mapped_column(String(300), default="")
    sequence: Mapped[int]
    arm_id: Mapped[int] = mapped_column(ForeignKey("trial_arms.id"), index=True)
    allocated_at: Mapped[datetime] = mapped_column(default=utcnow)
    allocated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    annotation: Mapped[str | None] = mapped_column(Text)
    annotated_at: Mapped[datetime | None]
    annotated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    participant: Mapped[Participant] = relationship("Participant", back_populates="allocation")
    arm: Mapped[TrialArm] = relationship("TrialArm")


class Assessment(PromScoresMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    """A masked assessment at one timepoint, done or not done with a reason."""

    __tablename__ = "trial_assessments"
    __table_args__ = (
        UniqueConstraint("participant_id", "timepoint"),
        CheckConstraint(
            "(done_on IS NOT NULL AND not_done_reason IS NULL) OR "
            "(done_on IS NULL AND not_done_reason IS NOT NULL)",
            name="done_or_reason",
        ),
        *prom_score_checks(),
        CheckConstraint(
            "hours_per_week IS NULL OR (hours_per_week >= 0 AND hours_per_week <= 100)", name="hours"
        ),
        CheckConstraint(
            "sick_leave_pct IS NULL OR (sick_leave_pct >= 0 AND sick_leave_pct <= 100)", name="sick"
        ),
        CheckConstraint(
            "disability_pension_pct IS NULL OR "
            "(disability_pension_pct >= 0 AND disability_pension_pct <= 100)",
            name="pension",
        ),
        CheckConstraint("weeks_worked IS NULL OR (weeks_worked >= 0 AND weeks_worked <= 110)", name="weeks"),
        CheckConstraint("days_worked IS NULL OR (days_worked >= 0 AND days_worked <= 800)", name="days"),
        CheckConstraint(
            "hours_worked IS NULL OR (hours_worked >= 0 AND hours_worked <= 6000)", name="hours_worked"
        ),
    )
    REF_PREFIX = "AS"

    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    timepoint: Mapped[str] = mapped_column(String(10))
    done_on: Mapped[date | None]
    not_done_reason: Mapped[str | None] = mapped_column(String(20))
    mode: Mapped[str | None] = mapped_column(String(20))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Work status on the day.
    competitive_job: Mapped[bool | None]
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    sick_leave_pct: Mapped[int | None]
    benefits: Mapped[str] = mapped_column(String(200), default="")  # ';'-separated codes
    disability_pension_pct: Mapped[int | None]
    # Employment since the last assessment.
    any_competitive_job: Mapped[bool | None]
    weeks_worked: Mapped[int | None]
    days_worked: Mapped[int | None]
    hours_worked: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))

    participant: Mapped[Participant] = relationship("Participant")
    assessor: Mapped[User] = relationship("User")

    @property
    def benefit_list(self) -> list[str]:
        return [c for c in self.benefits.split(";") if c]


class UnmaskingEvent(Entity):
    """An assessor learned a participant's arm; reports show it."""

    __tablename__ = "trial_unmasking_events"

    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(String(1000))

    participant: Mapped[Participant] = relationship("Participant")
    assessor: Mapped[User] = relationship("User")


class TrialLock(TrialPartMixin, Entity):
    """The statistician's data lock: screening, allocations and assessments up to ``locked_on``."""

    __tablename__ = "trial_locks"

    locked_on: Mapped[date]
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    trial: Mapped[Trial] = relationship("Trial")
    locked_by: Mapped[User] = relationship("User")


class PostLockCorrection(TrialPartMixin, Entity):
    """A change to locked data, allowed only with a reason; the export lists them."""

    __tablename__ = "trial_post_lock_corrections"

    record_ref: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User] = relationship("User")
