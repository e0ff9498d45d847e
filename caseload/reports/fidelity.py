"""The fidelity report PDF (a review, or the computed items) and the pre-review data pack.

Plain data in, PDF bytes out: the context is built from the queries and pure functions of
``caseload.fidelity``; the template escapes all user text; ``render_pdf`` fetches nothing outside
the app's static folder.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from caseload.fidelity.catalogue import BY_KEY, EVIDENCE_KEYS, ITEM_KEYS, SECTIONS
from caseload.fidelity.models import FidelityReview
from caseload.fidelity.present import (
    band_label,
    evidence_lines,
    item_extra_lines,
    item_value_line,
    log_lines,
)
from caseload.fidelity.queries import fidelity_result, log_evidence, staff_of, trend
from caseload.fidelity.scoring import FidelityResult
from caseload.l10n import gettext as _
from caseload.l10n import language, local_numbers
from caseload.metrics.scale import BANDS
from caseload.rendering.charts import line_chart, series
from caseload.rendering.pdf import render_pdf
from caseload.teams.models import Program

RATIONALE_CHARS = 300
LOG_ITEMS = ("O2", "O3", "O4", "O5")
PER_SPECIALIST = ("S1", "V6", "V13", "O1")


def _frozen(review: FidelityReview | None, key: str, part: str):
    if review is None or review.status != "final":
        return None
    item = next(i for i in review.items if i.code == key)
    return item.checklist.get(part)


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= RATIONALE_CHARS else text[: RATIONALE_CHARS - 1] + "…"


def _rationale(key: str, computed: dict | None, item) -> str:
    parts = []
    if item is not None and item.override_reason:
        parts.append(_("Computed score overridden: %(why)s", why=item.override_reason))
    elif computed is not None:
        parts.append(_("Computed: %(value)s", value=item_value_line(key, computed)))
    if item is not None and BY_KEY[key].checklist:
        ticked = len(item.checklist.get("ticked", []))
        parts.append(_("%(n)d of %(m)d elements present", n=ticked, m=len(BY_KEY[key].checklist)))
    if item is not None and item.notes:
        parts.append(_short(item.notes))
    if item is None and computed is None:
        parts.append(_("Scored by the reviewers with the evidence below"))
    return " · ".join(parts)


def item_rows(result: FidelityResult, review: FidelityReview | None, logs: dict) -> list[dict]:
    """All 25 items for the report: score, rationale, computed numbers and evidence in words."""
    saved = {i.code: i for i in review.items} if review is not None else {}
    rows = []
    for key in ITEM_KEYS:
        computed = _frozen(review, key, "computed") or (
            result.items[key].as_json() if key in result.items else None
        )
        evidence = _frozen(review, key, "evidence") or (
            result.evidence[key].as_json() if key in EVIDENCE_KEYS else None
        )
        item = saved.get(key)
        lines = [item_value_line(key, computed), *item_extra_lines(key, computed)] if computed else []
        lines += evidence_lines(key, evidence) if evidence else []
        lines += log_lines(key, logs) if key in LOG_ITEMS else []
        rows.append(
            {
                "key": key,
                "name": BY_KEY[key].name,
                "section": BY_KEY[key].section,
                "score": item.score if item is not None else (computed or {}).get("score"),
                "computed_score": (computed or {}).get("score"),
                "rationale": _rationale(key, computed, item),
                "lines": lines,
                "recommendations": item.recommendations if item is not None else None,
            }
        )
    return rows


# A programme's final reviews change a few times a year and its page is opened all day: its trend
# charts (26 SVGs, a sixth of the page's time) are kept per language, as pure functions of their points.
CHARTS_KEPT = 1024


def total_chart(points) -> Markup:
    """The trend of the fidelity total over the final reviews: one chart for screen and PDF."""
    return _total_chart(tuple(points), language())


@lru_cache(maxsize=CHARTS_KEPT)
def _total_chart(points: tuple, _language: str) -> Markup:
    return line_chart(
        [series(_("Total"), points)],
        title=_("Fidelity total over the final reviews"),
        desc=_("Totals from 25 to 125; 115 and over exemplary, 100 good, 74 fair, 73 and under not IPS."),
        y_min=25,
        y_max=125,
        y_ticks=(25, 50, 75, 100, 125),
        benchmarks=[(floor, band_label(band)) for floor, band in BANDS],
    )


def item_chart(key: str, name: object, points) -> Markup:
    """The trend of one item's score over the final reviews."""
    return _item_chart(key, str(name), tuple(points), language())


@lru_cache(maxsize=CHARTS_KEPT)
def _item_chart(key: str, name: str, points: tuple, _language: str) -> Markup:
    return line_chart(
        [series(key, points)],
        title=_("%(key)s %(name)s: score over the final reviews", key=key, name=name),
        desc=_("Scores from 1 to 5 by review date."),
        y_min=1,
        y_max=5,
        y_ticks=(1, 2, 3, 4, 5),
        width=320,
        height=170,
    )


def trend_charts(session: Session, program: Program, until: date) -> dict:
    """The total's trend chart (the same SVG as on screen) and item scores by review."""
    history = trend(session, program, until=until)
    chart = total_chart(history["total"]) if history["reviews"] else None
    return {"chart": chart, "reviews": history["reviews"][-6:], "items": history["items"]}


def _per_specialist(session: Session, program: Program, result: FidelityResult) -> list[dict]:
    names = {u.email: u.name for u in staff_of(session, program)}
    return [
        {
            "key": key,
            "email": p.email,
            "name": names.get(p.email, p.email),
            "value": p.value,
            "score": p.score,
        }
        for key in PER_SPECIALIST
        for p in result.items[key].by_specialist
    ]


def fidelity_context(
    session: Session, program: Program, as_of: date, *, review: FidelityReview | None = None, mode: str
) -> dict:
    """Everything the report template shows; ``mode`` is review, computed or snapshot."""
    result = fidelity_result(session, program, as_of)
    logs = _frozen(review, "O2", "logs") or log_evidence(session, program, as_of)
    return {
        "mode": mode,
        "program": program,
        "as_of": as_of,
        "review": review,
        "result": result,
        "sections": SECTIONS,
        "rows": item_rows(result, review, logs),
        "trend": trend_charts(session, program, as_of),
        "per_specialist": _per_specialist(session, program, result) if mode == "snapshot" else [],
    }


def fidelity_pdf(
    session: Session,
    program: Program,
    as_of: date,
    *,
    base_url: str,
    review: FidelityReview | None = None,
    snapshot: bool = False,
) -> bytes:
    """The report of a review, of the computed items (no review), or the pre-review data pack."""
    mode = "snapshot" if snapshot else ("review" if review is not None else "computed")
    html = render_template(
        "reports/fidelity.html",
        num=local_numbers,
        **fidelity_context(session, program, as_of, review=review, mode=mode),
    )
    return render_pdf(html, base_url=base_url, footer=_("Page {page} of {pages}"))
