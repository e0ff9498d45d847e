"""The history's differences, pure: each saved change as the fields it changed, in words."""

from __future__ import annotations

from datetime import datetime

from caseload.corrections.history import Change, Version, differences, history

LABELS = {"contact_date": "Date", "mode": "How", "minutes": "Minutes", "notes": "Notes"}
LONG = frozenset({"notes"})
MODES = {"face_to_face": "Face to face", "phone": "Phone"}


def _show(name: str, value: object) -> str:
    return MODES.get(str(value), str(value)) if name == "mode" else str(value)


def test_only_changed_fields_are_listed_in_label_order_with_codes_as_words():
    before = {"id": 1, "version": 1, "mode": "face_to_face", "minutes": 30, "notes": "a", "updated_at": "x"}
    after = {"id": 1, "version": 2, "mode": "phone", "minutes": 45, "notes": "b", "updated_at": "y"}
    assert differences(before, after, labels=LABELS, long_text=LONG, show=_show) == (
        Change("How", "Face to face", "Phone"),
        Change("Minutes", "30", "45"),
        Change("Notes", None, None),
    )


def test_an_emptied_or_filled_field_shows_a_dash():
    changes = differences({"minutes": None}, {"minutes": 5}, labels=LABELS, long_text=LONG, show=_show)
    assert changes == (Change("Minutes", "—", "5"),)


def test_steps_run_newest_first_between_consecutive_versions():
    at1, at2 = datetime(2026, 1, 1, 9), datetime(2026, 2, 1, 9)
    versions = [
        Version(1, {"minutes": 30}, at1, "Siri"),
        Version(2, {"minutes": 45}, at2, "Sunniva"),
        Version(3, {"minutes": 45}),
    ]
    steps = history(versions, labels=LABELS, long_text=LONG, show=_show)
    assert [(s.before, s.after, s.by, s.changes) for s in steps] == [
        (2, 3, "Sunniva", ()),
        (1, 2, "Siri", (Change("Minutes", "30", "45"),)),
    ]
    assert history(versions[-1:], labels=LABELS, long_text=LONG, show=_show) == []
