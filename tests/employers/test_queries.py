"""The week counts others show on the specialist's home and the programme page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from caseload.employers.queries import (
    employers_search,
    recent_weeks,
    week_counts_for,
    week_face_to_face_count,
)
from tests import factories

MONDAY = date(2024, 3, 11)


def test_a_sunday_contact_counts_in_its_week_and_a_monday_one_in_the_next(db, world):
    s = db.session
    factories.employer_contact(s, world.spec, on=MONDAY + timedelta(days=6))
    factories.employer_contact(s, world.spec, on=MONDAY + timedelta(days=7))
    factories.employer_contact(s, world.spec, on=MONDAY - timedelta(days=1))
    assert week_face_to_face_count(s, world.spec.id, MONDAY) == 1
    assert week_face_to_face_count(s, world.spec.id, MONDAY + timedelta(weeks=1)) == 1


def test_phone_email_and_video_contacts_are_not_counted(db, world):
    s = db.session
    for mode in ("phone", "email", "video", "face_to_face"):
        factories.employer_contact(s, world.spec, on=MONDAY, mode=mode)
    assert week_face_to_face_count(s, world.spec.id, MONDAY) == 1


def test_repeated_contacts_with_one_employer_each_count(db, world):
    for _ in range(3):
        factories.employer_contact(db.session, world.spec, on=MONDAY, employer_obj=world.employer)
    assert week_face_to_face_count(db.session, world.spec.id, MONDAY) == 3


def test_week_counts_for_gives_every_specialist_a_count_in_one_query(db, world):
    s = db.session
    factories.employer_contact(s, world.spec, on=MONDAY)
    factories.employer_contact(s, world.spec, on=MONDAY + timedelta(days=2), clients=[world.hege])
    factories.employer_contact(s, world.colleague, on=MONDAY + timedelta(days=4))
    s.flush()
    ids = [world.spec.id, world.colleague.id, world.far_spec.id]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        counts = week_counts_for(s, ids, MONDAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert counts == dict(zip(ids, [2, 1, 0]))
    assert len(statements) == 1


def test_week_counts_for_no_one_asks_nothing(db):
    assert week_counts_for(db.session, [], MONDAY) == {}


def test_recent_weeks_pair_counts_with_reviews(db, world):
    from caseload.employers.models import WeeklyReview

    s = db.session
    factories.employer_contact(s, world.spec, on=MONDAY - timedelta(days=3))
    s.add(
        WeeklyReview(
            specialist_id=world.spec.id,
            week_start=MONDAY - timedelta(weeks=1),
            reviewer_id=world.sup.id,
            reviewed_on=MONDAY,
        )
    )
    s.flush()
    weeks = recent_weeks(s, world.spec.id, MONDAY, weeks=3)
    assert [(w.monday, w.count, w.review is not None) for w in weeks] == [
        (MONDAY, 0, False),
        (MONDAY - timedelta(weeks=1), 1, True),
        (MONDAY - timedelta(weeks=2), 0, False),
    ]


def test_search_finds_by_part_of_the_name_in_any_case_or_by_org_number(db, world):
    s = db.session
    rema = factories.employer(s, "REMA 1000 Grünerløkka")
    rema.org_number = "923609016"
    factories.employer(s, "100% Data_AS")
    s.flush()
    assert [e.name for e in employers_search(s, "rema")] == ["REMA 1000 Grünerløkka"]
    assert [e.name for e in employers_search(s, "923 609")] == ["REMA 1000 Grünerløkka"]
    assert [e.name for e in employers_search(s, "100%")] == ["100% Data_AS"]
    assert [e.name for e in employers_search(s, "_")] == ["100% Data_AS"]
    assert len(employers_search(s, None)) == 3
