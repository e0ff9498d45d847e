"""Browser: a supervisor reads the quarter, follows a count to its clients; forms pass axe-core."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_accessible, browser_page, sign_in  # noqa: F401 - fixture
from tests.outcomes.world import build

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    w = build(db.session)
    facts = {
        "supervisor": w.supervisor.email,
        "specialist": w.specialist.email,
        "program": w.program.ref,
        "working": w.working.ref,
        "name": w.working.name,
    }
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return facts


def test_supervisor_follows_a_count_to_the_client(browser_page, live_server, world):  # noqa: F811
    page = browser_page
    sign_in(page, live_server, world["supervisor"])
    page.goto(f"{live_server}/programs/{world['program']}/outcomes?quarter=2025Q1&as_of=2025-03-31")
    assert page.get_by_text("Quarterly employment rate (%) — not a cumulative rate").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Clients working in a competitive job: 1, list").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=world["name"]).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/clients/{world['working']}")


def test_specialist_records_questionnaires_in_the_browser(browser_page, live_server, world):  # noqa: F811
    page = browser_page
    sign_in(page, live_server, world["specialist"])
    page.goto(f"{live_server}/clients/{world['working']}/measures/new")
    assert_accessible(page)
    page.get_by_label("Date").fill("2025-02-03")
    for n in range(1, 11):
        page.get_by_label(f"Section {n}", exact=True).fill("3")
    page.get_by_label("EQ VAS (0–100)").fill("55")
    page.get_by_label("Pain NRS (0–10)").fill("6")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="60.0").is_visible()
    assert page.locator("figure.chart svg").count() == 3
    assert_accessible(page)
