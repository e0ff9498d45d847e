"""A programme-wide fidelity report over a year of data: computed and rendered in a bounded number of
statements (no query per client, specialist or review), so its time grows with the data only in Python.

The time itself is measured by `make bench` at region scale (bench/items.py: fidelity_compute,
report_fidelity, report_fidelity_review; docs/performance.md), not here: CPU time on a machine
shared with other test suites says little, and a test that fails on a slow day teaches nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from caseload.fidelity import services
from caseload.fidelity.queries import fidelity_result
from caseload.reports.fidelity import fidelity_pdf
from tests.fidelity.year_of_data import seed_year

pytestmark = pytest.mark.slow
AS_OF = date(2026, 6, 30)
BASE = "http://caseload.invalid/"
# Statements of one computation and of one report, whatever the number of clients, specialists and
# reviews: a loader that queried per row would send hundreds here (120 clients, 6 specialists).
COMPUTE_STATEMENTS = 15  # with the jobs' hours changes (the shared job loader)
REPORT_STATEMENTS = 25


@contextmanager
def statements(engine, counted: dict, label: str):
    """Count the SQL statements sent during the block under ``label``."""
    counted[label] = 0

    def count(*_args) -> None:
        counted[label] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_year_of_data_computes_and_reports_in_a_bounded_number_of_statements(app, db, in_request):
    program = seed_year(db.session, AS_OF)
    db.session.commit()
    counted: dict = {}
    with statements(db.engine, counted, "compute"):
        result = fidelity_result(db.session, program, AS_OF)
    with statements(db.engine, counted, "pack"):
        pdf = fidelity_pdf(db.session, program, AS_OF, snapshot=True, base_url=BASE)
    assert result.items["S1"].value is not None and pdf.startswith(b"%PDF")
    assert counted["compute"] <= COMPUTE_STATEMENTS and counted["pack"] <= REPORT_STATEMENTS


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


def test_a_review_report_with_its_trend_over_a_year_renders_in_a_bounded_number_of_statements(
    app, db, in_request
):
    program = seed_year(db.session, AS_OF)
    supervisor = next(u for u in program.staff if u.role == "supervisor")
    for day in (date(2025, 7, 1), date(2026, 1, 5)):
        _final_review(db, program, day, supervisor.id)
    review = _final_review(db, program, AS_OF, supervisor.id)
    db.session.commit()
    counted: dict = {}
    with statements(db.engine, counted, "review report"):
        pdf = fidelity_pdf(db.session, program, AS_OF, review=review, base_url=BASE)
    assert pdf.startswith(b"%PDF")
    assert counted["review report"] <= REPORT_STATEMENTS
