"""Generated trials over plain rows, for the pure reports' tests: a seed makes a whole trial, so
Hypothesis explores many trials cheaply (and a failing seed replays it)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import strategies as st

from caseload.metrics.trial import NOT_DONE_REASONS
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, ScreeningRow, TimepointRow, TrialData

START = date(2024, 1, 1)
TIMEPOINTS = (
    TimepointRow("baseline", 30),
    TimepointRow("6m", 30),
    TimepointRow("12m", 30),
    TimepointRow("24m", 30),
)
ARMS = (("ips", "IPS + treatment as usual"), ("tau", "Treatment as usual"))
OFFSETS = {"baseline": 0, "6m": 182, "12m": 365, "24m": 730}


def _maybe(rnd: random.Random, value):
    return value if rnd.random() < 0.85 else None


def _assessment(rnd: random.Random, ref: str, code: str, on: date) -> AssessmentRow:
    if rnd.random() < 0.2:
        return AssessmentRow(ref, code, on, done=False, not_done_reason=rnd.choice(NOT_DONE_REASONS))
    employed = rnd.random() < 0.4
    return AssessmentRow(
        participant_ref=ref,
        timepoint=code,
        assessed_on=on,
        job_now=employed and rnd.random() < 0.5,
        employed_since_last=employed,
        weeks=rnd.randint(0, 26) if employed else 0,
        days=_maybe(rnd, rnd.randint(0, 180)) if employed else 0,
        hours=_maybe(rnd, round(rnd.uniform(0, 900), 1)) if employed else None,
        odi=tuple(_maybe(rnd, rnd.randint(0, 5)) for _ in range(10)),
        eq_vas=_maybe(rnd, rnd.randint(0, 100)),
        pain_nrs=_maybe(rnd, rnd.randint(0, 10)),
    )


def participant(rnd: random.Random, ref: str) -> tuple[ParticipantRow, list[AssessmentRow]]:
    enrolled = START + timedelta(days=rnd.randint(0, 700))
    withdrawn = enrolled + timedelta(days=rnd.randint(0, 900)) if rnd.random() < 0.15 else None
    person = ParticipantRow(
        ref=ref,
        arm=rnd.choice(("ips", "ips", "tau")),
        enrolled_on=enrolled,
        received=rnd.random() < 0.9,
        withdrawn_on=withdrawn,
        withdrawal_reason="moved" if withdrawn else None,
    )
    rows = [
        _assessment(rnd, ref, code, enrolled + timedelta(days=offset + rnd.randint(-30, 30)))
        for code, offset in OFFSETS.items()
        if rnd.random() < 0.8
    ]
    return person, rows


def generated_trial(seed: int, max_participants: int = 60) -> TrialData:
    rnd = random.Random(seed)
    count = rnd.randint(0, max_participants)
    people, assessments, screenings = [], [], []
    for i in range(count):
        person, rows = participant(rnd, f"P-{i + 1:04d}")
        people.append(person)
        assessments.extend(rows)
        screenings.append(
            ScreeningRow(
                f"S-{i + 1:04d}", person.enrolled_on, True, participant_ref=person.ref, exclusion_reason=None
            )
        )
    for j in range(rnd.randint(0, 20)):
        eligible = rnd.random() < 0.5
        reason = "not_eligible" if not eligible else rnd.choice(("declined", "other", None))
        on = START + timedelta(days=rnd.randint(0, 700))
        screenings.append(
            ScreeningRow(
                f"S-{count + j + 1:04d}", on, eligible, participant_ref=None, exclusion_reason=reason
            )
        )
    return TrialData(
        "T-0001", "Generated", ARMS, TIMEPOINTS, 60, "", tuple(screenings), tuple(people), tuple(assessments)
    )


def trials(max_participants: int = 60) -> st.SearchStrategy[TrialData]:
    """Whole trials at random stages (participants enrolled over two years, assessed or not)."""
    return st.integers(0, 2**32 - 1).map(lambda seed: generated_trial(seed, max_participants))
