"""The CONSORT 2010 flow of a trial on a given day, from plain rows (cli.md: ``trial consort``).

Intention to treat: a participant is counted in the arm allocated, whatever they received.
Per arm and timepoint, assessed + lost + discontinued + not_due = allocated, on any day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from caseload.metrics.trial_flow import PRIMARY_TIMEPOINT, flow_state
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, TimepointRow, TrialData

NOT_RANDOMISED = "not_randomised"  # an eligible person with no allocation and no reason given


@dataclass(frozen=True)
class TimepointFlow:
    assessed: int
    lost: dict[str, int]
    discontinued: int
    not_due: int

    def as_json(self) -> dict:
        return {
            "assessed": self.assessed,
            "lost": dict(sorted(self.lost.items())),
            "discontinued": self.discontinued,
            "not_due": self.not_due,
        }


@dataclass(frozen=True)
class ArmFlow:
    code: str
    label: str
    allocated: int
    received: int
    not_received: int
    timepoints: dict[str, TimepointFlow]
    analysed: int

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "allocated": self.allocated,
            "received": self.received,
            "not_received": self.not_received,
            "timepoints": {code: flow.as_json() for code, flow in self.timepoints.items()},
            "analysed": self.analysed,
        }


@dataclass(frozen=True)
class Consort:
    as_of: date
    screened: int
    excluded: int
    excluded_reasons: dict[str, int]
    randomised: int
    arms: dict[str, ArmFlow]

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "screened": self.screened,
            "excluded": {"n": self.excluded, "reasons": dict(sorted(self.excluded_reasons.items()))},
            "randomised": self.randomised,
            "arms": {code: arm.as_json() for code, arm in self.arms.items()},
        }


def latest_assessments(
    assessments: Iterable[AssessmentRow], as_of: date
) -> dict[tuple[str, str], AssessmentRow]:
    """Per (participant, timepoint) the record that counts on ``as_of``: a done assessment over a
    not-done one, then the latest; records dated after ``as_of`` do not exist yet."""
    chosen: dict[tuple[str, str], AssessmentRow] = {}
    for row in assessments:
        if row.assessed_on > as_of:
            continue
        key = (row.participant_ref, row.timepoint)
        held = chosen.get(key)
        if held is None or (row.done, row.assessed_on) >= (held.done, held.assessed_on):
            chosen[key] = row
    return chosen


def randomised_by(data: TrialData, as_of: date) -> list[ParticipantRow]:
    """The participants randomised on or before ``as_of``."""
    return [p for p in data.participants if p.enrolled_on <= as_of]


def participant_state(
    person: ParticipantRow, timepoint: TimepointRow, record: AssessmentRow | None, as_of: date
) -> tuple[str, str | None]:
    """``flow_state`` of one participant at one timepoint, from the rows (``record`` the latest
    assessment there by ``as_of``, if any)."""
    return flow_state(
        enrolled_on=person.enrolled_on,
        timepoint=timepoint.code,
        window_days=timepoint.window_days,
        as_of=as_of,
        done=None if record is None else record.done,
        not_done_reason=None if record is None else record.not_done_reason,
        withdrawn_on=person.withdrawn_on,
    )


def _arm_flow(
    data: TrialData,
    code: str,
    label: str,
    members: list[ParticipantRow],
    records: Mapping[tuple[str, str], AssessmentRow],
    as_of: date,
) -> ArmFlow:
    flows: dict[str, TimepointFlow] = {}
    for timepoint in data.timepoints:
        states: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        for person in members:
            record = records.get((person.ref, timepoint.code))
            state, reason = participant_state(person, timepoint, record, as_of)
            states[state] += 1
            if reason is not None:
                lost[reason] += 1
        flows[timepoint.code] = TimepointFlow(
            states["assessed"], dict(lost), states["discontinued"], states["not_due"]
        )
    received = sum(1 for p in members if p.received)
    primary = flows.get(PRIMARY_TIMEPOINT)
    return ArmFlow(
        code=code,
        label=label,
        allocated=len(members),
        received=received,
        not_received=len(members) - received,
        timepoints=flows,
        analysed=primary.assessed if primary else 0,
    )


def consort(data: TrialData, as_of: date) -> Consort:
    """The flow on ``as_of``: screened, excluded with reasons, randomised, and per arm allocated,
    received, each timepoint's follow-up and the number analysed (complete case at 12 months)."""
    screened = [s for s in data.screenings if s.screened_on <= as_of]
    participants = randomised_by(data, as_of)
    randomised_refs = {p.ref for p in participants}
    # A screening counts as randomised only once its allocation exists on as_of.
    excluded = [s for s in screened if s.participant_ref not in randomised_refs]
    reasons = Counter(s.exclusion_reason or NOT_RANDOMISED for s in excluded)
    records = latest_assessments(data.assessments, as_of)
    by_arm: dict[str, list[ParticipantRow]] = {code: [] for code, _label in data.arms}
    for person in participants:
        by_arm.setdefault(person.arm, []).append(person)
    labels = dict(data.arms)
    arms = {
        code: _arm_flow(data, code, labels.get(code, code), members, records, as_of)
        for code, members in by_arm.items()
    }
    return Consort(as_of, len(screened), len(excluded), dict(reasons), len(participants), arms)
