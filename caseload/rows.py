"""Lean, plain rows of a programme's records: the input of every pure computation.

Queries (``caseload/loaders.py``) build these from the database; the pure functions of
``prompts/rules.py``, ``fidelity/scoring.py`` and ``outcomes/*`` take them and never see a session.
Field names and codes follow ../shared/spec/exchange-format.md.

A loader fills every field of the row type it builds. Where a computation reads only a few fields
(the prompt rules, the home), its loader builds the narrower ``...Fact`` type, of which the full row
is a subclass: a field a loader did not read is absent, never a placeholder.
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
class ClientFact:
    """What the prompt rules and the home read of a client."""

    ref: str
    entry_date: date
    specialist_email: str
    status_at_entry: str
    closed_on: date | None = None
    profile_started_on: date | None = None

    def active_on(self, day: date) -> bool:
        """Active on ``day``: entered on or before it and not closed on or before it."""
        return self.entry_date <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientRow(ClientFact):
    """A client with every field of clients.csv that a number reads."""

    treatment_team_ref: str | None
    closure_reason: str | None
    preferred_job_types: tuple[str, ...]
    trial_arm: str | None


@dataclass(frozen=True, slots=True)
class ReferralRow:
    ref: str
    received_on: date
    decision: str  # accepted | declined | withdrawn | pending
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class VisitFact:
    """What the prompt rules and the home read of an employer contact: when, how, for whom."""

    ref: str
    contact_date: date
    mode: str  # face_to_face | phone | email | video
    client_refs: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployerContactRow(VisitFact):
    specialist_email: str
    employer_ref: str
    job_type: str | None
    minutes: int


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
class JobFact:
    """What the prompt rules read of a job: its client and dates."""

    ref: str
    client_ref: str
    start_date: date
    end_date: date | None

    def held_on(self, day: date) -> bool:
        """The job is held on ``day`` (started, not yet ended)."""
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRow(JobFact):
    employer_ref: str
    hours_per_week: Decimal
    competitive: bool
    job_type: str | None
    hours_changes: tuple[HoursChangeRow, ...]  # sorted by effective_from


@dataclass(frozen=True, slots=True)
class BenefitsFact:
    """A benefits counselling session as the prompt rules see it."""

    ref: str
    client_ref: str
    session_date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitsSessionRow(BenefitsFact):
    trained_planner: bool


@dataclass(frozen=True, slots=True)
class ContactFact:
    """What the support rules read of a client contact."""

    ref: str
    client_ref: str
    contact_date: date
    mode: str  # face_to_face | phone | video | message
    purpose: str

    @property
    def face_to_face(self) -> bool:
        """A face-to-face client contact (metrics.md): mode face_to_face, not outreach."""
        return self.mode == "face_to_face" and self.purpose != "outreach"

    @property
    def counts(self) -> bool:
        """A client contact that counts for the support rules (metrics.md)."""
        return self.purpose != "outreach" and self.mode != "message"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientContactRow(ContactFact):
    staff_email: str
    location: str
    minutes: int


@dataclass(frozen=True, slots=True)
class MeasureFact:
    """An outcome measure as the prompt rules see it: when, at which timepoint."""

    ref: str
    client_ref: str
    measured_on: date
    timepoint: str  # baseline | 6m | 12m | other


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureRow(MeasureFact):
    odi: tuple[int | None, ...]
    eq_vas: int | None
    pain_nrs: int | None


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

    @property
    def first_entry(self) -> date | None:
        """The earliest entry date of the programme's clients (``fidelity_review`` counts from it)."""
        return min((c.entry_date for c in self.clients), default=None)


@dataclass(slots=True)
class RuleData:
    """What the prompt rules read of a programme, as narrow rows (a sweep's or one client's load).

    ``ProgramData`` has the same attributes with full rows, so the rules take either."""

    program_ref: str
    first_entry: date | None = None
    staff: list[StaffRow] = field(default_factory=list)
    clients: list[ClientFact] = field(default_factory=list)
    client_contacts: list[ContactFact] = field(default_factory=list)
    employer_contacts: list[VisitFact] = field(default_factory=list)
    jobs: list[JobFact] = field(default_factory=list)
    benefits_sessions: list[BenefitsFact] = field(default_factory=list)
    measures: list[MeasureFact] = field(default_factory=list)
    weekly_reviews: list[WeeklyReviewRow] = field(default_factory=list)
    final_reviews: list[FinalReviewRow] = field(default_factory=list)
