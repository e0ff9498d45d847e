"""What the report page and its PDF show, from plain rows: the CONSORT diagram, enrolment
against target over time, follow-up completeness per arm and timepoint, the primary outcome."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from caseload.metrics.numbers import percent
from caseload.rendering.charts import Series, line_chart
from caseload.rendering.pdf import render_pdf
from caseload.trial.forms import EXCLUSION_LABELS, NOT_DONE_LABELS, TIMEPOINT_LABELS
from caseload.trial.models import Trial
from caseload.trial.reports.consort import Consort, consort
from caseload.trial.reports.diagram import consort_svg
from caseload.trial.reports.outcomes import trial_outcomes
from caseload.trial.reports.rows import TrialData

MAX_CHART_POINTS = 8  # month ends shown; more would crowd the date labels


@dataclass(frozen=True)
class Completeness:
    timepoint: str
    arm: str
    due: int
    assessed: int
    pct: object


@dataclass(frozen=True)
class ReportView:
    as_of: date
    consort: Consort
    diagram: Markup
    enrolment_chart: Markup | None
    enrolled: int
    target: int
    completeness: list[Completeness]
    outcomes: dict
    locked_on: date | None


def reason_labels() -> dict[str, str]:
    return {
        **{k: str(v) for k, v in EXCLUSION_LABELS.items()},
        **{k: str(v) for k, v in NOT_DONE_LABELS.items()},
        **{k: str(v) for k, v in TIMEPOINT_LABELS.items()},
        "no_assessment": _("No assessment recorded"),
        "not_randomised": _("Eligible, not randomised"),
    }


def _month_ends(first: date, last: date) -> list[date]:
    ends, year, month = [], first.year, first.month
    while True:
        nxt = date(year + month // 12, month % 12 + 1, 1)
        end = nxt - timedelta(days=1)
        ends.append(min(end, last))
        if end >= last:
            return ends
        year, month = nxt.year, nxt.month


def enrolment_chart(data: TrialData, as_of: date) -> Markup | None:
    """Cumulative enrolment at each month's end against the target (the last months when long)."""
    dates = sorted(p.enrolled_on for p in data.participants if p.enrolled_on <= as_of)
    if not dates:
        return None
    ends = _month_ends(dates[0], as_of)
    step = -(-len(ends) // MAX_CHART_POINTS)
    ends = ends[::-1][::step][::-1]  # every step-th month, always ending on as_of
    points = tuple((end, bisect_right(dates, end)) for end in ends)
    series = [Series(_("Enrolled"), points)]
    if data.target_enrolment:
        series.append(
            Series(_("Target"), ((ends[0], data.target_enrolment), (ends[-1], data.target_enrolment)))
        )
    top = max(len(dates), data.target_enrolment, 1)
    tick = max(1, -(-top // 5))
    return line_chart(
        series,
        title=_("Enrolment against target"),
        desc=_(
            "%(n)s enrolled of a target of %(t)s by %(d)s.", n=len(dates), t=data.target_enrolment, d=as_of
        ),
        y_min=0,
        y_max=tick * 5,
        y_ticks=[tick * i for i in range(6)],
        date_label=lambda d: d.strftime("%Y-%m"),
    )


def completeness(flow: Consort) -> list[Completeness]:
    """Per timepoint and arm: assessed of those due (allocated less not yet due)."""
    rows = []
    for arm in flow.arms.values():
        for code, tp in arm.timepoints.items():
            due = arm.allocated - tp.not_due
            rows.append(Completeness(code, arm.code, due, tp.assessed, percent(tp.assessed, due)))
    return rows


def report_view(data: TrialData, as_of: date) -> ReportView:
    flow = consort(data, as_of)
    return ReportView(
        as_of=as_of,
        consort=flow,
        diagram=consort_svg(flow, reason_labels()),
        enrolment_chart=enrolment_chart(data, as_of),
        enrolled=flow.randomised,
        target=data.target_enrolment,
        completeness=completeness(flow),
        outcomes=trial_outcomes(data, as_of),
        locked_on=data.locked_on,
    )


def report_pdf(trial: Trial, data: TrialData, as_of: date, *, base_url: str) -> bytes:
    """The report as an A4 PDF (only static files and data: URLs are fetched)."""
    html = render_template(
        "trial/reports/report_pdf.html", trial=trial, view=report_view(data, as_of), labels=reason_labels()
    )
    footer = _("%(t)s · CONSORT %(d)s", t=trial.name, d=as_of.isoformat()) + " · {page}/{pages}"
    return render_pdf(html, base_url=base_url, footer=footer)
