"""On a phone-sized screen a specialist logs a face-to-face employer contact for two clients and sees
the week's count go up; the supervisor marks the week reviewed. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseload.forms import today
from caseload.metrics.periods import monday_of
from caseload.teams.models import JobType
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
    factories.user(s, "supervisor", prog, email="sup@example.test", name="Sunniva Sup")
    hege = factories.client(s, spec, team_obj=team, name="Hege Berge")
    nils = factories.client(s, spec, team_obj=team, name="Nils Lie")
    employer = factories.employer(s, "Kiwi Storo")
    factories.employer(s, "Rema 1000 Torshov")
    s.add(JobType(program_id=prog.id, code="5223", label="Shop sales assistant"))
    monday = monday_of(today())
    for _ in range(2):
        factories.employer_contact(s, spec, on=monday, employer_obj=employer)
    factories.employer_contact(s, spec, on=monday, employer_obj=employer, mode="phone")
    values = {"hege": hege.ref, "nils": nils.ref, "spec_id": spec.id, "employer": employer.ref}
    s.commit()
    s.close()  # SQLite: the live server must not wait on this thread's transaction
    return values


def _nav(page, name: str) -> None:
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    if not link.is_visible():  # on a phone the menu is folded away behind its button
        page.locator("#main-menu > summary").click()
    link.click()


def _count(page) -> str:
    return page.locator(".week-target .stat strong").inner_text()


def test_specialist_logs_a_contact_for_two_clients_on_a_phone_and_the_supervisor_reviews(
    live_server, browser_page, people
):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "spec@example.test")
    _nav(page, "Job development log")
    assert _count(page) == "2"
    assert_accessible(page)

    page.get_by_role("link", name="Log an employer contact").click()
    assert_accessible(page)
    page.get_by_label("Employer", exact=True).select_option(label="Kiwi Storo")
    page.get_by_label(f"Hege Berge ({people['hege']})").check()
    page.get_by_label(f"Nils Lie ({people['nils']})").check()
    assert not page.get_by_label("Face to face").is_checked()  # nothing that changes numbers is chosen
    page.get_by_label("Face to face").check()
    page.get_by_label("Minutes").fill("45")
    assert page.get_by_label("Date").input_value() == today().isoformat()
    page.get_by_label("Purpose").fill("Introduce IPS <and> both candidates")
    page.get_by_role("button", name="Save contact").click()

    assert "saved" in page.locator(".flashes").inner_text()
    assert _count(page) == "3"
    card = page.locator("article", has_text="Introduce IPS <and> both candidates")
    assert "Hege Berge" in card.inner_text() and "Nils Lie" in card.inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, "sup@example.test")
    _nav(page, "Job development log")
    assert "3 / 6" in page.locator("tr", has_text="Siri Spec").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Siri Spec").click()
    page.get_by_label("Notes for the specialist").fill("Good start; aim for six.")
    page.get_by_role("button", name="Mark this week as reviewed").click()
    assert "by Sunniva Sup" in page.locator("section", has=page.locator("#review-h")).inner_text()
    assert_accessible(page)


def test_the_employer_directory_pages_are_accessible_on_a_phone(live_server, browser_page, people):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "spec@example.test")
    _nav(page, "Employers")
    page.get_by_label("Name or organisation number").fill("kiwi")
    page.get_by_role("button", name="Search").click()
    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Kiwi Storo").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a contact person").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Anne Leder")
    page.get_by_label("E-mail").fill("not an e-mail")
    page.get_by_role("button", name="Save contact person").click()
    assert "Invalid email address." in page.locator("p.error").inner_text()
    assert_accessible(page)
    page.get_by_label("E-mail").fill("anne@kiwi.no")
    page.get_by_role("button", name="Save contact person").click()
    page.get_by_role("link", name="Correct details").click()
    page.get_by_label("Organisation number").fill("12345")
    page.get_by_role("button", name="Save employer").click()
    assert "nine digits" in page.locator("p.error").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server}/employers/log/{people['spec_id']}/{(monday_of(today()) - timedelta(weeks=1))}")
    assert_accessible(page)
