"""On a phone (390 × 844) a specialist finds a client in the clients list by typing, opens them, and
logs an employer contact from their page: the client is pre-selected, the picker is searched, the
person met recorded. No page scrolls sideways; axe-core checks every page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseload.employers.models import EmployerContact
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people(db):
    s = db.session
    prog = factories.program(s, "Oslo IPS")
    team = factories.team(s, prog, "Pain clinic team A")
    spec = factories.user(s, "specialist", prog, teams=[team], email="spec@example.test", name="Siri Spec")
    refs = {}
    for name in ("Hege Berge", "Nils Lie", "Kari Nordmann", "Ola Hansen", "Eli Strand", "Per Moen"):
        refs[name] = factories.client(s, spec, team_obj=team, name=name).ref
    factories.employer(s, "Kiwi Storo")
    s.commit()
    s.close()  # SQLite: the live server must not wait on this thread's transaction
    return refs


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_specialist_finds_a_client_and_logs_an_employer_contact_for_them_on_a_phone(
    live_server, browser_page, people, db
):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "spec@example.test")
    page.get_by_text("Menu", exact=True).click()  # folded on a phone
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients", exact=True).click()
    assert page.locator("h1").inner_text() == "Clients"
    assert "6 clients shown" in page.locator("#client-count").inner_text()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_label("Name or ref").fill("nils")
    rows = page.locator("table.client-list tbody tr")
    assert rows.filter(visible=True).count() == 1
    assert "1 client shown" in page.locator("#client-count").inner_text()
    assert "?" not in page.url  # the name stays in the page
    page.get_by_role("link", name="Nils Lie").click()
    assert page.url.endswith(f"/clients/{people['Nils Lie']}")

    page.get_by_role("link", name="Employer contact", exact=True).click()
    assert page.url.endswith(f"/employers/contacts/new?client={people['Nils Lie']}")
    assert page.get_by_label(f"Nils Lie ({people['Nils Lie']})").is_checked()
    assert "Chosen: Nils Lie" in page.locator(".picked").inner_text()
    _no_sideways_scroll(page)
    assert_accessible(page)
    form_top = page.locator("form.quick").bounding_box()["y"]
    save = page.get_by_role("button", name="Save contact").bounding_box()
    assert save["y"] + save["height"] - form_top <= 2 * PHONE["height"]

    page.get_by_label("Find a client").fill("hege")
    assert page.get_by_label(f"Ola Hansen ({people['Ola Hansen']})").is_hidden()
    page.get_by_label(f"Hege Berge ({people['Hege Berge']})").check()
    assert page.get_by_label(f"Nils Lie ({people['Nils Lie']})").is_visible()  # chosen ones stay
    assert f"Chosen: Nils Lie ({people['Nils Lie']}), Hege Berge" in page.locator(".picked").inner_text()
    page.get_by_label("Find a client").press("Enter")  # does not send the form
    assert page.url.endswith(f"/employers/contacts/new?client={people['Nils Lie']}")
    page.get_by_label("Employer", exact=True).select_option(label="Kiwi Storo")
    page.get_by_label("Person met").fill("Kari Butikksjef")
    page.get_by_label("Face to face").check()  # how is never pre-chosen
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Save contact").click()

    assert page.url.endswith(f"/clients/{people['Nils Lie']}")
    assert "saved" in page.locator(".flashes").inner_text()
    db.session.expire_all()
    contact = db.session.scalars(select(EmployerContact)).one()
    assert contact.person_name == "Kari Butikksjef"
    assert sorted(c.ref for c in contact.clients) == sorted([people["Nils Lie"], people["Hege Berge"]])
