"""The one form that satisfies each prompt rule, pre-filled by refs and codes in its link.

Every rule of metrics.md has an entry here (``tests/prompts/test_actions.py`` checks it), so
every prompt and every overdue item on a person's list has its action one click away. Links carry
the client's ref, a purpose, mode, kind or timepoint code, or a week's Monday, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from flask_babel.speaklater import LazyString

from caseload.l10n import lazy_gettext as _l
from caseload.metrics.trial import TRIAL_TIMEPOINTS, prompt_rule
from caseload.prompts.queries import PromptItem
from caseload.prompts.rules import ASSESSMENT_RULES

LOG_CONTACT = _l("Log the contact")
FACE_TO_FACE = {"mode": "face_to_face"}


@dataclass(frozen=True, slots=True)
class Form:
    """A form's endpoint, the codes it is opened with, and the button's words."""

    endpoint: str
    codes: dict[str, str]
    label: LazyString


def _contact(purpose: str, **codes: str) -> Form:
    return Form("contacts.contact_new", {"purpose": purpose, **codes}, LOG_CONTACT)


def _measure(timepoint: str) -> Form:
    return Form("outcomes.measure_new", {"timepoint": timepoint}, _l("Record the questionnaires"))


FORMS: dict[str, Form] = {
    "first_contact": _contact("engagement"),
    "career_profile": Form("clients.profile_edit", {}, _l("Start the career profile")),
    "rapid_job_search": Form("employers.contact_new", FACE_TO_FACE, _l("Log the employer contact")),
    "disclosure": _contact("disclosure"),
    "outreach": _contact("engagement"),
    "outcome_baseline": _measure("baseline"),
    "outcome_6m": _measure("6m"),
    "outcome_12m": _measure("12m"),
    "benefits_before_start": Form(
        "benefits.session_new", {"kind": "before_job_start"}, _l("Record benefits counselling")
    ),
    "pre_start_contact": _contact("follow_along", **FACE_TO_FACE),
    "start_followup": _contact("follow_along", **FACE_TO_FACE),
    "weekly_followup": _contact("follow_along", **FACE_TO_FACE),
    "monthly_followup": _contact("follow_along", **FACE_TO_FACE),
    "job_loss_contact": _contact("follow_along"),
    "weekly_log_review": Form("employers.week_log", {}, _l("Review the week")),
    "fidelity_review": Form("fidelity.review_new", {}, _l("Start the fidelity review")),
    **{
        prompt_rule(tp): Form("trial_assess.record", {"timepoint": tp}, _l("Record the assessment"))
        for tp in TRIAL_TIMEPOINTS
    },
}


def _path_args(item: PromptItem) -> dict[str, Any] | None:
    """The URL's path part: the client, the trial participant, the specialist's week or the programme."""
    if item.rule in ASSESSMENT_RULES:
        return {"ref": item.participant_ref} if item.participant_ref else None
    if item.rule == "weekly_log_review":
        if item.specialist_id is None or item.week_start is None:
            return None
        return {"user_id": item.specialist_id, "monday": item.week_start.isoformat()}
    if item.rule == "fidelity_review":
        return {"ref": item.program_ref} if item.program_ref else None
    if item.rule == "rapid_job_search":
        return {"client": item.client_ref} if item.client_ref else None
    return {"ref": item.client_ref} if item.client_ref else None


def action(item: PromptItem) -> tuple[str, str] | None:
    """``(url, words)`` of the form that satisfies ``item``, pre-filled; None when there is none."""
    form = FORMS.get(item.rule)
    args = _path_args(item) if form is not None else None
    if form is None or args is None or form.endpoint not in current_app.view_functions:
        return None
    values: dict[str, Any] = {**args, **form.codes}
    return url_for(form.endpoint, **values), str(form.label)
