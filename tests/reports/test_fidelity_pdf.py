"""The fidelity report and data pack PDFs: contents, access, and user text that fetches nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from caseload.fidelity.catalogue import ITEMS
from caseload.fidelity.models import FidelityReview
from tests import factories
from tests.fidelity.conftest import AS_OF
from tests.fidelity.test_views import review_form_data
from tests.reports.test_pdf import pdf_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _final_review(client, db, programme, **changes) -> FidelityReview:
    base = f"/fidelity/programs/{programme.program.ref}"
    client.post(f"{base}/reviews/new", data={"review_date": AS_OF.isoformat(), "reviewers": "Ann Reviewer"})
    review = db.session.scalars(select(FidelityReview)).one()
    data = review_form_data(review, finalise="1", **changes)
    assert client.post(f"/fidelity/reviews/{review.ref}", data=data).status_code == 302
    db.session.refresh(review)
    confirmed = client.post(f"/fidelity/reviews/{review.ref}/finalise", data={"version": review.version})
    assert confirmed.status_code == 302
    db.session.refresh(review)
    return review


def test_review_pdf_has_every_item_the_total_and_the_band(client, login_as, db, programme, tmp_path):
    login_as(user=programme.sup)
    review = _final_review(client, db, programme, **{"items-24-recommendations": "Visit families more often"})
    page = client.get(f"/reports/fidelity/reviews/{review.ref}.pdf")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    assert "attachment" in page.headers["Content-Disposition"]
    text = _flat(pdf_text(page.data, tmp_path, layout=False))
    missing = [f"{i.key} {i.name}" for i in ITEMS if f"{i.key} {i.name}" not in text]
    assert missing == []
    assert f"{review.total} of 125" in text and "Page 1 of" in text
    assert {"good": "Good fidelity", "fair": "Fair fidelity"}.get(review.band, "fidelity") in text
    assert "Ann Reviewer" in text and "Visit families more often" in text


def test_report_for_a_date_without_review_shows_the_computed_items(client, login_as, programme, tmp_path):
    login_as(user=programme.sup)
    page = client.get(f"/reports/fidelity/{programme.program.ref}.pdf?as_of={AS_OF.isoformat()}")
    text = _flat(pdf_text(page.data, tmp_path, layout=False))
    assert page.status_code == 200 and "items computed from the records" in text
    assert all(f"{i.key} {i.name}" in text for i in ITEMS)


def test_report_for_the_date_of_a_final_review_is_that_review(client, login_as, db, programme, tmp_path):
    login_as(user=programme.sup)
    review = _final_review(client, db, programme)
    page = client.get(f"/reports/fidelity/{programme.program.ref}.pdf?as_of={AS_OF.isoformat()}")
    assert review.ref in _flat(pdf_text(page.data, tmp_path, layout=False))


def test_data_pack_has_the_computed_items_per_specialist(client, login_as, programme, tmp_path):
    login_as(user=programme.sup)
    page = client.get(f"/reports/fidelity/{programme.program.ref}/snapshot.pdf?as_of={AS_OF.isoformat()}")
    text = _flat(pdf_text(page.data, tmp_path, layout=False))
    assert page.status_code == 200 and "pre-review data pack" in text
    assert "Siri Spec" in text and "Per Spec" in text and "S1 Caseload size" in text


@pytest.mark.parametrize("role", ["specialist", "clinician", "admin"])
def test_only_supervisors_download_fidelity_pdfs(client, login_as, programme, role):
    login_as(role, prog=programme.program)
    ref = programme.program.ref
    assert client.get(f"/reports/fidelity/{ref}.pdf").status_code == 404
    assert client.get(f"/reports/fidelity/{ref}/snapshot.pdf").status_code == 404


def planted(server: str) -> str:
    """User text trying every way out of the PDF: a file, a server, CSS url() and @import."""
    return (
        f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="{server}/link.css">'
        f'<style>@import url("{server}/import.css"); body {{ background: url({server}/bg.png) }}</style>'
        f'<div style="background-image: url({server}/inline.png)">x</div>'
    )


def test_user_text_in_the_report_reaches_no_file_and_no_server(
    client, login_as, db, programme, counting_server, tmp_path
):
    server, hits = counting_server
    evil = planted(server)
    short = (
        f'<img src="file:///etc/passwd"><link rel="stylesheet" href="{server}/name.css">'  # names: 200 chars
    )
    programme.program.name = "Oslo " + short
    programme.clients[0].name = short
    factories.referral(db.session, programme.program, received_on=AS_OF, decision="declined", reason=evil)
    db.session.commit()
    login_as(user=programme.sup)
    changes = {"notes": evil, "reviewers": evil, "items-3-notes": evil, "items-3-recommendations": evil}
    review = _final_review(client, db, programme, **changes)
    pdfs = [
        client.get(f"/reports/fidelity/reviews/{review.ref}.pdf").data,
        client.get(f"/reports/fidelity/{programme.program.ref}/snapshot.pdf?as_of={AS_OF.isoformat()}").data,
    ]
    texts = [_flat(pdf_text(pdf, tmp_path, layout=False)) for pdf in pdfs]
    assert hits == []
    assert all("root:" not in t for t in texts)
    assert '<img src="file:///etc/passwd">' in texts[0]  # printed as the text it is
    assert "Declined: " in texts[0] and "@import" in texts[0]
