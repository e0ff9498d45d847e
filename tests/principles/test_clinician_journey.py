"""Browser journey: a clinician opens a client, sees the work goal and the PROM charts, adds a note."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_accessible, browser_page, sign_in  # noqa: F401 - fixture
from tests.outcomes.world import BENEFITS_NOTE, build
from tests.principles.test_clinician import WORK_GOAL, _app, enrich  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    w = build(db.session)
    enrich(db.session, w)
    facts = {"email": w.clinician.email, "ref": w.working.ref, "name": w.working.name}
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return facts


def test_clinician_reads_the_work_page_and_adds_a_note(browser_page, live_server, world):  # noqa: F811
    page = browser_page
    sign_in(page, live_server, world["email"])
    assert page.get_by_role("link", name=world["name"]).is_visible()
    page.goto(f"{live_server}/clients/{world['ref']}/work")
    assert page.get_by_role("heading", name="Work goal").is_visible()
    assert page.get_by_text(WORK_GOAL).is_visible()
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == 3
    titles = [charts.nth(i).locator("title").text_content() for i in range(3)]
    assert [t.split(" ")[0] for t in titles] == ["ODI", "EQ", "Pain"]
    assert BENEFITS_NOTE not in page.content()
    assert_accessible(page)
    page.get_by_label("Treatment team note on work").fill("Ready to try more hours from next month.")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_load_state()
    assert page.get_by_text("Note added to the timeline.").is_visible()
    assert page.get_by_text("Ready to try more hours from next month.").is_visible()
    assert_accessible(page)
