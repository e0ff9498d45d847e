"""Outcomes by arm: complete-case primary outcome, Newcombe's interval, sums and questionnaires."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings

from caseload.trial.reports.outcomes import summary, trial_outcomes
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, TrialData
from tests.trial.reports.generated import ARMS, START, TIMEPOINTS, trials

ENROLLED = date(2024, 1, 10)
AS_OF = date(2025, 6, 1)


def _arm(arm: str, n: int, employed: int, first: int) -> tuple[list[ParticipantRow], list[AssessmentRow]]:
    people, rows = [], []
    for i in range(n):
        ref = f"P-{first + i:04d}"
        people.append(ParticipantRow(ref, arm, ENROLLED))
        works = i < employed
        rows.append(
            AssessmentRow(
                ref,
                "12m",
                ENROLLED + timedelta(days=365),
                employed_since_last=works,
                hours=10.5 if works else None,
                weeks=2 if works else 0,
                days=5 if works else 0,
            )
        )
    return people, rows


def test_the_difference_has_newcombes_interval_from_his_paper():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80 = 0.2000,
    # 95 % interval by the hybrid score method 0.0524 to 0.3339.
    ips, ips_rows = _arm("ips", 70, 56, 1)
    tau, tau_rows = _arm("tau", 80, 48, 100)
    data = TrialData("T-1", "N", ARMS, TIMEPOINTS, 150, "", (), tuple(ips + tau), tuple(ips_rows + tau_rows))
    result = trial_outcomes(data, AS_OF)
    assert result["arms"]["ips"]["pct_employed_12m"] == 80.0
    assert result["arms"]["tau"]["pct_employed_12m"] == 60.0
    diff = result["difference"]
    assert diff["arms"] == ["ips", "tau"] and diff["pp"] == pytest.approx(20.0)
    assert diff["ci95"] == [pytest.approx(5.24, abs=0.005), pytest.approx(33.39, abs=0.005)]


def test_complete_case_counts_only_those_assessed_at_12_months_and_reads_the_6_month_period():
    people = [ParticipantRow(f"P-{i}", "ips", ENROLLED) for i in range(1, 5)] + [
        ParticipantRow("P-9", "tau", ENROLLED)
    ]
    rows = [
        # P-1 worked in the first six months only: employed within 12 months.
        AssessmentRow(
            "P-1",
            "6m",
            ENROLLED + timedelta(days=182),
            employed_since_last=True,
            hours=100.5,
            days=20,
            weeks=5,
        ),
        AssessmentRow("P-1", "12m", ENROLLED + timedelta(days=365), employed_since_last=False),
        # P-2 not employed; P-3 employed at 6m but never assessed at 12m: not in the denominator.
        AssessmentRow(
            "P-2", "12m", ENROLLED + timedelta(days=365), employed_since_last=False, hours=0, days=0, weeks=0
        ),
        AssessmentRow(
            "P-3", "6m", ENROLLED + timedelta(days=182), employed_since_last=True, hours=50, days=10, weeks=2
        ),
        # P-4's 12-month record is after as_of: it does not exist yet.
        AssessmentRow("P-4", "12m", AS_OF + timedelta(days=1), employed_since_last=True),
    ]
    data = TrialData("T-1", "N", ARMS, TIMEPOINTS, 10, "", (), tuple(people), tuple(rows))
    ips = trial_outcomes(data, AS_OF)["arms"]["ips"]
    assert (ips["randomised"], ips["assessed_12m"], ips["employed_12m"]) == (4, 2, 1)
    assert ips["pct_employed_12m"] == 50.0
    assert ips["hours"] == {
        "n": 2,
        "mean": 50.25,
        "sd": pytest.approx(71.0642, abs=1e-4),
        "median": 50.25,
        "iqr": [25.125, 75.375],
    }
    assert trial_outcomes(data, AS_OF)["difference"] is None  # nobody in usual care assessed yet


def test_questionnaires_give_the_change_from_baseline_of_those_measured_twice():
    people = [ParticipantRow(f"P-{i}", "ips", ENROLLED) for i in range(1, 4)]
    rows = [
        AssessmentRow("P-1", "baseline", ENROLLED, eq_vas=40, pain_nrs=8, odi=(2,) * 10),
        AssessmentRow("P-2", "baseline", ENROLLED, eq_vas=50),
        AssessmentRow("P-1", "6m", ENROLLED + timedelta(days=182), eq_vas=70, odi=(1,) * 10),
        AssessmentRow("P-3", "6m", ENROLLED + timedelta(days=182), eq_vas=90),
    ]
    data = TrialData("T-1", "N", ARMS, TIMEPOINTS, 10, "", (), tuple(people), tuple(rows))
    q = trial_outcomes(data, AS_OF)["arms"]["ips"]["questionnaires"]
    assert q["eq_vas"]["baseline"]["n"] == 2 and q["eq_vas"]["baseline"]["mean"] == 45.0
    assert q["eq_vas"]["6m"]["mean"] == 80.0
    assert q["eq_vas"]["6m"]["change"] == {"n": 1, "mean": 30.0, "sd": None}
    assert q["odi_percent"]["6m"]["change"]["mean"] == -20.0
    assert q["pain_nrs"]["12m"] == {
        "n": 0,
        "mean": None,
        "sd": None,
        "median": None,
        "iqr": None,
        "change": {"n": 0, "mean": None, "sd": None},
    }


def test_summary_gives_the_inclusive_quartiles_and_sample_sd():
    assert summary([4, 1, 3, 2]) == {
        "n": 4,
        "mean": 2.5,
        "sd": pytest.approx(1.290994),
        "median": 2.5,
        "iqr": [1.75, 3.25],
    }
    assert summary([7]) == {"n": 1, "mean": 7.0, "sd": None, "median": 7.0, "iqr": [7.0, 7.0]}


@settings(max_examples=60, deadline=None)
@given(trials())
def test_the_primary_outcome_never_exceeds_its_denominators(data):
    for day in (300, 700, 1200):
        result = trial_outcomes(data, START + timedelta(days=day))
        for arm in result["arms"].values():
            assert arm["employed_12m"] <= arm["assessed_12m"] <= arm["randomised"]
            assert arm["hours"]["n"] <= arm["assessed_12m"]
        if result["difference"] is not None:
            low, high = result["difference"]["ci95"]
            assert -100 <= low <= result["difference"]["pp"] <= high <= 100
