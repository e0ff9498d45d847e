"""Browser journey: a specialist sees an overdue follow-along prompt, logs the contact, it is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseload.forms import today
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def overdue(db):
    spec = factories.user(db.session, "specialist", email="spec@example.test", name="Siri Spec")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=60), name="Hege Berge")
    job = factories.job(db.session, cl, start=today() - timedelta(days=8))
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    facts = {"client": cl.ref, "start": job.start_date}
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return facts


def test_specialist_logs_the_overdue_follow_up_and_the_prompt_is_gone(live_server, browser_page, overdue):
    page = browser_page
    sign_in(page, live_server, "spec@example.test")
    page.get_by_role("link", name="Prompts", exact=True).click()
    item = page.locator('[data-rule="start_followup"]')
    assert item.count() == 1
    assert "Meet the client within 3 days of the job start" in item.inner_text()
    assert "overdue by 5 days" in item.inner_text()
    item.get_by_text("Snooze or dismiss").click()
    assert_accessible(page)

    item.get_by_role("link", name="Hege Berge").click()
    page.goto(f"{live_server}/clients/{overdue['client']}/contacts/new?purpose=follow_along")
    page.get_by_label("Follow-along support").check()
    page.get_by_label("Face to face").check()
    page.get_by_label("Community").check()
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("Date").fill((overdue["start"] + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state()
    assert f"/clients/{overdue['client']}" in page.url

    page.get_by_role("link", name="Prompts", exact=True).click()
    assert page.locator('[data-rule="start_followup"]').count() == 0
    assert_accessible(page)
