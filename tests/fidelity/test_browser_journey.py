"""A supervisor starts a review, keeps the computed scores, scores the judgement items,
finalises, and downloads the PDF; every page passes axe-core."""

from __future__ import annotations

import pytest

from caseload.fidelity.catalogue import ITEMS
from tests.browser.helpers import assert_accessible, sign_in
from tests.fidelity.conftest import AS_OF
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture
def people(db, programme):
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return programme


def test_supervisor_reviews_finalises_and_downloads_the_pdf(live_server, browser_page, people, tmp_path):
    page = browser_page
    sign_in(page, live_server, "sup@example.test")
    page.get_by_role("link", name="Fidelity", exact=True).click()
    assert "IPS fidelity" in page.locator("h1").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Start a review").click()
    page.get_by_label("Review date").fill(AS_OF.isoformat())
    page.get_by_label("Reviewers").fill("Ann Reviewer, Bo Reviewer")
    page.get_by_role("button", name="Start the review").click()
    assert "the computed scores are filled in" in page.locator(".flashes").inner_text()
    assert page.get_by_label("S1 score").input_value() == "5"  # computed, accepted as it is
    assert_accessible(page)

    for item in ITEMS:
        if not item.computed:
            page.get_by_label(f"{item.key} score").select_option("4")
    page.locator("#item-O5 ~ fieldset").get_by_label("Weekly client-based group supervision").check()
    page.get_by_label("V14 recommendations").fill("Involve families in outreach")
    page.get_by_role("button", name="Save and finalise").click()
    assert "Finalise review" in page.locator("h1").inner_text()  # the confirmation step
    assert_accessible(page)
    page.get_by_role("button", name="Finalise the review").click()
    assert "Review finalised." in page.locator(".flashes").inner_text()
    summary = page.locator("main > p").first.inner_text()
    assert "of 125" in summary
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    target = tmp_path / "review.pdf"
    download.value.save_as(target)
    text = " ".join(pdf_text(target.read_bytes(), tmp_path, layout=False).split())
    assert "IPS fidelity review" in text and "Involve families in outreach" in text
    assert summary.split(" · ")[2].split(" of 125")[0].split()[-1] + " of 125" in text
