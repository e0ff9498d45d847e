"""Every scoring function at each threshold (just below, on, just above), windows, total, band."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from caseload.fidelity.scoring import (
    compute_fidelity,
)
from caseload.metrics.numbers import display, round_half_up
from caseload.metrics.periods import activity_window, job_year
from caseload.metrics.scale import (
    fidelity_band,
    fidelity_total,
    score_diversity,
    score_o1_specialist,
    score_s1,
    score_v4,
    score_v6,
    score_v10,
    score_v13,
)
from tests.fidelity.compare import compare
from tests.sample_rows import EXPECTED, sample_program_data

EPS = Fraction(1, 10**9)
FULL = Fraction(1)


def around(limit: int, below: int, on: int, above: int):
    """Cases just below, on and just above ``limit`` with the scores expected there."""
    return [(Fraction(limit) - EPS, below), (Fraction(limit), on), (Fraction(limit) + EPS, above)]


@pytest.mark.parametrize(
    ("value", "score"),
    around(20, 5, 5, 4) + around(25, 4, 4, 3) + around(30, 3, 3, 2) + around(40, 2, 2, 1)
    + [(Fraction(0), 5), (Fraction(500), 1)],
)  # fmt: skip
def test_s1_caseload_size_scores_at_each_threshold(value, score):
    assert score_s1(value) == score


@pytest.mark.parametrize(
    ("value", "score"),
    around(30, 5, 5, 4) + around(60, 4, 4, 3) + around(150, 3, 3, 2) + around(270, 2, 2, 1),
)
def test_v4_rapid_job_search_scores_at_each_threshold(value, score):
    assert score_v4(value) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [("5.5", 5), ("5.49", 4), ("4.5", 4), ("4.49", 3), ("3", 3), ("2.99", 2), ("2", 2), ("1.99", 1)]
    + [("4.6", 4), ("6", 5), ("0", 1)],
)
def test_v6_scores_at_the_closest_scale_point_with_ties_going_up(value, score):
    # The anchors are 6, 5, 4, 2 and fewer than 2 a week: 4.6 is closest to 5 (a 4), not below 5 (a 3).
    assert score_v6(Fraction(value), FULL) == score


@pytest.mark.parametrize(
    ("coverage", "score"),
    [("0.75", 5), ("0.74", 3), ("0.2", 3), ("0.19", 2), ("0", 2), ("1", 5)],
)
def test_v6_review_of_the_tracking_caps_the_score_at_3_monthly_and_2_without(coverage, score):
    assert score_v6(Fraction(7), Fraction(coverage)) == score


def test_v6_review_caps_do_not_raise_a_low_score():
    assert score_v6(Fraction(1), Fraction(0)) == 1
    assert score_v6(Fraction(5, 2), Fraction(1, 2)) == 2


@pytest.mark.parametrize(
    ("value", "score"),
    around(85, 4, 5, 5) + around(70, 3, 4, 4) + around(60, 2, 3, 3) + around(50, 1, 2, 2),
)
def test_v8_v9_diversity_scores_at_each_threshold(value, score):
    assert score_diversity(value) == score


@pytest.mark.parametrize(
    ("value", "score"),
    around(95, 4, 5, 5) + around(85, 3, 4, 4) + around(75, 2, 3, 3) + around(64, 1, 2, 2),
)
def test_v10_competitive_jobs_scores_at_each_threshold(value, score):
    assert score_v10(value, 10) == score


@pytest.mark.parametrize(("jobs", "score"), [(9, 1), (10, 5), (11, 5), (1, 1)])
def test_v10_fewer_than_10_jobs_held_scores_1(jobs, score):
    assert score_v10(Fraction(100), jobs) == score


@pytest.mark.parametrize(
    ("value", "score"),
    around(65, 4, 5, 5) + around(50, 3, 4, 4) + around(40, 2, 3, 3) + around(30, 1, 1, 2)
    + [(Fraction(0), 1), (Fraction(100), 5)],
)  # fmt: skip
def test_v13_community_scores_at_each_threshold(value, score):
    assert score_v13(value) == score


@pytest.mark.parametrize(
    ("share", "score"),
    around(90, 4, 5, 5) + around(75, 3, 4, 4) + around(50, 2, 3, 3) + [(Fraction(0), 2)],
)
def test_o1_specialist_share_scores_at_each_threshold(share, score):
    assert score_o1_specialist(share) == score


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(Fraction(9, 2), 5), (Fraction(9, 2) - EPS, 4), (Fraction(7, 2), 4), (Fraction(3), 3)],
)
def test_round_half_up_rounds_halves_up(value, rounded):
    assert round_half_up(value) == rounded


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(1, 20), "0.1"),
        (Fraction(1, 20) - EPS, "0.0"),
        (Fraction(-1, 20), "-0.1"),
        (Fraction(-1, 100), "0.0"),
        (Fraction(200, 3), "66.7"),
        (Fraction(245, 10), "24.5"),
        (Fraction(2449, 100), "24.5"),
        (100, "100.0"),
        (None, "—"),
    ],
)
def test_display_rounds_to_one_decimal_half_away_from_zero(value, shown):
    assert display(value) == shown


@pytest.mark.parametrize(
    ("as_of", "start", "end"),
    [
        ("2026-09-27", "2026-06-29", "2026-09-27"),  # a Sunday: the window ends on A
        ("2026-09-28", "2026-06-29", "2026-09-27"),  # a Monday: the day before
        ("2026-10-03", "2026-06-29", "2026-09-27"),  # a Saturday: six days before
        ("2026-09-30", "2026-06-29", "2026-09-27"),
        ("2024-11-14", "2024-08-12", "2024-11-10"),
    ],
)
def test_activity_window_is_13_complete_iso_weeks(as_of, start, end):
    window = activity_window(date.fromisoformat(as_of))
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)
    assert window.start.weekday() == 0 and window.end.weekday() == 6
    assert (window.end - window.start).days == 90
    assert len(window.mondays()) == 13


def test_job_year_is_365_days_ending_on_a():
    year = job_year(date(2026, 3, 1))
    assert (year.start, year.end) == (date(2025, 3, 2), date(2026, 3, 1))
    assert date(2025, 3, 1) not in year and date(2025, 3, 2) in year


def _scores(total: int) -> dict[str, int]:
    scores = {f"I{i}": 1 for i in range(25)}
    for i in range(total - 25):
        scores[f"I{i % 25}"] += 1
    return scores


@pytest.mark.parametrize(
    ("total", "band"),
    [(125, "exemplary"), (115, "exemplary"), (114, "good"), (100, "good"), (99, "fair"),
     (74, "fair"), (73, "not_ips"), (25, "not_ips")],
)  # fmt: skip
def test_total_and_band_at_each_boundary(total, band):
    assert fidelity_total(_scores(total)) == total
    assert fidelity_band(total) == band


def test_total_is_shown_only_when_all_25_items_are_scored():
    scores = _scores(100)
    scores["I3"] = None
    assert fidelity_total(scores) is None
    assert fidelity_total({k: 4 for k in list(_scores(100))[:24]}) is None
    assert fidelity_band(None) is None


@pytest.mark.parametrize("path", sorted(EXPECTED.glob("fidelity_*.json")), ids=lambda p: p.name)
def test_sample_bundle_matches_the_independent_reference(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    as_of = date.fromisoformat(expected["as_of"])
    actual = compute_fidelity(sample_program_data(), as_of).as_json()
    assert compare(expected, actual) == []


def test_expected_files_exist():
    assert len(sorted(EXPECTED.glob("fidelity_*.json"))) >= 2
