"""An administrator sets a programme's full-time week through the settings form (decimal comma)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from caseload.teams.models import Program
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_admin_changes_the_full_time_week_through_the_form(live_server, browser_page, db):
    prog = factories.program(db.session, "Oslo IPS")
    factories.user(db.session, "admin", prog, email="admin@example.test")
    prog_id = prog.id
    db.session.commit()
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    page = browser_page
    sign_in(page, live_server, "admin@example.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes and teams").click()
    page.get_by_role("link", name=re.compile(r"^Settings\W+Oslo IPS$")).click()
    assert_accessible(page)
    hours = page.get_by_label("Hours of a full-time week")
    assert hours.input_value() == "37.5"
    hours.fill("61")
    page.get_by_role("button", name="Save").click()
    assert "at most 60 hours" in page.locator("#full_time_hours-error").inner_text()
    assert_accessible(page)
    page.get_by_label("Hours of a full-time week").fill("35,5")
    page.get_by_role("button", name="Save").click()
    assert "Settings of Oslo IPS saved." in page.locator(".flashes").inner_text()
    assert "Full-time week: 35.5 hours" in page.locator("main").inner_text()
    assert db.session.get(Program, prog_id).full_time_hours == Decimal("35.5")
