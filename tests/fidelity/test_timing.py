"""A programme-wide fidelity report over a year of data renders in under 3 seconds.

The budget is checked on this process's CPU time: the test machine is shared, and wall-clock time
under other people's load says little about the code. Both are printed (pytest -s).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import date

import pytest

from caseload.fidelity import services
from caseload.fidelity.queries import fidelity_result
from caseload.reports.fidelity import fidelity_pdf
from tests.fidelity.year_of_data import seed_year

pytestmark = pytest.mark.slow
AS_OF = date(2026, 6, 30)
BASE = "http://caseload.invalid/"


@contextmanager
def timed(label: str, spent: dict):
    """Record CPU and wall seconds of the block under ``label``."""
    cpu, wall = time.process_time(), time.perf_counter()
    yield
    spent[label] = (time.process_time() - cpu, time.perf_counter() - wall)
    print(f"\n{label}: {spent[label][0]:.2f} s CPU, {spent[label][1]:.2f} s wall")


def test_a_year_of_data_computes_in_1s_and_reports_in_3s(app, db, in_request):
    program = seed_year(db.session, AS_OF)
    spent: dict = {}
    with timed("fidelity compute", spent):
        result = fidelity_result(db.session, program, AS_OF)
    with timed("pre-review data pack", spent):
        pdf = fidelity_pdf(db.session, program, AS_OF, snapshot=True, base_url=BASE)
    assert result.items["S1"].value is not None and pdf.startswith(b"%PDF")
    assert spent["fidelity compute"][0] < 1.0 and spent["pre-review data pack"][0] < 3.0


def _final_review(db, program, day: date, user_id: int):
    result = fidelity_result(db.session, program, day)
    review = services.review_start(
        db.session, program=program, review_date=day, reviewers="R", result=result, user_id=user_id
    )
    items = {i.code: services.ItemInput(i.computed_score or 3) for i in review.items}
    services.review_save(
        db.session,
        review=review,
        version=review.version,
        reviewers="R",
        notes=None,
        items=items,
        user_id=user_id,
    )
    return services.review_finalise(
        db.session, review=review, version=review.version, result=result, user_id=user_id
    )


def test_a_review_report_with_its_trend_over_a_year_renders_in_3s(app, db, in_request):
    program = seed_year(db.session, AS_OF)
    supervisor = next(u for u in program.staff if u.role == "supervisor")
    for day in (date(2025, 7, 1), date(2026, 1, 5)):
        _final_review(db, program, day, supervisor.id)
    review = _final_review(db, program, AS_OF, supervisor.id)
    db.session.commit()
    spent: dict = {}
    with timed("review report with trend", spent):
        pdf = fidelity_pdf(db.session, program, AS_OF, review=review, base_url=BASE)
    assert pdf.startswith(b"%PDF") and spent["review report with trend"][0] < 3.0
