"""A specialist on a phone voids a contact logged on the wrong day, moves one logged on the wrong
client, and reads a correction's history: every page accessible, nothing scrolls sideways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def test_void_move_and_history_on_a_phone(live_server, browser_page, db):
    me = f.user(db.session, "specialist", email="siri@example.test")
    kari = f.client(db.session, me, name="Kari Nordmann", entry=date.today() - timedelta(days=60))
    ola = f.client(db.session, me, name="Ola Hansen", entry=date.today() - timedelta(days=60))
    twice = f.contact(db.session, kari, me, on=date.today() - timedelta(days=2))
    wrong = f.contact(db.session, kari, me, on=date.today() - timedelta(days=1), purpose="job_search")
    kari, ola, twice, wrong = kari.ref, ola.ref, twice.ref, wrong.ref
    db.session.commit()  # and no read after it: the server writes while the test waits
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "siri@example.test")

    page.goto(f"{live_server}/clients/{kari}")
    page.get_by_role("link", name=f"Void {twice}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Void this record").click()  # no reason: refused
    assert "Say why the record is void." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Why is the record void?").fill("Logged twice")
    page.get_by_role("button", name="Void this record").click()
    assert "Void records" in page.locator("main").inner_text()
    assert page.locator("del", has_text=twice).count() == 1
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name=f"Move {wrong}").click()
    assert_accessible(page)
    page.get_by_label("The right client").select_option(ola)
    page.get_by_role("button", name="Move the record").click()
    assert f"/clients/{ola}" in page.url
    assert wrong in page.locator("#contacts-h + div").inner_text()

    page.get_by_role("link", name=f"History {wrong}").click()
    assert "Client: C-" in page.locator("main").inner_text()
    _no_sideways_scroll(page)
    assert_accessible(page)
