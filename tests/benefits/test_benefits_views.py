"""Benefits counselling sessions through the web form; the client page shows counselling before each job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent, RecordRevision
from caseload.benefits.models import BenefitsSession
from tests import factories
from tests.principles.support import count, days_ago, field_error, world


def session_data(**over) -> dict:
    data = {
        "session_date": days_ago(5),
        "kind": "before_job_start",
        "planner_name": "NAV adviser Ola",
        "trained_planner": "y",
        "notes": "Work assessment allowance: hours scenarios.",
    }
    return {k: v for k, v in (data | over).items() if v is not None}


def test_specialist_records_a_session_and_the_job_shows_counselling_came_first(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/benefits/new", data=session_data())
    assert resp.status_code == 302
    record = db.session.scalar(select(BenefitsSession))
    assert (record.kind, record.trained_planner) == ("before_job_start", True)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == record.ref)) == "create"
    factories.job(db.session, w.client, start=date.today() - timedelta(days=2), title="Cook")
    db.session.commit()
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "Before Cook started on" in page and ": yes." in page


def test_without_counselling_the_panel_says_no(client, db, login_as):
    w = world(db)
    factories.job(db.session, w.client, start=date.today() - timedelta(days=2), title="Cook")
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert ": no." in page


def test_correcting_a_session_keeps_the_earlier_version_and_a_stale_form_conflicts(client, db, login_as):
    w = world(db)
    record = factories.benefits_session(db.session, w.client, on=date.today() - timedelta(days=3))
    db.session.commit()
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/benefits/{record.ref}"
    assert client.post(url, data=session_data(kind="annual", version="1")).status_code == 302
    resp = client.post(url, data=session_data(kind="other", notes="Mine", version="1"))
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "Mine" in page and "<dd>Annual review</dd>" in page
    db.session.refresh(record)
    assert (record.kind, record.version) == ("annual", 2)
    assert count(db, RecordRevision) == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"session_date": ""}, "session_date"),
        ({"session_date": days_ago(-1)}, "session_date"),
        ({"session_date": "0001-01-01"}, "session_date"),
        ({"session_date": "9999-12-31"}, "session_date"),
        ({"session_date": days_ago(400)}, "session_date"),
        ({"kind": ""}, "kind"),
        ({"kind": "weekly"}, "kind"),
        ({"planner_name": "p" * 201}, "planner_name"),
        ({"notes": "n" * 5001}, "notes"),
        ({"notes": "a\x00b"}, "notes"),
    ],
)
def test_bad_session_gets_the_form_back_and_writes_nothing(client, db, login_as, over, field):
    w = world(db)
    login_as(user=w.spec)
    resp = client.post(f"/clients/{w.client.ref}/benefits/new", data=session_data(**over))
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    assert count(db, BenefitsSession) == 0


@pytest.mark.parametrize("who", ["other_spec", "clinician_in", "clinician_out", "admin"])
def test_people_without_the_client_get_404(client, db, login_as, who):
    w = world(db)
    record = factories.benefits_session(db.session, w.client, on=date.today() - timedelta(days=3))
    db.session.commit()
    login_as(user=getattr(w, who))
    for url in (f"/clients/{w.client.ref}/benefits/new", f"/clients/{w.client.ref}/benefits/{record.ref}"):
        assert client.get(url).status_code == 404
        assert client.post(url, data=session_data(version="1")).status_code == 404
    assert count(db, BenefitsSession) == 1
