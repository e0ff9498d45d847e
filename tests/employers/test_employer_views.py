"""The employer directory: list and search, add, correct (with conflicts and history), contact people."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseload.auth.models import RecordRevision
from caseload.employers.models import Employer, EmployerPerson
from tests.employers.helpers import count_rows


@pytest.fixture
def person(db, world):
    p = EmployerPerson(employer_id=world.employer.id, name="Anne Leder", role="Store manager")
    db.session.add(p)
    db.session.commit()
    return p


def _pages(world, person):
    ref = world.employer.ref
    return [
        "/employers/",
        "/employers/?q=kiwi",
        "/employers/new",
        f"/employers/{ref}",
        f"/employers/{ref}/edit",
        f"/employers/{ref}/people/new",
        f"/employers/{ref}/people/{person.id}",
    ]


@pytest.mark.parametrize("who", ["clin", "admin"])
def test_clinicians_and_admins_get_404_on_every_employer_page(client, db, login_as, world, person, who):
    login_as(user=getattr(world, who))
    for path in _pages(world, person):
        assert client.get(path).status_code == 404, path
        if "/new" in path or "/edit" in path or "/people/" in path:
            assert client.post(path, data={"name": "X"}).status_code == 404, path
    assert count_rows(db, Employer) == 1 and count_rows(db, EmployerPerson) == 1


@pytest.mark.parametrize("who", ["spec", "sup", "far_sup"])
def test_employment_staff_open_every_employer_page(client, login_as, world, person, who):
    login_as(user=getattr(world, who))
    for path in _pages(world, person):
        assert client.get(path).status_code == 200, path


def test_a_signed_out_visitor_is_sent_to_sign_in(client, world):
    assert client.get("/employers/").status_code == 302


def test_search_lists_matching_employers(client, db, login_as, world):
    db.session.add(Employer(ref="E-0900", name="Rema 1000 Storo", org_number="923609016"))
    db.session.commit()
    login_as(user=world.spec)
    page = client.get("/employers/?q=STORO").get_data(as_text=True)
    assert "Rema 1000 Storo" in page and "Kiwi Storo" in page
    page = client.get("/employers/?q=923609").get_data(as_text=True)
    assert "Rema 1000 Storo" in page and "Kiwi Storo" not in page


def test_a_search_too_long_or_with_nul_gets_a_message_not_an_error(client, login_as, world):
    login_as(user=world.spec)
    response = client.get("/employers/?q=" + "x" * 201)
    assert response.status_code == 422
    assert "Field cannot be longer than 200 characters." in response.get_data(as_text=True)
    assert client.get("/employers/?q=a%00b").status_code == 422


def test_specialist_adds_an_employer(client, db, login_as, world):
    login_as(user=world.spec)
    response = client.post(
        "/employers/new",
        data={"name": "  Rema 1000 Storo ", "org_number": "923 609 016", "industry": "Retail"},
    )
    assert response.status_code == 302
    employer = db.session.scalar(select(Employer).where(Employer.name == "Rema 1000 Storo"))
    assert (employer.org_number, employer.industry) == ("923609016", "Retail")
    assert response.headers["Location"].endswith(f"/employers/{employer.ref}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"name": "Ok", "org_number": "12345678"}, "An organisation number has nine digits."),
        ({"name": "Ok", "org_number": "12345678X"}, "An organisation number has nine digits."),
        ({"name": "Ok", "org_number": "1" * 21}, "Field cannot be longer than 20 characters."),
        ({"name": "Ok", "industry": "y" * 201}, "Field cannot be longer than 200 characters."),
        ({"name": "Nul\x00byte"}, "The text contains a character that is not allowed."),
    ],
)
def test_bad_employer_input_is_refused_by_the_field(client, db, login_as, world, data, message):
    login_as(user=world.spec)
    before = count_rows(db, Employer)
    response = client.post("/employers/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert count_rows(db, Employer) == before


def test_an_organisation_number_belongs_to_one_employer(client, db, login_as, world):
    world.employer.org_number = "923609016"
    db.session.commit()
    login_as(user=world.spec)
    response = client.post("/employers/new", data={"name": "Kiwi copy", "org_number": "923609016"})
    assert response.status_code == 422
    assert "Kiwi Storo has this organisation number already." in response.get_data(as_text=True)
    assert count_rows(db, Employer) == 1


def test_correcting_an_employer_keeps_the_earlier_version(client, db, login_as, world):
    login_as(user=world.sup)
    ref = world.employer.ref
    response = client.post(
        f"/employers/{ref}/edit", data={"name": "Kiwi Storo senter", "industry": "Retail", "version": "1"}
    )
    assert response.status_code == 302
    employer = db.session.scalar(select(Employer).where(Employer.ref == ref))
    assert (employer.name, employer.version) == ("Kiwi Storo senter", 2)
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "employers"))
    assert '"name": "Kiwi Storo"' in revision.data and revision.changed_by_id == world.sup.id


def test_saving_over_a_newer_version_shows_both_and_a_second_save_wins(client, db, login_as, world):
    ref = world.employer.ref
    world.employer.industry = "Groceries"
    db.session.commit()  # someone saved version 2 after our form opened at version 1
    login_as(user=world.spec)
    response = client.post(f"/employers/{ref}/edit", data={"name": "Kiwi (mine)", "version": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Someone else saved this record after you opened it." in page
    assert "Groceries" in page and 'value="Kiwi (mine)"' in page and 'value="2"' in page
    db.session.expire_all()
    assert db.session.scalar(select(Employer.name).where(Employer.ref == ref)) == "Kiwi Storo"
    response = client.post(f"/employers/{ref}/edit", data={"name": "Kiwi (mine)", "version": "2"})
    assert response.status_code == 302


def test_correcting_bad_input_writes_nothing(client, db, login_as, world):
    login_as(user=world.spec)
    ref = world.employer.ref
    response = client.post(f"/employers/{ref}/edit", data={"name": "", "version": "1"})
    assert response.status_code == 422
    assert count_rows(db, RecordRevision) == 0


def test_contact_people_are_added_and_corrected_with_history(client, db, login_as, world):
    login_as(user=world.spec)
    ref = world.employer.ref
    data = {
        "name": "Anne Leder",
        "role": "Store manager",
        "phone": "+47 22 33 44 55",
        "email": "anne@kiwi.no",
    }
    assert client.post(f"/employers/{ref}/people/new", data=data).status_code == 302
    person = db.session.scalar(select(EmployerPerson))
    page = client.get(f"/employers/{ref}").get_data(as_text=True)
    assert "Anne Leder" in page and 'href="tel:+4722334455"' in page
    edit = client.get(f"/employers/{ref}/people/{person.id}").get_data(as_text=True)
    stamp = edit.split('name="stamp" type="hidden" value="')[1].split('"')[0]
    data |= {"role": "HR adviser", "stamp": stamp}
    assert client.post(f"/employers/{ref}/people/{person.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(EmployerPerson, person.id).role == "HR adviser"
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "employer_people"))
    assert '"role": "Store manager"' in revision.data


def test_a_stale_contact_person_form_is_a_conflict(client, db, login_as, world, person):
    login_as(user=world.spec)
    path = f"/employers/{world.employer.ref}/people/{person.id}"
    response = client.post(path, data={"name": "Anne L.", "stamp": "2000-01-01T00:00:00"})
    assert response.status_code == 422
    assert "Someone else saved this record" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EmployerPerson, person.id).name == "Anne Leder"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "A", "email": "not-an-email"}, "Invalid email address."),
        ({"name": "A", "phone": "call me maybe"}, "Digits, spaces, + ( ) - only."),
        ({"name": "A", "phone": "1" * 41}, "Field cannot be longer than 40 characters."),
        ({"name": "A", "role": "r" * 201}, "Field cannot be longer than 200 characters."),
    ],
)
def test_bad_contact_person_input_is_refused_by_the_field(client, db, login_as, world, data, message):
    login_as(user=world.spec)
    response = client.post(f"/employers/{world.employer.ref}/people/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_rows(db, EmployerPerson) == 0


def test_unknown_refs_and_people_of_another_employer_are_404(client, db, login_as, world, person):
    other = Employer(ref="E-0901", name="Other")
    db.session.add(other)
    db.session.commit()
    login_as(user=world.spec)
    assert client.get("/employers/E-9999").status_code == 404
    assert client.get("/employers/E-0001%00").status_code == 404
    assert client.get(f"/employers/{other.ref}/people/{person.id}").status_code == 404
    assert client.get(f"/employers/{other.ref}/people/99999999999").status_code == 404


def test_the_employer_page_shows_only_our_programmes_contacts_and_visible_clients(
    client, db, login_as, world
):
    from tests import factories

    s = db.session
    factories.employer_contact(
        s,
        world.colleague,
        on=world.hege.entry_date,
        employer_obj=world.employer,
        clients=[world.colleagues_client],
        purpose="Colleague's private purpose",
    )
    factories.employer_contact(
        s, world.far_spec, on=world.hege.entry_date, employer_obj=world.employer, purpose="Bergen purpose"
    )
    s.commit()
    login_as(user=world.spec)
    page = client.get(f"/employers/{world.employer.ref}").get_data(as_text=True)
    assert "Carl Colleague" in page and "Clients of other caseloads" in page
    assert "Kjell Kollega" not in page and "private purpose" not in page
    assert "Frida Far" not in page and "Bergen purpose" not in page
    assert _audit_actions(db) == []  # no client the specialist may see is shown
    login_as(user=world.sup)
    assert "Kjell Kollega" in client.get(f"/employers/{world.employer.ref}").get_data(as_text=True)
    assert _audit_actions(db) == ["view_employer_contacts"]


def _audit_actions(db) -> list[str]:
    from caseload.auth.models import AuditEvent

    return list(db.session.scalars(select(AuditEvent.action)))
