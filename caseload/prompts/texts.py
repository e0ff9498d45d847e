"""What each rule asks, in the reader's language: titles and "why" lines for pages, feeds, e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from caseload.l10n import gettext as _
from caseload.l10n import lazy_gettext as _l
from caseload.l10n import ngettext


class HasRule(Protocol):
    """A prompt or an overdue item: its rule."""

    @property
    def rule(self) -> str: ...


class HasDue(Protocol):
    """A prompt or an overdue item: its due date."""

    @property
    def due_on(self) -> date: ...


TITLES = {
    "first_contact": _l("First contact after entry"),
    "career_profile": _l("Start the career profile"),
    "rapid_job_search": _l("First face-to-face employer contact"),
    "disclosure": _l("Talk about disclosure"),
    "outreach": _l("Reach out: no contact for over 14 days"),
    "outcome_baseline": _l("Outcome questionnaire at entry"),
    "outcome_6m": _l("Outcome questionnaire at 6 months"),
    "outcome_12m": _l("Outcome questionnaire at 12 months"),
    "benefits_before_start": _l("Benefits counselling before the job starts"),
    "pre_start_contact": _l("Meet the client the week before the job starts"),
    "start_followup": _l("Meet the client within 3 days of the job start"),
    "weekly_followup": _l("Weekly follow-along in the first month of the job"),
    "monthly_followup": _l("Monthly follow-along"),
    "job_loss_contact": _l("Contact the client after the job ended"),
    "weekly_log_review": _l("Review a specialist's employer-contact log"),
    "fidelity_review": _l("Fidelity review of the programme"),
    "assessment_baseline": _l("Trial assessment at baseline"),
    "assessment_6m": _l("Trial assessment at 6 months"),
    "assessment_12m": _l("Trial assessment at 12 months"),
    "assessment_24m": _l("Trial follow-up at 24 months (telephone)"),
}

WHY = {
    "first_contact": _l("IPS starts quickly: a contact within 3 days of entry."),
    "career_profile": _l("The career profile guides the search; start it within 14 days."),
    "rapid_job_search": _l("Rapid job search: meet an employer for the client within 21 days."),
    "disclosure": _l("Discuss what the client wants employers to know, within 60 days."),
    "outreach": _l("No contact that counts for over 14 days: IPS reaches out, it never closes."),
    "outcome_baseline": _l("The outcome measures are due at entry."),
    "outcome_6m": _l("The outcome measures are due 182 days after entry."),
    "outcome_12m": _l("The outcome measures are due 365 days after entry."),
    "benefits_before_start": _l("Work-incentives counselling belongs before the first pay day."),
    "pre_start_contact": _l("A face-to-face meeting in the week before the job starts."),
    "start_followup": _l("A face-to-face meeting within 3 days of the job start."),
    "weekly_followup": _l("Follow-along is weekly and face to face in the first month."),
    "monthly_followup": _l("Follow-along is monthly for as long as the client wants it."),
    "job_loss_contact": _l("A contact within 3 days of a job ending."),
    "weekly_log_review": _l("Supervisors review each specialist's job development weekly."),
    "fidelity_review": _l("Fidelity reviews are due every 6 months, yearly when the score is good."),
    "assessment_baseline": _l("The masked assessment is due at enrolment, within its window."),
    "assessment_6m": _l("The masked assessment is due 182 days after enrolment, within its window."),
    "assessment_12m": _l("The masked assessment is due 365 days after enrolment, within its window."),
    "assessment_24m": _l("The follow-up is due 730 days after enrolment, within its window."),
}

FOLLOW_ALONG = frozenset(
    {"pre_start_contact", "start_followup", "weekly_followup", "monthly_followup", "job_loss_contact"}
)


def title(rule: str) -> str:
    """The rule's title, translated."""
    return str(TITLES.get(rule, rule))


def item_title(rule: str, specialist_name: str | None) -> str:
    """The title of one prompt: a weekly log review says whose log it is."""
    if rule == "weekly_log_review" and specialist_name:
        return _("Review %(name)s's employer-contact log", name=specialist_name)
    return title(rule)


def why(rule: str) -> str:
    """Why the rule's prompts exist, translated."""
    return str(WHY.get(rule, ""))


def due_text(due_on: date, today: date) -> str:
    """ "due today", "due in 3 days", "overdue by 2 days"."""
    delta = (due_on - today).days
    if delta == 0:
        return _("due today")
    if delta > 0:
        return ngettext("due in %(num)d day", "due in %(num)d days", delta)
    return ngettext("overdue by %(num)d day", "overdue by %(num)d days", -delta)


def texts_for(items: Iterable[HasRule]) -> dict[str, tuple[str, str]]:
    """Each rule's title and "why" line, translated once per list (not once per prompt)."""
    return {rule: (title(rule), why(rule)) for rule in {i.rule for i in items}}


def due_texts_for(items: Iterable[HasDue], today: date) -> dict[date, tuple[str, str]]:
    """Each due date's "due in 3 days" and "Due on <date>." lines, written once per list."""
    return {day: (due_text(day, today), _("Due on %(day)s.", day=day)) for day in {i.due_on for i in items}}
