"""The fidelity pages: who sees what, the computed items, the records behind them."""

from __future__ import annotations

from tests.fidelity.conftest import AS_OF


def _url(programme, path: str = "") -> str:
    return f"/fidelity/programs/{programme.program.ref}{path}?as_of={AS_OF.isoformat()}"


def test_supervisor_sees_the_programmes_computed_items_and_reviews(client, login_as, programme):
    login_as(user=programme.sup)
    page = client.get(_url(programme))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "S1 Caseload size" in html and "Start a review" in html and "V12" in html
