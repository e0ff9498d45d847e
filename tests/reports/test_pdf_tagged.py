"""Every PDF the app writes is tagged PDF/UA-1 with its language and title, so a screen reader can
read it; Norwegian PDFs write decimals with a comma.

The PDFs: the fidelity report of a review, the fidelity report for a date (computed items), the
pre-review data pack, the quarterly outcomes report (web and command line), and the fidelity
report from the command line.
"""

from __future__ import annotations

import re

import pytest

from tests.fidelity.conftest import AS_OF
from tests.outcomes.world import build
from tests.reports.test_fidelity_pdf import _final_review
from tests.reports.test_pdf import pdf_language, pdf_text, pdf_tool

Q = "2025Q1"


def _assert_accessible(pdf: bytes, tmp_path, lang: str, title: str) -> None:
    info = pdf_tool("pdfinfo", pdf, tmp_path)
    assert "Tagged:          yes" in info
    assert re.search(r"^Title:\s+\S", info, re.M), info
    assert re.search(rf"^Title:\s+{re.escape(title)}", info, re.M), info
    assert 'pdfuaid:part="1"' in pdf_tool("pdfinfo", pdf, tmp_path, "-meta")
    assert pdf_language(pdf) == lang


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_fidelity_pdf_is_tagged_with_language_and_title(
    client, login_as, db, programme, tmp_path, lang
):
    programme.sup.language = lang
    db.session.commit()
    login_as(user=programme.sup)
    review = _final_review(client, db, programme)
    ref, day = programme.program.ref, AS_OF.isoformat()
    urls = {
        f"/reports/fidelity/reviews/{review.ref}.pdf": "IPS fidelity review",
        f"/reports/fidelity/{ref}.pdf?as_of=2026-01-05": "IPS fidelity: items computed from the records",
        f"/reports/fidelity/{ref}/snapshot.pdf?as_of={day}": "IPS fidelity: pre-review data pack",
    }
    for url, english_title in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        title = english_title if lang == "en" else ""
        _assert_accessible(response.data, tmp_path, lang, title)


@pytest.mark.parametrize(("lang", "rate"), [("en", "33.3"), ("nb", "33,3")])
def test_the_quarterly_pdf_is_tagged_and_writes_decimals_the_languages_way(
    client, login_as, db, tmp_path, lang, rate
):
    world = build(db.session)
    world.supervisor.language = lang
    db.session.commit()
    login_as(user=world.supervisor)
    response = client.get(f"/programs/{world.program.ref}/outcomes/quarterly.pdf?quarter={Q}")
    assert response.status_code == 200
    _assert_accessible(response.data, tmp_path, lang, "")
    text = pdf_text(response.data, tmp_path)
    assert rate in text
    other = "33,3" if lang == "en" else "33.3"
    assert other not in text


def test_the_command_line_pdfs_are_tagged(runner, db, programme, tmp_path):
    world = build(db.session)
    db.session.commit()
    quarterly, fidelity = tmp_path / "q.pdf", tmp_path / "f.pdf"
    args = ["report", "quarterly", "--program", world.program.ref, "--quarter", Q, "-o", str(quarterly)]
    assert runner.invoke(args=args).exit_code == 0
    args = ["report", "fidelity", "--program", programme.program.ref, "--as-of", AS_OF.isoformat()]
    args += ["-o", str(fidelity)]
    assert runner.invoke(args=args).exit_code == 0
    for path in (quarterly, fidelity):
        _assert_accessible(path.read_bytes(), tmp_path, "en", "")
