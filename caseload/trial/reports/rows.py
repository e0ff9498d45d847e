"""Plain rows of one trial, as its reports need them: no database, no Flask.

The loaders (``loading.py``) fill them from the models; the pure reports (``consort.py``,
``outcomes.py``) and the analysis export read only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TimepointRow:
    """One timepoint of the assessment schedule: ``6m`` with its window (± days)."""

    code: str
    window_days: int


@dataclass(frozen=True)
class ScreeningRow:
    """One person screened: ``participant_ref`` once they were randomised, else why not (the loader
    fills both, so neither has a default that could hide a field it forgot)."""

    ref: str
    screened_on: date
    eligible: bool
    participant_ref: str | None
    exclusion_reason: str | None


@dataclass(frozen=True)
class ParticipantRow:
    """One randomised participant (intention to treat: counted in the arm allocated).

    ``received`` says whether the allocated intervention was received (IPS: the referral was
    accepted into the caseload; usual care: always), ``withdrawn_on`` when they left the trial.
    """

    ref: str
    arm: str
    enrolled_on: date
    received: bool = True
    stratum: str = ""
    sequence: int = 0
    withdrawn_on: date | None = None
    withdrawal_reason: str | None = None
    data_kept: bool = True


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment at one timepoint, done (with what it measured) or not done (with why).

    ``employed_since_last``, ``weeks``, ``days`` and ``hours`` are the employment since the previous
    assessment; ``job_now`` the competitive job on the day; ``odi`` the ten section scores.
    """

    participant_ref: str
    timepoint: str
    assessed_on: date
    done: bool = True
    not_done_reason: str | None = None
    mode: str | None = None
    job_now: bool | None = None
    hours_week: float | None = None
    sick_leave_pct: int | None = None
    benefits: tuple[str, ...] = ()
    disability_pct: int | None = None
    employed_since_last: bool | None = None
    weeks: int | None = None
    days: int | None = None
    hours: float | None = None
    odi: tuple[int | None, ...] = ()
    eq_vas: int | None = None
    pain_nrs: int | None = None
    unmasked: bool = False


@dataclass(frozen=True)
class TrialData:
    """Everything the reports of one trial read; ``arms`` in order (experimental first)."""

    ref: str
    name: str
    arms: tuple[tuple[str, str], ...]
    timepoints: tuple[TimepointRow, ...]
    target_enrolment: int = 0
    registration: str = ""
    screenings: tuple[ScreeningRow, ...] = ()
    participants: tuple[ParticipantRow, ...] = ()
    assessments: tuple[AssessmentRow, ...] = ()
    locked_on: date | None = None
    corrections: tuple[tuple[str, str, str], ...] = field(default=())
