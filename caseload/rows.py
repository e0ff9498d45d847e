"""Lean, plain rows of a programme's records: the input of every pure computation.

Queries (``caseload/loaders.py``) build these from the database; the pure functions of
``prompts/rules.py``, ``fidelity/scoring.py`` and ``outcomes/*`` take them and never see a session.
Field names and codes follow ../shared/spec/exchange-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

FULL_TIME_HOURS = Decimal("37.5")  # a full-time week when the programme sets none (Norway's)


@dataclass(frozen=True, slots=True)
class StaffRow:
    email: str
    role: str  # specialist | supervisor | clinician | admin
    fte: Decimal
    active: bool
    team_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClientRow:
    ref: str
    entry_date: date
    specialist_email: str
    status_at_entry: str
    treatment_team_ref: str | None = None
    closed_on: date | None = None
    closure_reason: str | None = None
    preferred_job_types: tuple[str, ...] = ()
    profile_started_on: date | None = None
    trial_arm: str | None = None

    def active_on(self, day: date) -> bool:
        """Active on ``day``: entered on or before it and not closed on or before it."""
        return self.entry_date <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(frozen=True, slots=True)
class ReferralRow:
    ref: str
    received_on: date
    decision: str  # accepted | declined | withdrawn | pending
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class EmployerContactRow:
    ref: str
    contact_date: date
    specialist_email: str
    employer_ref: str
    mode: str  # face_to_face | phone | email | video
    client_refs: tuple[str, ...] = ()
    job_type: str | None = None
    minutes: int = 0


@dataclass(frozen=True, slots=True)
class WeeklyReviewRow:
    specialist_email: str
    week_start: date
    reviewed_on: date


@dataclass(frozen=True, slots=True)
class HoursChangeRow:
    effective_from: date
    hours_per_week: Decimal


@dataclass(frozen=True, slots=True)
class JobRow:
    ref: str
    client_ref: str
    employer_ref: str
    start_date: date
    hours_per_week: Decimal
    competitive: bool
    job_type: str | None = None
    end_date: date | None = None
    hours_changes: tuple[HoursChangeRow, ...] = ()  # sorted by effective_from

    def held_on(self, day: date) -> bool:
        """The job is held on ``day`` (started, not yet ended)."""
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True, slots=True)
class BenefitsSessionRow:
    ref: str
    client_ref: str
    session_date: date
    trained_planner: bool = False


@dataclass(frozen=True, slots=True)
class ClientContactRow:
    ref: str
    client_ref: str
    staff_email: str
    contact_date: date
    mode: str  # face_to_face | phone | video | message
    purpose: str
    location: str = "office"
    minutes: int = 0

    @property
    def face_to_face(self) -> bool:
        """A face-to-face client contact (metrics.md): mode face_to_face, not outreach."""
        return self.mode == "face_to_face" and self.purpose != "outreach"

    @property
    def counts(self) -> bool:
        """A client contact that counts for the support rules (metrics.md)."""
        return self.purpose != "outreach" and self.mode != "message"


@dataclass(frozen=True, slots=True)
class MeasureRow:
    ref: str
    client_ref: str
    measured_on: date
    timepoint: str  # baseline | 6m | 12m | other
    odi: tuple[int | None, ...] = (None,) * 10
    eq_vas: int | None = None
    pain_nrs: int | None = None


@dataclass(frozen=True, slots=True)
class FinalReviewRow:
    review_date: date
    total: int | None


@dataclass(slots=True)
class ProgramData:
    """Everything the computations of one programme need, as plain rows."""

    program_ref: str
    full_time_hours: Decimal = FULL_TIME_HOURS  # the programme's full-time week (V13)
    staff: list[StaffRow] = field(default_factory=list)
    clients: list[ClientRow] = field(default_factory=list)
    referrals: list[ReferralRow] = field(default_factory=list)
    employer_contacts: list[EmployerContactRow] = field(default_factory=list)
    weekly_reviews: list[WeeklyReviewRow] = field(default_factory=list)
    jobs: list[JobRow] = field(default_factory=list)
    benefits_sessions: list[BenefitsSessionRow] = field(default_factory=list)
    client_contacts: list[ClientContactRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    final_reviews: list[FinalReviewRow] = field(default_factory=list)
