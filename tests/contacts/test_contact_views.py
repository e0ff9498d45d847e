"""Client contacts through the phone-quick form; outreach attempts never close a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from tests import factories
from tests.principles.support import count, days_ago, field_error, world


def test_the_form_opens_with_today_and_me_and_nothing_that_changes_numbers_chosen(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}/contacts/new").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in page
    assert f'<option selected value="{w.spec.id}">' in page
    assert 'name="mode" required type="radio" value="face_to_face">' in page
    assert "checked" not in page  # no how, where or purpose chosen in advance
    assert 'min="1" name="minutes" required type="number" value="">' in page


def test_a_contact_needs_how_where_what_and_its_minutes_chosen(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/contacts/new"
    given = {"contact_date": date.today().isoformat(), "staff_id": str(w.spec.id), "purpose": "follow_along"}
    resp = client.post(url, data=given)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert all(field_error(page, name) for name in ("mode", "location", "minutes"))
    assert (
        client.post(
            url, data=given | {"mode": "face_to_face", "location": "community", "minutes": "0"}
        ).status_code
        == 422
    )
    assert count(db, ClientContact) == 0
    resp = client.post(url, data=given | {"mode": "face_to_face", "location": "community", "minutes": "25"})
    assert resp.status_code == 302
    contact = db.session.scalar(select(ClientContact))
    assert (contact.contact_date, contact.mode, contact.location, contact.staff_id, contact.purpose) == (
        date.today(),
        "face_to_face",
        "community",
        w.spec.id,
        "follow_along",
    )
    assert contact.minutes == 25
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == contact.ref)) == "create"


def test_the_client_page_suggests_the_purpose_of_the_phase(client, db, login_as):
    w = world(db)
    factories.job(db.session, w.client, start=date.today() - timedelta(days=40))
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert f"/clients/{w.client.ref}/contacts/new?purpose=follow_along" in page
    form = client.get(f"/clients/{w.client.ref}/contacts/new?purpose=follow_along").get_data(as_text=True)
    assert '<input checked id="purpose-3" name="purpose" required type="radio" value="follow_along">' in form


def test_outreach_attempts_are_logged_and_never_close_the_case(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    for n in range(5):
        data = {
            "contact_date": days_ago(n),
            "staff_id": str(w.spec.id),
            "purpose": "outreach",
            "mode": "phone",
            "minutes": "5",
        }
        assert (
            client.post(
                f"/clients/{w.client.ref}/contacts/new", data=data | {"location": "remote"}
            ).status_code
            == 302
        )
    assert count(db, ClientContact) == 5
    assert db.session.get(Client, w.client.id).closed_on is None
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "5 outreach attempts since the last contact." in page


def test_a_clinician_of_the_team_logs_their_own_contact_only(client, db, login_as):
    w = world(db)
    theirs = factories.contact(db.session, w.client, w.spec, on=date.today() - timedelta(days=1))
    db.session.commit()
    login_as(user=w.clinician_in)
    data = {"contact_date": days_ago(0), "staff_id": str(w.clinician_in.id), "purpose": "engagement"}
    data |= {"mode": "phone", "location": "remote", "minutes": "10"}
    assert client.post(f"/clients/{w.client.ref}/contacts/new", data=data).status_code == 302
    as_other = data | {"staff_id": str(w.spec.id)}
    assert client.post(f"/clients/{w.client.ref}/contacts/new", data=as_other).status_code == 422
    assert client.get(f"/clients/{w.client.ref}/contacts/{theirs.ref}").status_code == 404
    assert count(db, ClientContact) == 2


def test_a_stale_correction_conflicts_and_keeps_both(client, db, login_as):
    w = world(db)
    contact = factories.contact(
        db.session, w.client, w.spec, on=date.today() - timedelta(days=1), notes="first"
    )
    db.session.commit()
    login_as(user=w.spec)
    url = f"/clients/{w.client.ref}/contacts/{contact.ref}"
    base = {
        "contact_date": days_ago(1),
        "staff_id": str(w.spec.id),
        "purpose": "follow_along",
        "mode": "phone",
        "location": "remote",
        "minutes": "15",
        "version": "1",
    }
    assert client.post(url, data=base | {"notes": "second"}).status_code == 302
    resp = client.post(url, data=base | {"notes": "mine"})
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "mine</textarea>" in page and "<dd>second</dd>" in page


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"contact_date": ""}, "contact_date"),
        ({"contact_date": days_ago(-1)}, "contact_date"),
        ({"contact_date": "0001-01-01"}, "contact_date"),
        ({"contact_date": "9999-12-31"}, "contact_date"),
        ({"contact_date": days_ago(300)}, "contact_date"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "coffee"}, "purpose"),
        ({"mode": "telepathy"}, "mode"),
        ({"location": "remote"}, "location"),
        ({"mode": ""}, "mode"),
        ({"location": ""}, "location"),
        ({"minutes": ""}, "minutes"),
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "-1"}, "minutes"),
        ({"minutes": "1441"}, "minutes"),
        ({"minutes": "nan"}, "minutes"),
        ({"staff_id": "999999"}, "staff_id"),
        ({"notes": "n" * 5001}, "notes"),
        ({"notes": "\x00"}, "notes"),
    ],
)
def test_bad_contact_gets_the_form_back_and_writes_nothing(client, db, login_as, over, field):
    w = world(db)
    login_as(user=w.spec)
    data = {"contact_date": days_ago(0), "staff_id": str(w.spec.id), "purpose": "engagement"}
    data = data | {"mode": "face_to_face", "location": "community", "minutes": "30"} | over
    resp = client.post(f"/clients/{w.client.ref}/contacts/new", data=data)
    assert resp.status_code == 422
    assert field_error(resp.get_data(as_text=True), field)
    assert count(db, ClientContact) == 0


@pytest.mark.parametrize("who", ["other_spec", "clinician_out", "admin"])
def test_people_without_the_client_get_404(client, db, login_as, who):
    w = world(db)
    contact = factories.contact(db.session, w.client, w.spec, on=date.today() - timedelta(days=1))
    db.session.commit()
    login_as(user=getattr(w, who))
    data = {"contact_date": days_ago(0), "staff_id": str(w.spec.id), "purpose": "engagement", "version": "1"}
    for url in (f"/clients/{w.client.ref}/contacts/new", f"/clients/{w.client.ref}/contacts/{contact.ref}"):
        assert client.get(url).status_code == 404
        assert client.post(url, data=data).status_code == 404
    assert count(db, ClientContact) == 1
