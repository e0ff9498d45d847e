"""The words for the codes of the app's own lists, in the person's language: defined once here.

The codes live in the core (``caseload.metrics.codes``); pages, PDFs, CSV extracts for people and
e-mails show ``label(list, code)`` (the ``label`` template filter) instead of the code. Text that
people typed is never looked up here. Below every feature: imports only the core and Babel.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel.speaklater import LazyString

from caseload.l10n import lazy_gettext as _l
from caseload.metrics import codes


def _words(code_list: tuple[str, ...], *words: LazyString) -> dict[str, LazyString]:
    """The words for the codes of ``code_list``, in its order (one too many or too few fails at import)."""
    return dict(zip(code_list, words, strict=True))


ROLE_LABELS = _words(
    codes.ROLES,
    _l("Employment specialist"),
    _l("Supervisor"),
    _l("Clinician"),
    _l("Administrator"),
    _l("Trial manager"),
    _l("Outcome assessor"),
    _l("Trial statistician"),
)
DECISION_LABELS = _words(codes.DECISIONS, _l("Accepted"), _l("Declined"), _l("Withdrawn"), _l("Pending"))
STATUS_LABELS = _words(
    codes.STATUSES_AT_ENTRY,
    _l("Unemployed"),
    _l("Inactive"),
    _l("On sick leave"),
    _l("Employed"),
    _l("Student"),
)
CLOSURE_LABELS = _words(
    codes.CLOSURE_REASONS,
    _l("In steady work, support transferred"),
    _l("No longer wants work"),
    _l("Moved"),
    _l("Transferred to another service"),
    _l("Deceased"),
    _l("Other"),
)
EMPLOYER_MODE_LABELS = _words(
    codes.EMPLOYER_CONTACT_MODES,
    _l("Face to face"),
    _l("Phone"),
    _l("E-mail"),
    _l("Video"),
)
MODE_LABELS = _words(
    codes.CLIENT_CONTACT_MODES,
    _l("Face to face"),
    _l("Phone"),
    _l("Video"),
    _l("Message"),
)
LOCATION_LABELS = _words(
    codes.LOCATIONS,
    _l("Office"),
    _l("Community"),
    _l("Home"),
    _l("Workplace"),
    _l("Remote"),
)
PURPOSE_LABELS = _words(
    codes.PURPOSES,
    _l("Engagement"),
    _l("Assessment, career profile"),
    _l("Job search"),
    _l("Follow-along support"),
    _l("Benefits"),
    _l("Disclosure"),
    _l("Outreach attempt"),
    _l("Education"),
    _l("Other"),
)
END_REASON_LABELS = _words(
    codes.END_REASONS,
    _l("Quit for a new job"),
    _l("Quit with another plan (e.g. education)"),
    _l("Quit without a plan"),
    _l("Fired"),
    _l("Laid off"),
    _l("Temporary job ended"),
    _l("Ended by mutual agreement"),
    _l("Other"),
)
KIND_LABELS = _words(
    codes.BENEFITS_KINDS,
    _l("Initial"),
    _l("Before a job start"),
    _l("On a change in work (hours, pay)"),
    _l("Annual review"),
    _l("Other"),
)
TIMEPOINT_LABELS = _words(
    codes.TIMEPOINTS,
    _l("Baseline"),
    _l("6 months"),
    _l("12 months"),
    _l("Other (ad hoc)"),
)
# The ODI's disability bands (outcomes.proms.ODI_BANDS, above the last bound: extreme).
ODI_BAND_LABELS = {
    "minimal": _l("minimal disability"),
    "moderate": _l("moderate disability"),
    "severe": _l("severe disability"),
    "very_severe": _l("very severe disability"),
    "extreme": _l("extreme disability"),
}
# A client's phase on the home page (principles.home decides it).
PHASE_LABELS = {
    "engaging": _l("Engaging"),
    "job_search": _l("Job search"),
    "working": _l("Working"),
    "follow_along": _l("Follow-along"),
}

TRIAL_ARM_LABELS = _words(codes.TRIAL_ARMS, _l("IPS"), _l("Control (usual care)"))
VOCATIONAL_KIND_LABELS = _words(
    codes.VOCATIONAL_CONTACT_KINDS,
    _l("Client-related contact"),
    _l("Scheduled meeting"),
)
SUPERVISION_KIND_LABELS = _words(codes.SUPERVISION_KINDS, _l("Group supervision"), _l("Field mentoring"))
# What a person did with a client's record, as the access log shows it (caseload.auth.audit actions).
AUDIT_ACTION_LABELS = {
    "view": _l("Viewed"),
    "list": _l("Seen in a list"),
    "create": _l("Created a record"),
    "update": _l("Changed a record"),
    "update_plan": _l("Changed the job search plan"),
    "update_profile": _l("Changed the career profile"),
    "note": _l("Wrote a note"),
    "close": _l("Closed the case"),
    "reopen": _l("Reopened the case"),
    "reassign": _l("Moved to another specialist"),
    "refused": _l("Refused (out of scope)"),
    "anonymise": _l("Anonymised"),
    "export": _l("Exported"),
    "exchange_export": _l("Exported in a bundle"),
    "exchange_import": _l("Imported from a bundle"),
    "fidelity_records": _l("Seen in the fidelity evidence"),
    "view_caseload": _l("Seen in a caseload"),
    "view_prompts": _l("Seen in prompts"),
    "prompt_dismiss": _l("Dismissed a prompt"),
    "prompts_feed": _l("Seen in a calendar feed"),
    "view_access_log": _l("Viewed the access log"),
}

LISTS: Mapping[str, Mapping[str, LazyString]] = {
    "role": ROLE_LABELS,
    "decision": DECISION_LABELS,
    "status": STATUS_LABELS,
    "closure": CLOSURE_LABELS,
    "employer_mode": EMPLOYER_MODE_LABELS,
    "mode": MODE_LABELS,
    "location": LOCATION_LABELS,
    "purpose": PURPOSE_LABELS,
    "end_reason": END_REASON_LABELS,
    "benefits_kind": KIND_LABELS,
    "timepoint": TIMEPOINT_LABELS,
    "odi_band": ODI_BAND_LABELS,
    "phase": PHASE_LABELS,
    "arm": TRIAL_ARM_LABELS,
    "vocational_kind": VOCATIONAL_KIND_LABELS,
    "supervision_kind": SUPERVISION_KIND_LABELS,
    "audit_action": AUDIT_ACTION_LABELS,
}


def label(code: str | None, code_list: str) -> str:
    """The word for ``code`` of ``code_list`` in the person's language; "—" for no code.

    A code that is not on the list (imported history of an older list) is shown as it is.
    """
    if code is None or code == "":
        return "—"
    return str(LISTS[code_list].get(code, code))
