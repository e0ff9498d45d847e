"""The exact numbers of the metrics core: rounding for display is half away from zero and exact."""

from __future__ import annotations

from fractions import Fraction

from caseload.metrics.numbers import display, mean, median, percent, round_half_up, to_json


def test_display_rounds_half_away_from_zero():
    assert display(Fraction(1, 8) * 100) == "12.5"
    assert display(Fraction(125, 1000), 2) == "0.13"
    assert display(Fraction(-125, 1000), 2) == "-0.13"
    assert display(percent(4, 7)) == "57.1"
    assert display(Fraction(2, 3) * 100) == "66.7"
    assert display(Fraction(1005, 100)) == "10.1"  # 10.05: a float would give 10.0
    assert display(None) == "—"  # the one dash for "nothing to measure", everywhere
    assert display(7, 0) == "7"


def test_json_numbers_keep_integers_and_medians_are_exact():
    assert to_json(Fraction(6, 2)) == 3 and isinstance(to_json(Fraction(6, 2)), int)
    assert to_json(Fraction(1, 3)) == 1 / 3
    assert median([1, 2, 3, 4]) == Fraction(5, 2)
    assert median([Fraction(1, 3), 2, Fraction(1, 7)]) == Fraction(1, 3)
    assert median([Fraction(1, 3), Fraction(-1, 7), Fraction(2, 3), 0]) == Fraction(1, 6)
    assert median([]) is None


def test_a_float_read_back_from_json_is_shown_as_the_decimal_it_prints_as():
    assert display(0.15) == "0.2" and display(2.675, 2) == "2.68"


def test_means_and_halves():
    assert mean([1, 2]) == Fraction(3, 2) and mean([]) is None
    assert percent(1, 0) is None
    assert (round_half_up(Fraction(9, 2)), round_half_up(Fraction(7, 2))) == (5, 4)
