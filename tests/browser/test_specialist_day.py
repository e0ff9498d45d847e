"""The specialist's day in a browser: an employer met for two clients, then benefits counselling and
a job start for one of them; that client's panels and the home page follow. axe-core on every page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseload.teams.models import JobType
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def day(db):
    prog = factories.program(db.session, "Oslo IPS")
    team = factories.team(db.session, prog, "Pain clinic team A")
    spec = factories.user(
        db.session, "specialist", prog, teams=[team], email="spec@example.test", name="Siri Spec"
    )
    entry = date.today() - timedelta(days=10)
    hege = factories.client(db.session, spec, team_obj=team, entry=entry, name="Hege Berge")
    nils = factories.client(db.session, spec, team_obj=team, entry=entry, name="Nils Lie")
    db.session.add(JobType(program_id=prog.id, code="5223", label="Shop sales assistant"))
    values = {"email": spec.email, "hege": hege.ref, "nils": nils.ref}
    db.session.commit()
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return values


def panel(page, key: str) -> str:
    return page.locator(f'section.panel[data-principle="{key}"]').inner_text()


def home_row(page, ref: str) -> str:
    return page.locator(f'tr[data-client="{ref}"]').inner_text()


def test_employer_contact_benefits_and_job_start_update_the_panels_and_home(live_server, browser_page, day):
    page, hege, nils = browser_page, day["hege"], day["nils"]
    sign_in(page, live_server, day["email"])
    assert "2 of 20 active clients" in page.locator("#caseload-count").inner_text()
    assert "0 of 6" in page.locator("#employer-week").inner_text()
    assert "Engaging" in home_row(page, hege)
    assert_accessible(page)

    page.locator("table.home").get_by_role("link", name="Hege Berge", exact=True).click()
    assert "no face-to-face employer contact yet" in panel(page, "rapid_search")
    assert_accessible(page)

    page.get_by_role("link", name="Employer contact").click()
    assert_accessible(page)
    page.get_by_label("Or a new employer").fill("Rema 1000 Tøyen")
    page.get_by_label("Hege Berge").check()
    page.get_by_label("Nils Lie").check()
    page.get_by_label("Face to face").check()
    page.get_by_label("Minutes").fill("40")
    page.get_by_role("button", name="Save contact").click()
    assert_accessible(page)

    page.goto(f"{live_server}/")
    assert "1 of 6" in page.locator("#employer-week").inner_text()
    assert "Job search" in home_row(page, hege) and "Job search" in home_row(page, nils)
    assert_accessible(page)

    page.goto(f"{live_server}/clients/{hege}")
    assert "First face-to-face employer contact 10 days after entry." in panel(page, "rapid_search")
    page.get_by_role("link", name="Benefits counselling").click()
    assert_accessible(page)
    page.get_by_label("Kind of session").select_option(label="Before a job start")
    page.get_by_label("Benefits planner").fill("NAV adviser")
    page.get_by_label("The planner is specially trained in benefits counselling").check()
    page.get_by_role("button", name="Save the session").click()
    assert "1 counselling session." in panel(page, "benefits")
    assert_accessible(page)

    page.get_by_role("link", name="Job start").click()
    assert_accessible(page)
    page.get_by_label("Employer", exact=True).select_option(label="Rema 1000 Tøyen")
    page.get_by_label("Job title").fill("Shop assistant")
    page.get_by_label("Job type").select_option("5223")
    page.get_by_label("First paid working day").fill(date.today().isoformat())
    page.get_by_label("Hours per week").fill("20")
    page.get_by_role("button", name="Save the job start").click()
    assert "All six components hold." in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server}/clients/{hege}")
    assert "Shop assistant at Rema 1000 Tøyen: competitive." in panel(page, "competitive")
    assert "Before Shop assistant started on" in panel(page, "benefits")
    assert ": yes." in panel(page, "benefits")
    assert "next follow-along contact due" in panel(page, "support")
    assert_accessible(page)

    page.get_by_role("link", name="Log contact").click()
    page.get_by_label("Follow-along support").check()
    page.get_by_label("Face to face").check()
    page.get_by_label("Community").check()
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Save the contact").click()
    assert "Last contact: " + date.today().isoformat() in panel(page, "support")

    page.goto(f"{live_server}/")
    row = home_row(page, hege)
    assert "Working" in row and "Today" in row
    assert "Job search" in home_row(page, nils)
    assert_accessible(page)


def test_every_form_of_the_day_is_accessible_empty_with_errors_and_in_conflict(
    live_server, browser_page, day
):
    page, hege = browser_page, day["hege"]
    sign_in(page, live_server, day["email"])
    base = f"{live_server}/clients/{hege}"
    for path in ("contacts/new", "benefits/new", "jobs/new", "profile", "plan", "plan/steps/new"):
        page.goto(f"{base}/{path}")
        assert_accessible(page)
        page.locator("main form button[type=submit]").first.click()
        assert_accessible(page)
    page.goto(f"{live_server}/job-types")
    assert_accessible(page)

    page.goto(f"{base}/jobs/new")
    page.get_by_label("Or a new employer's name").fill("Kiwi Storo")
    page.get_by_label("Job title").fill("Cook")
    page.get_by_label("First paid working day").fill(date.today().isoformat())
    page.get_by_label("Hours per week").fill("12,5")
    page.get_by_role("button", name="Save the job start").click()
    job_page = page.url
    for action in ("Change of hours", "Job end", "Correct"):
        page.goto(job_page)
        page.get_by_role("link", name=action, exact=True).click()
        assert_accessible(page)

    second = page.context.new_page()
    second.goto(page.url)  # the correction form, opened twice
    page.get_by_label("Job title").fill("Head cook")
    page.get_by_role("button", name="Save the correction").click()
    second.get_by_label("Job title").fill("Kitchen porter")
    second.get_by_role("button", name="Save the correction").click()
    assert "Someone else saved this record after you opened it" in second.locator("main").inner_text()
    assert second.get_by_label("Job title").input_value() == "Kitchen porter"
    assert "Head cook" in second.locator(".conflict").inner_text()
    assert_accessible(second)
