"""Where a participant stands at a timepoint on a given day (CONSORT's follow-up boxes), and which
timepoints the primary and secondary outcomes read. Pure: dates in, a state out."""

from __future__ import annotations

from datetime import date

from caseload.metrics.trial import assessment_due

PRIMARY_TIMEPOINT = "12m"  # assessed_12m: a 12-month assessment done
EMPLOYMENT_TIMEPOINTS = ("6m", "12m")  # employed_12m reads both periods since enrolment
QUESTIONNAIRE_TIMEPOINTS = ("baseline", "6m", "12m")
BASELINE = "baseline"
# Lost to follow-up with no record at all: the window closed and nobody wrote why.
NO_ASSESSMENT = "no_assessment"
WITHDRAWN = "withdrawn"  # a not-done reason that counts as discontinued, not lost
FLOW_STATES = ("assessed", "lost", "discontinued", "not_due")


def flow_state(
    *,
    enrolled_on: date,
    timepoint: str,
    window_days: int,
    as_of: date,
    done: bool | None,
    not_done_reason: str | None = None,
    withdrawn_on: date | None = None,
) -> tuple[str, str | None]:
    """The state of one participant at one timepoint on ``as_of``, with the reason when lost.

    ``done`` is None when no assessment was recorded by ``as_of``. Assessed wins; a participant
    who withdrew before the window closed is discontinued; a not-done record is lost with its
    reason; a closed window without a record is lost (``no_assessment``); otherwise not due yet.
    Every participant is in exactly one state, so the four add up to those allocated.
    """
    if done:
        return "assessed", None
    closes = assessment_due(enrolled_on, timepoint, window_days).closes
    if withdrawn_on is not None and withdrawn_on <= as_of and withdrawn_on <= closes:
        return "discontinued", None
    if done is False:
        if not_done_reason == WITHDRAWN:
            return "discontinued", None
        return "lost", not_done_reason or NO_ASSESSMENT
    if as_of > closes:
        return "lost", NO_ASSESSMENT
    return "not_due", None
