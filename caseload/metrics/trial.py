"""The randomised trial's code lists, assessment schedule and due windows, defined once.

Pure: dates in, dates out. The assessor's prompts, the pages and the reports take the
timepoints' target days and windows from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

TRIAL_ROLES = ("trial_manager", "assessor", "statistician")
# Assessment timepoints and their target day after enrolment (6 months = 182 days, ...).
TRIAL_TIMEPOINTS = ("baseline", "6m", "12m", "24m")
TIMEPOINT_DAYS = {"baseline": 0, "6m": 182, "12m": 365, "24m": 730}
DEFAULT_WINDOW_DAYS = 30
ASSESSMENT_MODES = ("in_person", "telephone", "questionnaire")
NOT_DONE_REASONS = ("not_reached", "declined", "withdrawn", "died")
# Benefits held on the day of an assessment.
TRIAL_BENEFITS = (
    "sickness_benefit",
    "work_assessment_allowance",
    "disability_pension",
    "unemployment_benefit",
    "none",
)
# The eligibility checklist offered when a trial is set up (a trial may keep a subset).
ELIGIBILITY_ITEMS = ("age", "chronic_pain", "work_status", "wants_work", "consent")
# Why a screened person was not randomised (CONSORT's "excluded").
EXCLUSION_REASONS = ("not_eligible", "declined", "other")
ALLOCATION_SOURCES = ("seed", "list")
# Block sizes are multiples of the ratio's total; a block holds 1..3 such multiples.
BLOCK_MULTIPLES = (1, 2, 3)


@dataclass(frozen=True)
class Due:
    """One assessment's target date and window."""

    timepoint: str
    target: date
    opens: date
    closes: date

    def state(self, today: date) -> str:
        """``upcoming`` before the window opens, ``due`` inside it, ``missing`` after it closes."""
        if today < self.opens:
            return "upcoming"
        if today > self.closes:
            return "missing"
        return "due"


def assessment_due(enrolled_on: date, timepoint: str, window_days: int = DEFAULT_WINDOW_DAYS) -> Due:
    """The target date of ``timepoint`` for a participant enrolled on ``enrolled_on``, with its
    window (target ± window days)."""
    target = enrolled_on + timedelta(days=TIMEPOINT_DAYS[timepoint])
    window = timedelta(days=window_days)
    return Due(timepoint, target, target - window, target + window)


def prompt_rule(timepoint: str) -> str:
    """The prompt rule of a timepoint: ``assessment_6m``."""
    return f"assessment_{timepoint}"
