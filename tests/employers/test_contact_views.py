"""Logging and correcting employer contacts: defaults, scoping of clients, audit, history, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent, RecordRevision
from caseload.employers.models import Employer, EmployerContact
from caseload.forms import today
from tests import factories
from tests.employers.helpers import audited_writes, contact_form, count_rows


def _contacts(db) -> list[EmployerContact]:
    db.session.expire_all()
    return list(db.session.scalars(select(EmployerContact).order_by(EmployerContact.id)))


def test_the_form_opens_with_today_and_me_and_no_mode_or_minutes_chosen(client, login_as, world):
    login_as(user=world.spec)
    page = client.get("/employers/contacts/new").get_data(as_text=True)
    assert f'value="{today().isoformat()}"' in page
    assert 'id="mode-0" name="mode" required type="radio" value="face_to_face"' in page
    assert 'checked id="mode-' not in page
    assert 'min="1" name="minutes" required type="number" value="">' in page
    assert f'name="specialist_id" value="{world.spec.id}"' in page
    assert "Hege Berge" in page and "Nils Lie" in page
    assert "Kjell Kollega" not in page and "Fjern Klient" not in page
    assert "Shop sales assistant" in page


def test_the_employer_page_link_preselects_the_employer(client, login_as, world):
    login_as(user=world.spec)
    page = client.get(f"/employers/contacts/new?employer={world.employer.ref}").get_data(as_text=True)
    assert f'selected value="{world.employer.ref}"' in page


def test_specialist_logs_a_contact_for_two_clients_audited_per_client(client, db, login_as, world):
    login_as(user=world.spec)
    response = client.post("/employers/contacts/new", data=contact_form(world))
    assert response.status_code == 302
    [contact] = _contacts(db)
    assert [c.ref for c in contact.clients] == sorted([world.hege.ref, world.nils.ref])
    assert (contact.specialist_id, contact.mode, contact.minutes, contact.job_type) == (
        world.spec.id,
        "face_to_face",
        45,
        "5223",
    )
    assert contact.next_step == "Visit with Hege on Friday"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.target == contact.ref)).all()
    assert sorted(e.client_id for e in events) == sorted([world.hege.id, world.nils.id])
    assert {e.action for e in events} == {"create"} and {e.user_id for e in events} == {world.spec.id}
    monday = today() - timedelta(days=today().weekday())
    assert response.headers["Location"].endswith(f"/employers/log/{world.spec.id}/{monday.isoformat()}")


def test_a_generic_contact_needs_no_client_and_writes_no_client_audit(client, db, login_as, world):
    login_as(user=world.spec)
    data = contact_form(world, client_refs=None, job_type="", minutes="20", purpose="")
    assert client.post("/employers/contacts/new", data=data).status_code == 302
    [contact] = _contacts(db)
    assert contact.clients == [] and contact.minutes == 20 and contact.purpose is None
    assert audited_writes(db) == 0


def test_a_new_employer_can_be_typed_in_and_an_existing_name_is_reused(client, db, login_as, world):
    login_as(user=world.spec)
    data = contact_form(world, employer="", new_employer="Rema 1000 Storo")
    assert client.post("/employers/contacts/new", data=data).status_code == 302
    data = contact_form(world, employer="", new_employer="rema 1000 storo")
    assert client.post("/employers/contacts/new", data=data).status_code == 302
    first, second = _contacts(db)
    assert first.employer_id == second.employer_id
    assert count_rows(db, Employer) == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"employer": ""}, "employer", "Choose an employer or type the name of a new one."),
        ({"new_employer": "Rema"}, "new_employer", "Choose an employer or type a new one, not both."),
        ({"employer": "E-9999"}, "employer", "Not a valid choice."),
        ({"contact_date": ""}, "contact_date", "This field is required."),
        ({"contact_date": "yesterday"}, "contact_date", "Not a valid date value."),
        ({"contact_date": "tomorrow"}, "contact_date", "cannot be in the future"),
        ({"contact_date": "0001-01-01"}, "contact_date", "too far in the past"),
        ({"contact_date": "9999-12-31"}, "contact_date", "cannot be in the future"),
        ({"minutes": "-5"}, "minutes", "Between 1 and 1440 minutes."),
        ({"minutes": "0"}, "minutes", "Between 1 and 1440 minutes."),
        ({"minutes": ""}, "minutes", "How many minutes did the contact take?"),
        ({"mode": ""}, "mode", "Choose how."),
        ({"minutes": "nan"}, "minutes", "Not a valid integer value."),
        ({"minutes": "100000"}, "minutes", "Between 1 and 1440 minutes."),
        ({"mode": "telepathy"}, "mode", "Not a valid choice."),
        ({"job_type": "0000"}, "job_type", "Not a valid choice."),
        ({"purpose": "p" * 4001}, "purpose", "Field cannot be longer than 4000 characters."),
        ({"outcome": "\x00"}, "outcome", "not allowed"),
        ({"new_employer": "n" * 201, "employer": ""}, "new_employer", "longer than 200"),
    ],
)
def test_bad_contact_input_is_refused_by_its_field_and_nothing_is_written(
    client, db, login_as, world, changes, field, message
):
    login_as(user=world.spec)
    if changes.get("contact_date") == "tomorrow":
        changes = {"contact_date": (today() + timedelta(days=1)).isoformat()}
    response = client.post("/employers/contacts/new", data=contact_form(world, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page.split(f'id="{field}-error"')[1].split("</p>")[0]
    assert _contacts(db) == [] and audited_writes(db) == 0 and count_rows(db, Employer) == 1


@pytest.mark.parametrize("whose", ["colleagues_client", "far_client"])
def test_a_specialist_cannot_link_a_client_outside_their_caseload(client, db, login_as, world, whose):
    login_as(user=world.spec)
    data = contact_form(world, client_refs=[world.hege.ref, getattr(world, whose).ref])
    response = client.post("/employers/contacts/new", data=data)
    assert response.status_code == 422
    assert "Choose from the list." in response.get_data(as_text=True)
    assert _contacts(db) == [] and audited_writes(db) == 0


def test_the_service_refuses_an_out_of_scope_client_even_past_the_form(db, world):
    from caseload.employers.services import ContactInput, employer_contact_record
    from caseload.writes import DomainError

    data = ContactInput(
        contact_date=today(),
        specialist_id=world.spec.id,
        employer_ref=world.employer.ref,
        new_employer=None,
        mode="face_to_face",
        client_refs=(world.colleagues_client.ref,),
        job_type=None,
        minutes=0,
        purpose=None,
        outcome=None,
        next_step=None,
    )
    with pytest.raises(DomainError) as err:
        employer_contact_record(db.session, user=world.spec, data=data)
    assert err.value.field == "client_refs"


def test_a_specialist_cannot_log_for_a_colleague(client, db, login_as, world):
    login_as(user=world.spec)
    data = contact_form(world, specialist_id=str(world.colleague.id))
    assert client.post("/employers/contacts/new", data=data).status_code == 422
    assert _contacts(db) == []


def test_a_supervisor_logs_for_a_specialist_of_the_programme(client, db, login_as, world):
    login_as(user=world.sup)
    page = client.get("/employers/contacts/new").get_data(as_text=True)
    assert "Kjell Kollega" in page and "Fjern Klient" not in page and "Frida Far" not in page
    data = contact_form(
        world, specialist_id=str(world.colleague.id), client_refs=[world.colleagues_client.ref]
    )
    assert client.post("/employers/contacts/new", data=data).status_code == 302
    [contact] = _contacts(db)
    assert contact.specialist_id == world.colleague.id
    data = contact_form(world, specialist_id=str(world.far_spec.id), client_refs=None)
    assert client.post("/employers/contacts/new", data=data).status_code == 422


@pytest.mark.parametrize("who", ["clin", "admin"])
def test_clinicians_and_admins_get_404_on_the_contact_forms(client, db, login_as, world, who):
    contact = factories.employer_contact(db.session, world.spec, on=today(), clients=[world.hege])
    db.session.commit()
    login_as(user=getattr(world, who))
    for path in ("/employers/contacts/new", f"/employers/contacts/{contact.ref}"):
        assert client.get(path).status_code == 404
        assert client.post(path, data=contact_form(world)).status_code == 404
    assert len(_contacts(db)) == 1


@pytest.mark.parametrize(("who", "code"), [("spec", 200), ("sup", 200), ("colleague", 404), ("far_sup", 404)])
def test_who_may_open_a_contact_to_correct_it(client, db, login_as, world, who, code):
    contact = factories.employer_contact(db.session, world.spec, on=today())
    db.session.commit()
    login_as(user=getattr(world, who))
    assert client.get(f"/employers/contacts/{contact.ref}").status_code == code
    assert client.get("/employers/contacts/EC-999999").status_code == 404


def test_another_programmes_supervisor_cannot_change_a_contact(client, db, login_as, world):
    contact = factories.employer_contact(db.session, world.spec, on=today(), purpose="Original")
    db.session.commit()
    login_as(user=world.far_sup)
    data = contact_form(world, purpose="Changed", version="1", client_refs=None)
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 404
    assert _contacts(db)[0].purpose == "Original"


def test_correcting_a_contact_keeps_history_and_audits_old_and_new_clients(client, db, login_as, world):
    contact = factories.employer_contact(
        db.session, world.spec, on=today(), clients=[world.hege], employer_obj=world.employer, purpose="First"
    )
    db.session.commit()
    login_as(user=world.spec)
    page = client.get(f"/employers/contacts/{contact.ref}").get_data(as_text=True)
    assert "First</textarea>" in page
    data = contact_form(world, client_refs=[world.nils.ref], purpose="Second", version="1")
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 302
    [saved] = _contacts(db)
    assert [c.ref for c in saved.clients] == [world.nils.ref] and saved.purpose == "Second"
    assert saved.version == 2
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "employer_contacts"))
    assert '"purpose": "First"' in revision.data
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.target == contact.ref)).all()
    assert {(e.action, e.client_id) for e in events} == {
        ("view", world.hege.id),
        ("view_client_choices", None),
        ("update", world.hege.id),
        ("update", world.nils.id),
    }


def test_a_stale_contact_form_is_a_conflict_showing_both_versions(client, db, login_as, world):
    contact = factories.employer_contact(db.session, world.spec, on=today(), purpose="Theirs")
    contact.purpose = "Theirs, corrected"
    db.session.commit()
    login_as(user=world.spec)
    data = contact_form(world, purpose="Mine", version="1", client_refs=None)
    response = client.post(f"/employers/contacts/{contact.ref}", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Theirs, corrected" in page and "Mine</textarea>" in page, page[page.find("<main") :]
    assert _contacts(db)[0].purpose == "Theirs, corrected"
    data["version"] = "2"
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 302
    assert _contacts(db)[0].purpose == "Mine"


def test_links_to_clients_the_editor_cannot_see_are_kept(client, db, login_as, world):
    contact = factories.employer_contact(db.session, world.spec, on=today(), clients=[world.hege, world.nils])
    world.hege.specialist_id = world.colleague.id  # Hege moved to a colleague's caseload since
    db.session.commit()
    login_as(user=world.spec)
    page = client.get(f"/employers/contacts/{contact.ref}").get_data(as_text=True)
    assert "Hege Berge" not in page
    data = contact_form(world, client_refs=[world.nils.ref], version="1")
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 302
    assert sorted(c.ref for c in _contacts(db)[0].clients) == sorted([world.hege.ref, world.nils.ref])


def test_a_contact_with_a_job_type_no_longer_listed_keeps_it(client, db, login_as, world):
    contact = factories.employer_contact(db.session, world.spec, on=today(), job_type="3313")
    db.session.commit()
    login_as(user=world.spec)
    data = contact_form(world, job_type="3313", version="1", client_refs=None)
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 302
    assert _contacts(db)[0].job_type == "3313"
    data = contact_form(world, job_type="9999", version="2", client_refs=None)
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 422


def test_changing_only_the_clients_is_a_new_version(client, db, login_as, world):
    contact = factories.employer_contact(
        db.session, world.spec, on=today(), employer_obj=world.employer, clients=[world.hege], minutes=45
    )
    db.session.commit()
    login_as(user=world.spec)
    data = contact_form(world, client_refs=[world.nils.ref], version="1", job_type="", purpose="", outcome="")
    data["next_step"] = ""
    assert client.post(f"/employers/contacts/{contact.ref}", data=data).status_code == 302
    assert _contacts(db)[0].version == 2
