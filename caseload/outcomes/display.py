"""What the outcome pages and the PDF show: labelled rows, benchmarks and SVG charts.

The charts are the shared server-rendered SVG of ``caseload.rendering.charts`` (a leaf module with no
feature imports), so screen and PDF draw them with the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from caseload.l10n import gettext as _
from caseload.l10n import lazy_gettext as _l
from caseload.l10n import local_date, local_display
from caseload.outcomes.proms import ScoredMeasure
from caseload.outcomes.quarterly import (
    IN_WORK_AT_ENTRY_MAX,
    OUT_OF_WORK_BENCHMARK,
    RATE_BENCHMARKS,
    Quarter,
    QuarterlyOutcome,
    benchmark_reached,
)
from caseload.rendering.charts import Series, line_chart

LABELS = {
    "clients_served": _l("Clients served"),
    "clients_working": _l("Clients working in a competitive job"),
    "employment_rate": _l("Quarterly employment rate (%) — not a cumulative rate"),
    "out_of_work_served": _l("Served clients out of work at entry"),
    "out_of_work_working": _l("… of them working in a competitive job"),
    "out_of_work_employment_rate": _l("Quarterly employment rate of clients out of work at entry (%)"),
    "job_starts": _l("Competitive job starts"),
    "first_job_starts": _l("First competitive job starts"),
    "new_clients": _l("New clients"),
    "in_work_at_entry_pct": _l("New clients in work (employed or on sick leave) at entry (%)"),
    "referrals_received": _l("Referrals received"),
    "referrals_accepted": _l("Referrals accepted"),
    "closures": _l("Closures"),
}
BENCHMARK_NAMES = {"minimal": _l("minimal"), "average": _l("average"), "excellent": _l("excellent")}
RATE_TICKS = (0, 25, 50, 75, 100)  # the benchmarks are lines of their own, named


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the quarterly table."""

    key: str
    label: object
    value: str
    count: int | None  # for counts: the number of refs behind it (links)
    note: str = ""


def _rate_note(key: str, outcome: QuarterlyOutcome) -> str:
    rate = outcome.rates[key]
    if key == "employment_rate":
        marks = " · ".join(f"{n} {BENCHMARK_NAMES[name]}" for name, n in RATE_BENCHMARKS)
        reached = benchmark_reached(rate)
        got = _("reached: %(b)s", b=BENCHMARK_NAMES[reached]) if reached else _("below the minimal benchmark")
        return _("Benchmarks (US quarterly rate): %(m)s", m=marks) + ("" if rate is None else f"; {got}")
    if key == "out_of_work_employment_rate":
        return _("IPS Grow benchmark: %(n)d", n=OUT_OF_WORK_BENCHMARK)
    return _("IPS Grow: keep at or below %(n)d", n=IN_WORK_AT_ENTRY_MAX)


def quarterly_rows(outcome: QuarterlyOutcome) -> list[Row]:
    """The quarterly table as labelled rows, rates rounded to 1 decimal with their benchmarks."""
    rows = []
    for key, label in LABELS.items():
        if key in outcome.counts:
            rows.append(Row(key, label, str(outcome.counts[key]), outcome.counts[key]))
        else:
            rows.append(Row(key, label, local_display(outcome.rates[key]), None, _rate_note(key, outcome)))
    return rows


def _quarter_label(day: date) -> str:
    return str(Quarter.containing(day))


def rate_chart(series: Sequence[QuarterlyOutcome]) -> Markup:
    """The quarterly employment rates over the given quarters, benchmarks as grid lines."""
    lines = [
        Series(_("Employment rate"), tuple((o.quarter.start, o.rates["employment_rate"]) for o in series)),
        Series(
            _("Out of work at entry"),
            tuple((o.quarter.start, o.rates["out_of_work_employment_rate"]) for o in series),
        ),
    ]
    first, last = series[0].quarter, series[-1].quarter
    return line_chart(
        lines,
        title=_("Quarterly employment rate, %(a)s to %(b)s", a=first, b=last),
        desc=_(
            "Percent of clients served who worked in a competitive job in each quarter (not "
            "cumulative). Grid lines at the benchmarks 31 (minimal), 41 (average), 50 (excellent)."
        ),
        y_min=0,
        y_max=100,
        y_ticks=RATE_TICKS,
        date_label=_quarter_label,
        benchmarks=[(n, str(BENCHMARK_NAMES[name])) for name, n in RATE_BENCHMARKS],
    )


def prom_charts(measures: Sequence[ScoredMeasure]) -> list[Markup]:
    """Three trend charts of one client's questionnaires: ODI %, EQ VAS and pain NRS."""
    if not measures:
        return []
    specs = (
        (_("ODI (%) — higher is more disability"), "odi_percent", 100, (0, 20, 40, 60, 80, 100)),
        (_("EQ VAS — higher is better health"), "eq_vas", 100, (0, 25, 50, 75, 100)),
        (_("Pain NRS — higher is more pain"), "pain_nrs", 10, (0, 2, 4, 6, 8, 10)),
    )
    charts = []
    for title, attr, top, ticks in specs:
        points = tuple((m.measured_on, getattr(m, attr)) for m in measures)
        places = 1 if attr == "odi_percent" else 0
        desc = "; ".join(f"{local_date(d)}: {local_display(v, places)}" for d, v in points)
        charts.append(
            line_chart(
                [Series(title, points)],
                title=title,
                desc=desc,
                y_min=0,
                y_max=top,
                y_ticks=ticks,
                width=420,
                height=200,
            )
        )
    return charts
