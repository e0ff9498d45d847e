"""The trial's assessment prompts (rules ``assessment_baseline|6m|12m|24m``), pure.

One instance per participant and timepoint, due on the target date (enrolment + 0/182/365/730,
``caseload.metrics.trial``), yielded from the window's opening (target − window) on; once the
window closes (target + window) with nothing recorded the instance is ``missing``. An assessment
recorded (done, or not done with a reason) satisfies it. Keyed by the participant's study ref and
never by a client ref, so no prompt, feed or e-mail can reveal the arm. The rows come from the
trial package through ``loading.on_rule_rows(participants=...)``: prompts never import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from caseload.metrics.trial import assessment_due, prompt_rule
from caseload.prompts.rules import Instance


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One participant's timepoint as the assessment rules see it (no arm, no client)."""

    participant_ref: str
    enrolled_on: date
    withdrawn_on: date | None
    timepoint: str
    window_days: int
    assessment_ref: str | None  # the assessment recorded at the timepoint, if any


def assessment_instances(rows: Iterable[ScheduleRow], t: date) -> Iterator[Instance]:
    """The assessment instances known on ``t``: those whose window has opened.

    A participant withdrawn before the window closes has no instance left for it (its open prompt
    becomes ``void``), unless the assessment was recorded."""
    for r in rows:
        due = assessment_due(r.enrolled_on, r.timepoint, r.window_days)
        if t < due.opens:
            continue
        satisfied = r.assessment_ref is not None
        if not satisfied and r.withdrawn_on is not None and r.withdrawn_on <= due.closes:
            continue
        yield Instance(
            prompt_rule(r.timepoint),
            due.target,
            f"Assessment {r.timepoint} of {r.participant_ref} ({due.opens} to {due.closes})",
            participant_ref=r.participant_ref,
            satisfied=satisfied,
            satisfied_by_ref=r.assessment_ref,
            missing=not satisfied and t > due.closes,
        )
