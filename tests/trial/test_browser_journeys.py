"""Browser journeys: the trial manager screens, enrols and randomises (IPS arm -> the referral
is in the caseload); the assessor records a 6-month assessment on a phone-sized screen."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from caseload.clients.models import Referral
from caseload.trial import allocation as allocator
from caseload.trial.models import Assessment, Participant
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.trial import builders

pytestmark = pytest.mark.browser


def _seed_with_ips_first() -> bytes:
    """A seed whose first allocation in stratum status=sick_leave is the IPS arm."""
    arms = [(a.code, a.ratio) for a in builders.ARMS]
    return next(
        s
        for s in (f"seed {i}".encode() for i in count())
        if allocator.allocate(s, "status=sick_leave", arms, 1) == "ips"
    )


def test_trial_manager_screens_enrols_and_randomises_into_the_caseload(db, live_server, browser_page):
    prog = factories.program(db.session)
    factories.user(db.session, role="trial_manager", prog=prog, email="tm@example.test")
    builders.trial(db.session, prog=prog, seed=_seed_with_ips_first())
    factories.user(db.session, role="supervisor", prog=prog, email="sup@example.test")
    db.session.commit()
    db.session.close()
    page = browser_page
    sign_in(page, live_server, "tm@example.test")
    page.get_by_role("link", name="IPS in Pain").click()
    assert_accessible(page)
    page.get_by_role("link", name="Screen a person").click()
    page.get_by_label("Screened on").fill(date.today().isoformat())
    page.get_by_label("Name (optional for people not enrolled)").fill("Kari Nordmann")
    for label in ("Age 18–65", "Chronic pain for 3 months or more", "Gives informed consent"):
        page.get_by_label(label).check()
    page.get_by_label("Consent given on").fill(date.today().isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save screening").click()
    assert "enrol and randomise now" in page.locator(".flashes").inner_text()
    page.get_by_label("Phone").fill("+47 400 00 000")
    page.get_by_label("Sick leave").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enrol and randomise").click()
    assert "Enrolled and randomised." in page.locator(".flashes").inner_text()
    assert "IPS + treatment as usual" in page.locator("main").inner_text()
    assert_accessible(page)
    referral = db.session.scalar(select(Referral))
    participant = db.session.scalar(select(Participant))
    assert referral is not None and participant.referral_id == referral.id
    assert referral.ref in page.locator("main").inner_text()
    db.session.close()
    page.goto(f"{live_server}/auth/logout")
    sign_in(page, live_server, "sup@example.test")
    page.goto(f"{live_server}/referrals")
    row = page.locator("tr", has_text=referral.ref).inner_text()
    assert f"IPS in Pain ({participant.ref})" in row and "Pending" in row


def test_assessor_records_a_6_month_assessment_on_a_phone(db, live_server, browser_page):
    prog = factories.program(db.session)
    manager = factories.user(db.session, role="trial_manager", prog=prog)
    factories.user(db.session, role="assessor", prog=prog, email="assessor@example.test")
    t = builders.trial(db.session, prog=prog, factors=False)
    p = builders.enrol(
        db.session, t, user=manager, on=date.today() - timedelta(days=182), name="Ola Deltaker"
    )
    db.session.commit()
    ref = p.ref
    db.session.close()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "assessor@example.test")
    assert "Assessments" in page.locator("h1").inner_text()
    assert_accessible(page)
    card = page.locator(f'li[data-subject="{ref}"][data-rule="assessment_6m"]')
    card.get_by_role("link", name="Record").click()
    page.get_by_label("How").select_option("telephone")
    page.get_by_label("In a competitive job today?").select_option("yes")
    page.get_by_label("Hours a week").fill("20,5")
    page.get_by_label("Work assessment allowance").check()
    page.get_by_label("Any competitive job since the last assessment?").select_option("yes")
    page.get_by_label("Weeks worked").fill("10")
    page.get_by_label("EQ VAS (0–100)").fill("70")
    assert_accessible(page)
    page.get_by_role("button", name="Save assessment").click()
    assert "Assessment recorded." in page.locator(".flashes").inner_text()
    text = page.locator("main").inner_text()
    assert "ips" not in text.lower().split() and "Treatment as usual" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assessment = db.session.scalar(select(Assessment))
    assert (assessment.timepoint, assessment.mode, str(assessment.hours_per_week)) == (
        "6m",
        "telephone",
        "20.5",
    )
