"""ODI scoring with the missing-section rule, bands, and the questionnaire schedule."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from caseload.outcomes.proms import measure_schedule, measures_json, odi_band, odi_percent
from caseload.rows import MeasureFact, MeasureRow, ProgramData


def test_odi_with_all_ten_sections():
    assert odi_percent((1,) * 10) == 20
    assert odi_percent((5,) * 10) == 100
    assert odi_percent((0,) * 10) == 0


def test_odi_with_eight_sections_divides_by_the_answered_ones():
    sections = (2, 3, None, 4, 2, 3, 1, None, 3, 2)
    assert odi_percent(sections) == Fraction(100 * 20, 40)


def test_odi_with_seven_sections_is_not_scored():
    sections = (2, 3, None, 4, None, 3, 1, None, 3, 2)
    assert odi_percent(sections) is None
    assert odi_band(None) is None


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        (Fraction(2001, 100), "moderate"),
        (40, "moderate"),
        (60, "severe"),
        (80, "very_severe"),
        (Fraction(801, 10), "extreme"),
        (100, "extreme"),
    ],
)
def test_odi_bands_include_their_upper_bound(percent, band):
    assert odi_band(Fraction(percent)) == band


def test_a_value_exactly_on_a_band_bound_is_decided_exactly():
    # 9 answered sections summing to 18: 100 × 18 ÷ 45 = 40 exactly, a float might say 40.000001.
    sections = (2, 2, 2, 2, 2, 2, 2, 2, 2, None)
    assert odi_percent(sections) == 40
    assert odi_band(odi_percent(sections)) == "moderate"


def test_measures_json_scores_and_orders_rows():
    data = ProgramData(
        "P",
        measures=[
            MeasureRow("M-2", "C-1", date(2025, 7, 1), "6m", odi=(3,) * 10, eq_vas=50, pain_nrs=4),
            MeasureRow("M-1", "C-1", date(2025, 1, 1), "baseline", odi=(None,) * 10, eq_vas=None, pain_nrs=7),
        ],
    )
    rows = measures_json(data)["measures"]
    assert [r["timepoint"] for r in rows] == ["baseline", "6m"]
    assert rows[0]["odi_percent"] is None and rows[0]["pain_nrs"] == 7
    assert rows[1]["odi_percent"] == 60.0 and rows[1]["odi_band"] == "severe"


def test_schedule_due_dates_and_what_satisfies_them():
    measures = [
        MeasureFact("M-1", "C-1", date(2025, 1, 8), "baseline"),
        MeasureFact("M-2", "C-1", date(2025, 3, 1), "other"),
        MeasureFact("M-3", "C-2", date(2025, 7, 7), "6m"),
    ]
    schedule = measure_schedule("C-1", date(2025, 1, 6), measures)
    assert [(d.timepoint, d.due_on, d.done_on) for d in schedule] == [
        ("baseline", date(2025, 1, 6), date(2025, 1, 8)),
        ("6m", date(2025, 7, 7), None),
        ("12m", date(2026, 1, 6), None),
    ]
