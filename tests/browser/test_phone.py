"""A specialist's day on a phone (390 × 844): the home, logging a client contact and an employer
contact. No serious or critical axe-core violation, the page never scrolls sideways, every action
is within reach, and each form's save button is within two screen heights of the form's top."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseload.forms import today
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844


@pytest.fixture
def day(db):
    t = today()
    spec = factories.user(db.session, "specialist", email="spec@example.test", name="Siri Spec")
    factories.employer(db.session, "Rema 1000 Tøyen")
    refs = {}
    for n in range(14):  # a full caseload: the employer form's client list is long
        c = factories.client(
            db.session, spec, entry=t - timedelta(days=30 + n), name=f"Kristoffer Client {n:02d}"
        )
        factories.contact(db.session, c, spec, on=t - timedelta(days=2), mode="phone", purpose="engagement")
        refs[n] = c.ref
    worker = factories.client(db.session, spec, entry=t - timedelta(days=60), name="Hege Berge")
    factories.job(db.session, worker, start=t - timedelta(days=2))
    refs["worker"] = worker.ref
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return refs


def no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways: {width} > {inner}"


def within_reach(page, locator) -> None:
    """On screen horizontally: nothing hides to the right."""
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


def save_near_the_top(page, button_name: str) -> None:
    form = page.locator("main form[method=post]").last
    top = form.bounding_box()["y"]
    save = page.get_by_role("button", name=button_name)
    assert save.bounding_box()["y"] + save.bounding_box()["height"] - top <= 2 * HEIGHT


def test_a_specialist_works_through_the_day_on_a_phone(live_server, browser_page, day):
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, live_server, "spec@example.test")

    # The home: the menu folded away behind one button, one list of cards, nothing off to the side.
    nav_link = page.locator("header nav").get_by_role("link", name="Prompts", exact=True)
    assert not nav_link.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert nav_link.is_visible()
    within_reach(page, nav_link)
    page.get_by_text("Menu", exact=True).click()
    assert not nav_link.is_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    actions = page.locator("#home-prompts-heading ~ ul a.button, table.home a.button")
    assert actions.count() >= 15
    for i in range(actions.count()):
        within_reach(page, actions.nth(i))

    # A client contact, from the follow-up prompt.
    item = page.locator(f'li[data-rule="start_followup"][data-client-ref="{day["worker"]}"]')
    item.get_by_role("link", name="Log the contact").click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    assert_accessible(page)
    save_near_the_top(page, "Save the contact")
    page.get_by_label("Community").check()
    page.get_by_label("Minutes").fill("45")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state()
    assert "Contact saved." in page.locator("main").inner_text()
    no_sideways_scroll(page)

    # An employer contact, from a client's rapid-job-search prompt.
    page.goto(f"{live_server}/")
    item = page.locator(f'li[data-rule="rapid_job_search"][data-client-ref="{day[0]}"]')
    item.get_by_role("link", name="Log the employer contact").click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    assert_accessible(page)
    save_near_the_top(page, "Save contact")
    page.get_by_label("Employer", exact=True).select_option(label="Rema 1000 Tøyen")
    page.get_by_label("Minutes").fill("20")
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_load_state()
    assert "saved" in page.locator("main").inner_text()
    no_sideways_scroll(page)
    assert_accessible(page)

    page.goto(f"{live_server}/")
    assert page.locator(f'li[data-rule="rapid_job_search"][data-client-ref="{day[0]}"]').count() == 0
    no_sideways_scroll(page)
