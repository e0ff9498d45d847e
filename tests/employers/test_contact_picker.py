"""The employer contact from a client's page: the client pre-selected by ref, the compact client
picker, and the employer's person met (recorded, corrected, kept in the history)."""

from __future__ import annotations

from sqlalchemy import select

from caseload.employers.models import EmployerContact
from tests.employers.helpers import contact_form


def _contact(db) -> EmployerContact:
    db.session.expire_all()
    return db.session.scalars(select(EmployerContact)).one()


def test_the_client_pages_button_carries_the_ref_and_preselects_the_client(client, login_as, world):
    login_as(user=world.spec)
    page = client.get(f"/clients/{world.hege.ref}").get_data(as_text=True)
    assert f"/employers/contacts/new?client={world.hege.ref}" in page
    form = client.get(f"/employers/contacts/new?client={world.hege.ref}").get_data(as_text=True)
    assert f'checked id="client_refs-0" name="client_refs" type="checkbox" value="{world.hege.ref}"' in form
    assert (
        f'value="{world.nils.ref}"' in form
        and f'checked id="client_refs-1" name="client_refs" type="checkbox" value="{world.nils.ref}"'
        not in form
    )
    assert "Chosen: Hege Berge" in form


def test_a_ref_outside_the_scope_preselects_nothing_and_shows_nobody(client, login_as, world):
    login_as(user=world.spec)
    form = client.get(f"/employers/contacts/new?client={world.far_client.ref}").get_data(as_text=True)
    assert "Fjern Klient" not in form and world.far_client.ref not in form
    assert "checked" not in form.split('id="client_refs"')[1].split("</fieldset>")[0]
    assert "No client chosen: a generic contact." in form


def test_the_picker_lists_chosen_clients_first_in_a_scrolling_list_with_a_search_box(client, login_as, world):
    login_as(user=world.spec)
    form = client.get(f"/employers/contacts/new?client={world.nils.ref}").get_data(as_text=True)
    picker = form.split('id="client_refs"')[1].split("</fieldset>")[0]
    assert picker.index("Nils Lie") < picker.index("Hege Berge")
    assert 'class="pick-list"' in picker and 'type="search"' in picker
    assert 'name="client_refs-search"' not in picker and "js/client-picker.js" in form


def test_saving_from_the_client_page_returns_to_it(client, db, login_as, world):
    login_as(user=world.spec)
    response = client.post(
        f"/employers/contacts/new?client={world.hege.ref}",
        data=contact_form(world, client_refs=[world.hege.ref]),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clients/{world.hege.ref}")


def test_the_person_met_is_recorded_and_corrected_with_history(client, db, login_as, world):
    login_as(user=world.spec)
    client.post("/employers/contacts/new", data=contact_form(world, person_name="  Kari Butikksjef "))
    contact = _contact(db)
    assert contact.person_name == "Kari Butikksjef"
    page = client.get(f"/employers/contacts/{contact.ref}").get_data(as_text=True)
    assert 'value="Kari Butikksjef"' in page
    form = contact_form(world, person_name="", version=str(contact.version))
    assert client.post(f"/employers/contacts/{contact.ref}", data=form).status_code == 302
    assert _contact(db).person_name is None


def test_the_person_met_is_optional_and_bounded(client, db, login_as, world):
    login_as(user=world.spec)
    assert client.post("/employers/contacts/new", data=contact_form(world)).status_code == 302
    assert _contact(db).person_name is None
    too_long = client.post("/employers/contacts/new", data=contact_form(world, person_name="x" * 201))
    assert too_long.status_code == 422
    assert db.session.scalars(select(EmployerContact)).all() == [_contact(db)]


def test_the_person_met_shows_in_the_week_log_and_on_the_employer_page(client, db, login_as, world):
    login_as(user=world.spec)
    client.post("/employers/contacts/new", data=contact_form(world, person_name="Kari Butikksjef"))
    week = client.get(client.get("/employers/log").headers["Location"]).get_data(as_text=True)
    assert "<dt>Person met</dt><dd>Kari Butikksjef</dd>" in week
    page = client.get(f"/employers/{world.employer.ref}").get_data(as_text=True)
    assert "Met Kari Butikksjef." in page
