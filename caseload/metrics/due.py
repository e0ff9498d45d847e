"""When each client rule of metrics.md falls due, counted from the client's entry or last contact."""

from __future__ import annotations

from datetime import date

from caseload.metrics.periods import ONE_WEEK, days
from caseload.metrics.scale import GOOD_TOTAL

# A sweep on t creates the prompts due in [t − 30, t + 7]; a missed one stays shown that long.
PROMPT_BACK_DAYS = 30
PROMPT_AHEAD_DAYS = 7
FIRST_CONTACT_DAYS = 3  # a contact that counts within 3 days of entry
CAREER_PROFILE_DAYS = 14  # the career profile started within 14 days of entry
RAPID_JOB_SEARCH_DAYS = 21  # a face-to-face employer contact for the client within 21 days
DISCLOSURE_DAYS = 60  # a talk about disclosure within 60 days
OUTREACH_AFTER_DAYS = 14  # outreach when the last contact that counts is older than this
FIRST_REVIEW_DAYS = 90  # the first fidelity review, after the programme's first entry
REVIEW_EVERY_DAYS = 180  # the next review; a year (365 days) after a good one
GOOD_REVIEW_EVERY_DAYS = 365
MEASURE_DAYS = {"baseline": 0, "6m": 182, "12m": 365}  # the outcome questionnaires after entry


def overdue(due_on: date, today: date) -> bool:
    """Past its due date: something due today is due, not yet overdue."""
    return due_on < today


def missed_since(t: date) -> date:
    """The earliest due date a missed instance is still shown (and prompted) on ``t``: t − 30."""
    return t - days(PROMPT_BACK_DAYS)


def first_contact_due(entry: date) -> date:
    """The first contact after entry."""
    return entry + days(FIRST_CONTACT_DAYS)


def career_profile_due(entry: date) -> date:
    """The career profile started."""
    return entry + days(CAREER_PROFILE_DAYS)


def rapid_job_search_due(entry: date) -> date:
    """The first face-to-face employer contact for the client (IPS principle: rapid job search)."""
    return entry + days(RAPID_JOB_SEARCH_DAYS)


def disclosure_due(entry: date) -> date:
    """The talk about disclosure to employers."""
    return entry + days(DISCLOSURE_DAYS)


def outreach_due(last_contact: date) -> date:
    """Outreach after a silence."""
    return last_contact + days(OUTREACH_AFTER_DAYS)


def measure_due(entry: date, timepoint: str) -> date:
    """The outcome questionnaire of a timepoint (baseline, 6m, 12m)."""
    return entry + days(MEASURE_DAYS[timepoint])


def first_fidelity_review_due(first_entry: date) -> date:
    """The programme's first fidelity review."""
    return first_entry + days(FIRST_REVIEW_DAYS)


def next_fidelity_review_due(review_date: date, total: int | None) -> date:
    """The review after one of ``review_date``: a year after a good one (total ≥ 100), else half."""
    good = total is not None and total >= GOOD_TOTAL
    return review_date + days(GOOD_REVIEW_EVERY_DAYS if good else REVIEW_EVERY_DAYS)


def log_review_due(week_start: date) -> date:
    """The supervisor's review of a specialist's employer-contact log: the Monday after the week."""
    return week_start + ONE_WEEK
