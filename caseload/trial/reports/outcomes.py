"""The primary and secondary outcomes by arm on a given day (cli.md: ``trial outcomes``).

Primary: competitive employment within 12 months of enrolment, complete case as the published
report did (``pct_employed_12m`` = 100 × employed_12m ÷ assessed_12m) shown beside
``randomised`` (the intention-to-treat denominator); the difference between the first two arms
in percentage points with Newcombe's 95 % interval (statsmodels). Secondary: hours, days and
weeks worked summed over the 6- and 12-month periods; ODI %, EQ VAS and pain NRS at baseline,
6 and 12 months with the change from baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction

from caseload.metrics.numbers import Number, percent, to_float
from caseload.metrics.spread import spread
from caseload.metrics.trial_flow import (
    BASELINE,
    EMPLOYMENT_TIMEPOINTS,
    PRIMARY_TIMEPOINT,
    QUESTIONNAIRE_TIMEPOINTS,
)
from caseload.outcomes.proms import odi_percent
from caseload.trial.reports.consort import latest_assessments, randomised_by
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, TrialData

WORKED = ("hours", "days", "weeks")
QUESTIONNAIRES: dict[str, Callable[[AssessmentRow], Number | None]] = {
    "odi_percent": lambda row: odi_percent(row.odi) if row.odi else None,
    "eq_vas": lambda row: row.eq_vas,
    "pain_nrs": lambda row: row.pain_nrs,
}
CI_METHOD = "newcomb"

Done = Mapping[tuple[str, str], AssessmentRow]


def summary(values: Sequence[Number]) -> dict:
    """n, mean, SD, median and the interquartile range of a sample (None where not measurable)."""
    s = spread(values)
    return {
        "n": s.n,
        "mean": to_float(s.mean),
        "sd": s.sd,
        "median": to_float(s.median),
        "iqr": None if s.quartiles is None else [float(s.quartiles[0]), float(s.quartiles[1])],
    }


def _exact(value: float | int) -> Fraction:
    # A stored decimal (37.5 hours) is taken as the decimal it prints as, not its binary float.
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def employed_within_12m(ref: str, done: Done) -> bool:
    """The 6- or 12-month assessment reports competitive employment since enrolment."""
    for timepoint in EMPLOYMENT_TIMEPOINTS:
        row = done.get((ref, timepoint))
        if row is not None and (row.employed_since_last or row.job_now):
            return True
    return False


def worked_total(ref: str, done: Done, measure: str) -> Number | None:
    """Hours, days or weeks worked summed over the 6- and 12-month periods; None when an
    assessment that reports employment leaves the amount blank (missing, not zero)."""
    total: Number = 0
    for timepoint in EMPLOYMENT_TIMEPOINTS:
        row = done.get((ref, timepoint))
        if row is None:
            continue
        value = getattr(row, measure)
        if value is None:
            if row.employed_since_last:
                return None
            continue
        total += value if type(value) is int else _exact(value)
    return total


def _questionnaire(members: Sequence[ParticipantRow], done: Done, score: Callable) -> dict:
    result: dict[str, dict] = {}
    baseline: dict[str, Number] = {}
    for timepoint in QUESTIONNAIRE_TIMEPOINTS:
        values: dict[str, Number] = {}
        for person in members:
            row = done.get((person.ref, timepoint))
            value = None if row is None else score(row)
            if value is not None:
                values[person.ref] = value
        entry = summary(list(values.values()))
        if timepoint == BASELINE:
            baseline = values
        else:
            changes = [v - baseline[ref] for ref, v in values.items() if ref in baseline]
            change = spread(changes)
            entry["change"] = {"n": change.n, "mean": to_float(change.mean), "sd": change.sd}
        result[timepoint] = entry
    return result


def arm_outcomes(label: str, members: Sequence[ParticipantRow], done: Done) -> dict:
    """One arm's outcome numbers (cli.md's keys)."""
    assessed = [p for p in members if (p.ref, PRIMARY_TIMEPOINT) in done]
    employed = sum(1 for p in assessed if employed_within_12m(p.ref, done))
    result: dict = {
        "label": label,
        "randomised": len(members),
        "assessed_12m": len(assessed),
        "employed_12m": employed,
        "pct_employed_12m": to_float(percent(employed, len(assessed))),
    }
    for measure in WORKED:
        totals = [worked_total(p.ref, done, measure) for p in assessed]
        result[measure] = summary([t for t in totals if t is not None])
    result["questionnaires"] = {
        name: _questionnaire(members, done, score) for name, score in QUESTIONNAIRES.items()
    }
    return result


def difference(first: dict, second: dict) -> dict | None:
    """First arm − second arm in percentage points with Newcombe's 95 % interval, or None when an
    arm has nobody assessed at 12 months."""
    n1, n2 = first["assessed_12m"], second["assessed_12m"]
    if not n1 or not n2:
        return None
    # Imported here: statsmodels takes a second to import and only this number needs it.
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        first["employed_12m"], n1, second["employed_12m"], n2, method=CI_METHOD, compare="diff"
    )
    pp = percent(first["employed_12m"], n1) - percent(second["employed_12m"], n2)  # type: ignore[operator]
    return {"pp": float(pp), "ci95": [100 * float(low), 100 * float(high)], "method": CI_METHOD}


def trial_outcomes(data: TrialData, as_of: date) -> dict:
    """Every arm's outcomes on ``as_of`` and the difference between the first two arms."""
    records = latest_assessments(data.assessments, as_of)
    done = {key: row for key, row in records.items() if row.done}
    participants = randomised_by(data, as_of)
    arms = {
        code: arm_outcomes(label, [p for p in participants if p.arm == code], done)
        for code, label in data.arms
    }
    codes = [code for code, _label in data.arms]
    diff = difference(arms[codes[0]], arms[codes[1]]) if len(codes) >= 2 else None
    if diff is not None:
        diff["arms"] = codes[:2]
    return {
        "as_of": as_of.isoformat(),
        "primary_timepoint": PRIMARY_TIMEPOINT,
        "arms": arms,
        "difference": diff,
    }
