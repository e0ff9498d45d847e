"""Each role signs in and lands on its home; a referral becomes a client; language; axe-core."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(db):
    prog = factories.program(db.session, "Oslo IPS")
    team = factories.team(db.session, prog, "Pain clinic team A")
    spec = factories.user(
        db.session, "specialist", prog, teams=[team], email="spec@example.test", name="Siri Spec"
    )
    sup = factories.user(db.session, "supervisor", prog, email="sup@example.test")
    clin = factories.user(db.session, "clinician", prog, teams=[team], email="clin@example.test")
    admin = factories.user(db.session, "admin", prog, email="admin@example.test")
    factories.client(db.session, spec, team_obj=team, name="Hege Berge")
    referral = factories.referral(db.session, prog, person_name="Nils Lie")
    people = {
        "spec": spec.email,
        "sup": sup.email,
        "clin": clin.email,
        "admin": admin.email,
        "referral": referral.ref,
    }
    db.session.commit()
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return people


@pytest.mark.parametrize(
    ("who", "heading"),
    [("spec", "My caseload"), ("sup", "Oslo IPS"), ("clin", "My teams' clients"), ("admin", "People")],
)
def test_each_role_lands_on_its_home(live_server, browser_page, people, who, heading):
    sign_in(browser_page, live_server, people[who])
    assert heading in browser_page.locator("h1").inner_text()
    assert_accessible(browser_page)


def test_specialist_records_accepts_referral_and_finds_eight_panels(live_server, browser_page, people):
    page = browser_page
    sign_in(page, live_server, "spec@example.test")
    page.get_by_role("link", name="Referrals").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a referral").click()
    assert_accessible(page)
    page.get_by_label("Name of the person referred").fill("Per Hansen")
    page.get_by_label("Received on").fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_label("Referred by").fill("Pain clinic physician")
    page.get_by_role("button", name="Save referral").click()
    assert_accessible(page)
    page.get_by_label("Entry date").fill(date.today().isoformat())
    page.get_by_label("Treatment team").select_option(label="Pain clinic team A")
    page.get_by_role("button", name="Accept").click()
    assert "Per Hansen" in page.locator("h1").inner_text()
    assert page.locator("section.panel").count() == 8
    assert_accessible(page)


def test_declined_referral_keeps_its_reason(live_server, browser_page, people):
    referral = people["referral"]
    page = browser_page
    sign_in(page, live_server, "spec@example.test")
    page.goto(f"{live_server}/referrals/{referral}/accept")
    page.get_by_label("Decision").select_option("declined")
    page.get_by_label("Reason").fill("Wants to wait until after surgery")
    page.get_by_role("button", name="Save decision").click()
    row = page.locator("tr", has_text=referral)
    assert "Declined" in row.inner_text()
    assert "Wants to wait until after surgery" in row.inner_text()
    assert_accessible(page)


def test_norwegian_interface_shows_norwegian_text(live_server, browser_page, people):
    page = browser_page
    sign_in(page, live_server, "spec@example.test")
    page.get_by_label("Language").select_option("nb")
    page.get_by_role("button", name="Change").click()
    assert "Min saksmengde" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)
