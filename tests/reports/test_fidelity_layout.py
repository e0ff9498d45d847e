"""The fidelity report's pages as a funder reads them: the items start on the first page, no row
is left alone on a page, and the trend is on one page."""

from __future__ import annotations

import re
import subprocess

from tests.fidelity.conftest import AS_OF
from tests.reports.test_fidelity_pdf import _final_review


def _pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout.split("\f")[:-1]


def test_the_items_start_on_the_first_page_and_no_row_is_alone(client, login_as, db, programme, tmp_path):
    login_as(user=programme.sup)
    notes = "Observed in team meetings and in the specialist's log over thirteen weeks. " * 3
    review = _final_review(client, db, programme, **{f"items-{i}-notes": notes for i in range(25)})
    pdf = client.get(f"/reports/fidelity/reviews/{review.ref}.pdf").data
    pages = _pages(pdf, tmp_path)
    assert "S1 Caseload size" in pages[0]  # the cover does not take a page of its own
    assert "The 25 items" in pages[0]
    items_end = next(i for i, page in enumerate(pages) if "Computed evidence" in page)
    table = [*pages[:items_end], pages[items_end].split("Computed evidence")[0]]
    table[0] = table[0].split("The 25 items")[1]  # not the cover's total
    row = re.compile(rf"^\s{{0,3}}([SOV]\d{{1,2}} \S|Total\s+{review.total}\b)", re.M)
    rows = [len(row.findall(page)) for page in table]
    assert sum(rows) == 26  # 25 items and the total
    assert 1 not in rows, rows  # no page holds a single row of the table
    assert re.search(rf"V14 .*\n(.*\n)*\s*Total\s+{review.total}\b", table[-1] or table[-2])


def test_the_trend_is_on_one_page(client, login_as, db, programme, tmp_path):
    login_as(user=programme.sup)
    _final_review(client, db, programme)
    pdf = client.get(f"/reports/fidelity/{programme.program.ref}.pdf?as_of={AS_OF.isoformat()}").data
    trend = [page for page in _pages(pdf, tmp_path) if "Trend" in page or "Fidelity total over" in page]
    assert len(trend) == 1
    assert "S1" in trend[0] and "V14" in trend[0] and "Exemplary fidelity 115" in trend[0]
