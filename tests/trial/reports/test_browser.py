"""Browser: the statistician reads the report, locks the data and downloads the .dta, which
pyreadstat reads back with its labels; the pages pass axe-core."""

from __future__ import annotations

import pyreadstat
import pytest

from tests.browser.helpers import assert_accessible, browser_page, sign_in  # noqa: F401 - fixture
from tests.trial.reports.world import trial_world

pytestmark = pytest.mark.browser
SLOW = 60_000  # the first report imports statsmodels for the interval: seconds on a busy machine


@pytest.fixture
def world(db):
    trial, _prog, statistician, manager = trial_world(db.session, people=12)
    db.session.commit()
    facts = {"trial": trial.ref, "statistician": statistician.email, "manager": manager.email}
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return facts


def test_statistician_locks_and_downloads_the_dta_with_labels(browser_page, live_server, world, tmp_path):  # noqa: F811
    page = browser_page
    page.set_default_timeout(SLOW)
    sign_in(page, live_server, world["statistician"])
    page.get_by_role("link", name="Trial reports").click()
    page.get_by_role("link", name="IPS in Pain").click()
    page.get_by_role("img", name="CONSORT 2010 flow diagram").wait_for()
    assert page.get_by_text("Randomised (n = 12)").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Data lock and export").click()
    page.get_by_label("Lock the data up to").wait_for()
    assert_accessible(page)
    page.get_by_label("Lock the data up to").fill("2025-06-30")
    page.get_by_role("button", name="Lock the data").click()
    locked = page.get_by_text("The data are locked up to 2025-06-30")
    locked.first.wait_for()  # the page after the POST
    assert locked.count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Data (Stata .dta)").click()
    path = tmp_path / "trial.dta"
    download.value.save_as(path)
    frame, meta = pyreadstat.read_dta(str(path), apply_value_formats=True)
    assert len(frame) == 12 * 4
    assert (
        meta.column_names_to_labels["employed_since_last"] == "Any competitive job since the last assessment"
    )
    assert set(frame["arm"]) <= {"IPS + treatment as usual", "Treatment as usual"}
    assert meta.variable_value_labels["timepoint"] == {1: "baseline", 2: "6m", 3: "12m", 4: "24m"}


def test_trial_manager_reads_the_report_on_a_phone_without_a_lock_link(browser_page, live_server, world):  # noqa: F811
    page = browser_page
    page.set_default_timeout(SLOW)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world["manager"])
    page.goto(f"{live_server}/trial/{world['trial']}/reports")
    page.get_by_role("img", name="CONSORT 2010 flow diagram").wait_for()
    assert page.get_by_role("link", name="Data lock and export").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(page)
