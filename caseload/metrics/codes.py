"""The code lists of exchange-format.md, defined once: the models, forms, the bundle and the
metrics all take them from here."""

from __future__ import annotations

ROLES = ("specialist", "supervisor", "clinician", "admin", "trial_manager", "assessor", "statistician")
DECISIONS = ("accepted", "declined", "withdrawn", "pending")
STATUSES_AT_ENTRY = ("unemployed", "inactive", "sick_leave", "employed", "student")
CLOSURE_REASONS = (
    "steady_work_transferred",
    "no_longer_wants_work",
    "moved",
    "transferred_to_other_service",
    "deceased",
    "other",
)
EMPLOYER_CONTACT_MODES = ("face_to_face", "phone", "email", "video")
END_REASONS = (
    "quit_new_job",
    "quit_other_plan",
    "quit_no_plan",
    "fired",
    "laid_off",
    "temporary_ended",
    "mutual",
    "other",
)
BENEFITS_KINDS = ("initial", "before_job_start", "change_in_work", "annual", "other")
CLIENT_CONTACT_MODES = ("face_to_face", "phone", "video", "message")
LOCATIONS = ("office", "community", "home", "workplace", "remote")
COMMUNITY_LOCATIONS = frozenset({"community", "home", "workplace"})  # V13's time in the community
PURPOSES = (
    "engagement",
    "assessment",
    "job_search",
    "follow_along",
    "benefits",
    "disclosure",
    "outreach",
    "education",
    "other",
)
TIMEPOINTS = ("baseline", "6m", "12m", "other")
TRIAL_ARMS = ("ips", "control")  # the usual arms; the bundle may carry others, shown as they are
# The fidelity logs' kinds (not in the bundle): a NAV/VR contact's and a supervision session's.
VOCATIONAL_CONTACT_KINDS = ("contact", "meeting")
SUPERVISION_KINDS = ("group", "field_mentoring")
