"""A supervisor uploads a bundle in the browser: the progress indicator shows, the import lands."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from caseload.teams.models import Program
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.exchange.bundles import copy_sample, edit_lines, set_cell, zip_folder

pytestmark = pytest.mark.browser


@pytest.fixture
def supervisor(db) -> str:
    program = Program(ref="DEMO", name="Demo Pain Clinic IPS")
    db.session.add(program)
    db.session.flush()
    email = factories.user(db.session, "supervisor", program, email="sup@example.test").email
    db.session.commit()
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return email


def _bundle(tmp_path, bad: bool = False):
    folder = copy_sample(Path(tempfile.mkdtemp(dir=tmp_path)) / "bundle")
    edit_lines(folder, "staff.csv", lambda lines: [ln for ln in lines if "admin." not in ln])
    if bad:
        set_cell(folder, "jobs.csv", 3, "hours_per_week", "120")
    return zip_folder(folder, folder.parent / "bundle.zip")


def test_a_supervisor_uploads_a_bundle_and_sees_progress(browser_page, live_server, supervisor, tmp_path):
    page = browser_page
    sign_in(page, live_server, supervisor)
    page.get_by_role("link", name="Import and export").click()
    assert_accessible(page)
    page.get_by_label("Bundle").set_input_files(str(_bundle(tmp_path, bad=True)))
    page.evaluate(
        "document.querySelector('form[data-progress]').addEventListener('submit', (e) => e.preventDefault())"
    )
    assert page.locator("#import-progress").is_hidden()
    page.get_by_role("button", name="Import", exact=True).click()
    assert page.locator("#import-progress").is_visible()

    page.reload()
    page.get_by_label("Bundle").set_input_files(str(_bundle(tmp_path, bad=True)))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("pre.problems")  # the job's page reloads itself when the import ends
    assert "jobs.csv:3: hours_per_week: 120 is out of range" in page.locator("pre").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Back to import and export").click()

    page.get_by_label("Bundle").set_input_files(str(_bundle(tmp_path)))
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported: 924 created, 0 updated.").wait_for()
