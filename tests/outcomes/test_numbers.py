"""Rounding for display is half away from zero and exact."""

from __future__ import annotations

from fractions import Fraction

from caseload.outcomes.numbers import fmt, json_number, median, pct


def test_display_rounds_half_away_from_zero():
    assert fmt(Fraction(1, 8) * 100) == "12.5"
    assert fmt(Fraction(125, 1000), 2) == "0.13"
    assert fmt(Fraction(-125, 1000), 2) == "-0.13"
    assert fmt(pct(4, 7)) == "57.1"
    assert fmt(Fraction(2, 3) * 100) == "66.7"
    assert fmt(Fraction(1005, 100)) == "10.1"  # 10.05: a float would give 10.0
    assert fmt(None) == "–"
    assert fmt(7, 0) == "7"


def test_json_numbers_keep_integers_and_medians_are_exact():
    assert json_number(Fraction(6, 2)) == 3 and isinstance(json_number(Fraction(6, 2)), int)
    assert json_number(Fraction(1, 3)) == 0.333333
    assert median([1, 2, 3, 4]) == Fraction(5, 2)
    assert median([Fraction(1, 3), 2, Fraction(1, 7)]) == Fraction(1, 3)
    assert median([Fraction(1, 3), Fraction(-1, 7), Fraction(2, 3), 0]) == Fraction(1, 6)
    assert median([]) is None
