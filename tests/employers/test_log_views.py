"""The log page: a specialist's ISO week, the count against 6, week navigation, the weekly review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.employers.models import EmployerContact, WeeklyReview
from caseload.forms import today
from tests import factories
from tests.employers.helpers import QueryCounter, count_rows, week_path


def test_the_log_link_takes_a_specialist_to_this_week(client, login_as, world, this_monday):
    login_as(user=world.spec)
    response = client.get("/employers/log")
    assert response.headers["Location"].endswith(week_path(world.spec, this_monday))


def test_the_log_link_takes_a_supervisor_to_the_programmes_week(client, login_as, world, this_monday):
    login_as(user=world.sup)
    response = client.get("/employers/log")
    assert response.headers["Location"].endswith(f"/employers/team/{this_monday.isoformat()}")


def test_the_nav_shows_employers_and_the_log_to_staff_only(client, login_as, world):
    login_as(user=world.spec)
    page = client.get("/employers/").get_data(as_text=True)
    assert (
        'href="/employers/">Employers</a>' in page and 'href="/employers/log">Job development log</a>' in page
    )


def test_the_week_lists_contacts_and_counts_face_to_face_ones_against_six(
    client, db, login_as, world, this_monday
):
    s = db.session
    factories.employer_contact(
        s, world.spec, on=this_monday, clients=[world.hege], purpose="Meet the manager"
    )
    factories.employer_contact(s, world.spec, on=this_monday, mode="phone", purpose="Call back")
    factories.employer_contact(s, world.spec, on=this_monday - timedelta(days=1), purpose="Last Sunday")
    factories.employer_contact(s, world.colleague, on=this_monday, purpose="Not mine")
    s.commit()
    login_as(user=world.spec)
    page = client.get(week_path(world.spec, this_monday)).get_data(as_text=True)
    assert "Meet the manager" in page and "Call back" in page and "Hege Berge" in page
    assert "Last Sunday" not in page and "Not mine" not in page
    assert "<strong>1</strong>" in page and "of 6 face-to-face employer contacts this week" in page
    assert "5 more to go" in page and "Not reviewed yet" in page
    assert "Mark this week as reviewed" not in page


def test_reading_a_week_that_shows_clients_is_audited_once(client, db, login_as, world, this_monday):
    from caseload.auth.models import AuditEvent

    factories.employer_contact(db.session, world.spec, on=this_monday, clients=[world.hege, world.nils])
    db.session.commit()
    login_as(user=world.sup)
    assert client.get(week_path(world.spec, this_monday)).status_code == 200
    [event] = db.session.scalars(select(AuditEvent)).all()
    assert (event.action, event.user_id, event.client_id) == ("view_employer_log", world.sup.id, None)
    assert event.target == f"log {world.spec.id} {this_monday.isoformat()}"
    assert event.shown == " ".join(["", *sorted([world.hege.ref, world.nils.ref]), ""])  # access reports


def test_a_non_monday_date_redirects_to_its_monday(client, login_as, world, this_monday):
    login_as(user=world.spec)
    wednesday = this_monday - timedelta(days=5)
    response = client.get(f"/employers/log/{world.spec.id}/{wednesday.isoformat()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(week_path(world.spec, wednesday - timedelta(days=2)))


@pytest.mark.parametrize(
    "monday", ["2024-13-01", "yesterday", "0001-01-01", "1899-12-25", "9999-12-27", "2024-1-1", "%00"]
)
def test_impossible_weeks_are_404(client, login_as, world, monday):
    login_as(user=world.spec)
    assert client.get(f"/employers/log/{world.spec.id}/{monday}").status_code == 404


def test_the_next_week_is_not_offered_beyond_this_week(client, login_as, world, this_monday):
    login_as(user=world.spec)
    page = client.get(week_path(world.spec, this_monday)).get_data(as_text=True)
    assert "Previous week" in page and "Next week" not in page
    assert client.get(week_path(world.spec, this_monday + timedelta(weeks=1))).status_code == 404
    page = client.get(week_path(world.spec, this_monday - timedelta(weeks=2))).get_data(as_text=True)
    assert "Next week" in page and "This week" in page and "in the week" in page


@pytest.mark.parametrize(
    ("who", "target", "code"),
    [
        ("spec", "spec", 200),
        ("spec", "colleague", 404),
        ("sup", "spec", 200),
        ("far_sup", "spec", 404),
        ("sup", "sup", 404),
        ("clin", "spec", 404),
        ("admin", "spec", 404),
    ],
)
def test_who_sees_which_week(client, login_as, world, this_monday, who, target, code):
    login_as(user=getattr(world, who))
    assert client.get(week_path(getattr(world, target), this_monday)).status_code == code


@pytest.mark.parametrize("who", ["clin", "admin", "spec"])
def test_only_supervisors_open_the_programmes_week(client, login_as, world, this_monday, who):
    login_as(user=getattr(world, who))
    assert client.get(f"/employers/team/{this_monday.isoformat()}").status_code == 404


def test_huge_ids_are_404_not_errors(client, login_as, world, this_monday):
    login_as(user=world.sup)
    assert client.get(f"/employers/log/99999999999999999999/{this_monday.isoformat()}").status_code == 404


def test_the_supervisor_sees_each_specialist_and_marks_a_week_reviewed(
    client, db, login_as, world, this_monday
):
    for day in range(6):
        factories.employer_contact(db.session, world.spec, on=this_monday - timedelta(weeks=1, days=-day))
    db.session.commit()
    login_as(user=world.sup)
    last = this_monday - timedelta(weeks=1)
    page = client.get(f"/employers/team/{last.isoformat()}").get_data(as_text=True)
    assert "Siri Spec" in page and "6 / 6" in page and "Carl Colleague" in page and "0 / 6" in page
    assert "Frida Far" not in page
    response = client.post(week_path(world.spec, last) + "/review", data={"notes": "Good variety"})
    assert response.status_code == 302
    review = db.session.scalar(select(WeeklyReview))
    assert (review.specialist_id, review.week_start, review.reviewer_id, review.reviewed_on) == (
        world.spec.id,
        last,
        world.sup.id,
        today(),
    )
    page = client.get(f"/employers/team/{last.isoformat()}").get_data(as_text=True)
    assert "Yes, by Sunniva Sup" in page


def test_a_week_is_reviewed_once(client, db, login_as, world, this_monday):
    login_as(user=world.sup)
    path = week_path(world.spec, this_monday) + "/review"
    assert client.post(path, data={}).status_code == 302
    response = client.post(path, data={"notes": "again"})
    assert response.status_code == 422
    assert "This week has been reviewed already." in response.get_data(as_text=True)
    assert count_rows(db, WeeklyReview) == 1


def test_the_specialist_sees_that_the_week_was_reviewed(client, db, login_as, world, this_monday):
    last = this_monday - timedelta(weeks=1)
    db.session.add(
        WeeklyReview(
            specialist_id=world.spec.id,
            week_start=last,
            reviewer_id=world.sup.id,
            reviewed_on=this_monday,
            notes="Try the hospital kitchen",
        )
    )
    db.session.commit()
    login_as(user=world.spec)
    page = client.get(week_path(world.spec, last)).get_data(as_text=True)
    assert "Reviewed" in page and "by Sunniva Sup" in page and "Try the hospital kitchen" in page
    page = client.get(week_path(world.spec, this_monday)).get_data(as_text=True)
    assert f"Yes, {this_monday.isoformat()}" in page  # the recent-weeks table


@pytest.mark.parametrize(
    ("who", "target"),
    [("far_sup", "spec"), ("spec", "spec"), ("clin", "spec"), ("admin", "spec"), ("sup", "sup")],
)
def test_others_cannot_mark_a_week_reviewed(client, db, login_as, world, this_monday, who, target):
    login_as(user=getattr(world, who))
    response = client.post(week_path(getattr(world, target), this_monday) + "/review", data={})
    assert response.status_code == 404
    assert count_rows(db, WeeklyReview) == 0


def test_a_review_note_too_long_is_refused(client, db, login_as, world, this_monday):
    login_as(user=world.sup)
    response = client.post(week_path(world.spec, this_monday) + "/review", data={"notes": "n" * 4001})
    assert response.status_code == 422
    assert "Field cannot be longer than 4000 characters." in response.get_data(as_text=True)
    assert count_rows(db, WeeklyReview) == 0


def test_a_future_or_non_monday_week_cannot_be_reviewed(client, db, login_as, world, this_monday):
    login_as(user=world.sup)
    future = week_path(world.spec, this_monday + timedelta(weeks=1)) + "/review"
    tuesday = f"/employers/log/{world.spec.id}/{(this_monday - timedelta(days=6)).isoformat()}/review"
    assert client.post(future, data={}).status_code == 404
    assert client.post(tuesday, data={}).status_code == 404
    assert count_rows(db, WeeklyReview) == 0


def test_stored_text_is_shown_escaped(client, db, login_as, world, this_monday):
    factories.employer_contact(
        db.session, world.spec, on=this_monday, purpose="<script>alert(1)</script>", outcome="a & b"
    )
    db.session.commit()
    login_as(user=world.spec)
    page = client.get(week_path(world.spec, this_monday)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a &amp; b" in page


def _log_page_queries(app, db, world, monday, n: int) -> int:
    s = db.session
    s.execute(EmployerContact.__table__.delete().where(EmployerContact.id < 0))
    employers = [factories.employer(s, f"Employer {k}") for k in range(3)]
    for k in range(n):
        factories.employer_contact(
            s,
            world.spec,
            on=monday + timedelta(days=k % 7),
            employer_obj=employers[k % 3],
            clients=[world.hege, world.nils][: k % 3],
            mode="face_to_face" if k % 2 else "phone",
            job_type="5223" if k % 2 else None,
        )
    s.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        from caseload.db import utcnow

        sess["_user_id"], sess["_fresh"] = world.spec.get_id(), True
        sess["login_at"] = sess["seen_at"] = utcnow().timestamp()
    path = week_path(world.spec, monday)
    client.get(path)  # warm caches (babel, templates)
    with QueryCounter(db.engine) as counter:
        assert client.get(path).status_code == 200
    return len(counter)


def test_the_log_page_needs_as_many_queries_for_50_contacts_as_for_5(app, db, world, this_monday):
    earlier = this_monday - timedelta(weeks=3)
    five = _log_page_queries(app, db, world, earlier, 5)
    fifty = _log_page_queries(app, db, world, this_monday, 50)
    assert five == fifty
