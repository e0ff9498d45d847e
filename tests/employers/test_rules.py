"""The pure rules of the job development log: ISO weeks, the target, organisation numbers."""

from __future__ import annotations

from datetime import date

import pytest

from caseload.employers.rules import WEEKLY_TARGET, normalise_org_number, valid_org_number
from caseload.metrics.periods import counts_by_week, monday_of, recent_mondays, week_end


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2024, 3, 11), date(2024, 3, 11)),  # a Monday is its own week's start
        (date(2024, 3, 17), date(2024, 3, 11)),  # Sunday closes the ISO week
        (date(2024, 3, 18), date(2024, 3, 18)),
        (date(2021, 1, 3), date(2020, 12, 28)),  # ISO week 53 of 2020 spans the new year
    ],
)
def test_monday_of_gives_the_iso_week_start(day, monday):
    assert monday_of(day) == monday
    assert week_end(monday).weekday() == 6


def test_counts_by_week_puts_sunday_and_next_monday_in_different_weeks():
    mondays = recent_mondays(date(2024, 3, 18), 2)
    days = [date(2024, 3, 17), date(2024, 3, 17), date(2024, 3, 18), date(2024, 3, 10)]
    assert counts_by_week(days, mondays) == {date(2024, 3, 18): 1, date(2024, 3, 11): 2}


def test_recent_mondays_are_newest_first():
    assert recent_mondays(date(2024, 3, 18), 3) == [date(2024, 3, 18), date(2024, 3, 11), date(2024, 3, 4)]


def test_target_is_six_face_to_face_contacts():
    assert WEEKLY_TARGET == 6


@pytest.mark.parametrize(
    ("raw", "clean", "valid"),
    [
        ("923609016", "923609016", True),
        (" 923 609 016 ", "923609016", True),
        ("92360901", "92360901", False),
        ("9236090161", "9236090161", False),
        ("92360901a", "92360901a", False),
        ("٩٢٣٦٠٩٠١٦", "٩٢٣٦٠٩٠١٦", False),  # Arabic-Indic digits are digits to Python, not to Brreg
        ("", None, None),
        (None, None, None),
    ],
)
def test_organisation_numbers_have_nine_ascii_digits(raw, clean, valid):
    assert normalise_org_number(raw) == clean
    if clean is not None:
        assert valid_org_number(clean) is valid
