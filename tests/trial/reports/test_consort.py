"""CONSORT adds up on generated trials at every stage, and counts a small trial as by hand."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from caseload.trial.reports.consort import consort
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, ScreeningRow, TrialData
from tests.trial.reports.generated import ARMS, START, TIMEPOINTS, trials


@settings(max_examples=150, deadline=None)
@given(trials(), st.lists(st.integers(-10, 1600), min_size=1, max_size=6))
def test_consort_adds_up_on_generated_trials_at_every_stage(data, days):
    for offset in sorted(days):
        flow = consort(data, START + timedelta(days=offset))
        assert flow.screened == flow.randomised + flow.excluded
        assert flow.excluded == sum(flow.excluded_reasons.values())
        assert flow.randomised == sum(arm.allocated for arm in flow.arms.values())
        for arm in flow.arms.values():
            assert arm.received + arm.not_received == arm.allocated
            assert set(arm.timepoints) == {t.code for t in TIMEPOINTS}
            for tp in arm.timepoints.values():
                assert tp.assessed + sum(tp.lost.values()) + tp.discontinued + tp.not_due == arm.allocated
            assert arm.analysed == arm.timepoints["12m"].assessed


@settings(max_examples=60, deadline=None)
@given(trials())
def test_consort_only_grows_as_the_trial_runs(data):
    before = consort(data, START + timedelta(days=400))
    after = consort(data, START + timedelta(days=800))
    assert after.screened >= before.screened
    assert after.randomised >= before.randomised
    for code, arm in after.arms.items():
        assert arm.allocated >= before.arms[code].allocated
        assert (
            arm.timepoints["12m"].not_due
            <= before.arms[code].timepoints["12m"].not_due + arm.allocated - before.arms[code].allocated
        )


def _small_trial() -> TrialData:
    enrolled = date(2025, 1, 10)
    people = (
        ParticipantRow("P-0001", "ips", enrolled),
        ParticipantRow("P-0002", "ips", enrolled, received=False),
        ParticipantRow("P-0003", "tau", enrolled, withdrawn_on=date(2025, 3, 1), withdrawal_reason="moved"),
        ParticipantRow("P-0004", "tau", date(2025, 12, 1)),
    )
    screenings = (
        *(
            ScreeningRow(f"S-{i}", p.enrolled_on, True, participant_ref=p.ref, exclusion_reason=None)
            for i, p in enumerate(people)
        ),
        ScreeningRow("S-8", enrolled, False, participant_ref=None, exclusion_reason="not_eligible"),
        ScreeningRow("S-9", enrolled, True, participant_ref=None, exclusion_reason="declined"),
    )
    assessments = (
        AssessmentRow("P-0001", "baseline", enrolled),
        AssessmentRow("P-0002", "baseline", enrolled),
        AssessmentRow("P-0003", "baseline", enrolled),
        AssessmentRow("P-0001", "6m", date(2025, 7, 11)),
        AssessmentRow("P-0002", "6m", date(2025, 7, 20), done=False, not_done_reason="not_reached"),
        AssessmentRow("P-0002", "6m", date(2025, 7, 30)),  # reached later: done wins
    )
    return TrialData("T-1", "Small", ARMS, TIMEPOINTS, 4, "", screenings, people, assessments)


def test_a_small_trial_is_counted_as_by_hand_on_a_given_day():
    flow = consort(_small_trial(), date(2026, 2, 1)).as_json()
    assert flow["screened"] == 6
    assert flow["excluded"] == {"n": 2, "reasons": {"declined": 1, "not_eligible": 1}}
    assert flow["randomised"] == 4
    ips, tau = flow["arms"]["ips"], flow["arms"]["tau"]
    assert (ips["allocated"], ips["received"], ips["not_received"]) == (2, 1, 1)
    assert ips["timepoints"]["6m"] == {"assessed": 2, "lost": {}, "discontinued": 0, "not_due": 0}
    # 12 months: target 2026-01-10, window closes 2026-02-09: not due yet on 2026-02-01.
    assert ips["timepoints"]["12m"] == {"assessed": 0, "lost": {}, "discontinued": 0, "not_due": 2}
    # P-0004 enrolled 2025-12-01 without a baseline: its window closed on 2025-12-31.
    assert tau["timepoints"]["baseline"] == {
        "assessed": 1,
        "lost": {"no_assessment": 1},
        "discontinued": 0,
        "not_due": 0,
    }
    assert tau["timepoints"]["6m"] == {"assessed": 0, "lost": {}, "discontinued": 1, "not_due": 1}


def test_a_closed_window_without_a_record_is_lost_and_later_records_do_not_count_yet():
    flow = consort(_small_trial(), date(2026, 3, 1)).as_json()
    assert flow["arms"]["ips"]["timepoints"]["12m"]["lost"] == {"no_assessment": 2}
    early = consort(_small_trial(), date(2025, 7, 25)).as_json()
    assert early["arms"]["ips"]["timepoints"]["6m"] == {
        "assessed": 1,
        "lost": {"not_reached": 1},
        "discontinued": 0,
        "not_due": 0,
    }
    assert early["randomised"] == 3 and early["screened"] == 5
