"""The data of the outcome pages, the PDF and the programme page's outcomes section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from caseload.clients.models import Client
from caseload.outcomes.display import Row, prom_charts, quarterly_rows, rate_chart
from caseload.outcomes.employment import employment_outcomes, summarise, summary_by_arm
from caseload.outcomes.models import OutcomeMeasure
from caseload.outcomes.proms import measure_schedule, scored_measures
from caseload.outcomes.quarterly import Quarter, QuarterlyOutcome, quarterly_series
from caseload.outcomes.queries import measure_rows
from caseload.outcomes.stored import program_quarter
from caseload.rows import ProgramData
from caseload.teams.models import Program

COUNT_LINK_LIMIT = 500  # beyond this, the count links to the list page only


@dataclass
class QuarterlyView:
    """A quarter's outcomes with the last eight quarters, ready to show."""

    program: Program
    quarter: Quarter
    outcome: QuarterlyOutcome
    series: list[QuarterlyOutcome]
    rows: list[Row]
    chart: object  # None where only the quarter is shown


def default_quarter(today: date) -> Quarter:
    """The last complete quarter: the one reports are sent for."""
    return Quarter.containing(today).previous()


def quarterly_view(program: Program, data: ProgramData, quarter: Quarter) -> QuarterlyView:
    """Compute the quarter and its eight-quarter series from the programme's rows."""
    series = quarterly_series(data, quarter)
    outcome = series[-1]
    return QuarterlyView(program, quarter, outcome, series, quarterly_rows(outcome), rate_chart(series))


def employment_view(data: ProgramData, as_of: date) -> dict:
    """Per-client employment outcomes and their summaries (all, by arm) as of ``as_of``."""
    outcomes = employment_outcomes(data, as_of)
    return {
        "as_of": as_of,
        "outcomes": outcomes,
        "all": summarise(outcomes),
        "by_arm": summary_by_arm(outcomes),
    }


def program_outcomes_context(
    session: Session, program: Program, today: date, quarter: Quarter | None = None
) -> dict:
    """The context of ``outcomes/_program_section.html`` for the programme page: one quarter's table,
    as stored for that quarter or computed from the rows it depends on and stored
    (``outcomes.stored``); the chart of eight quarters and the per-client employment outcome are on
    the outcomes page it links to."""
    quarter = quarter or default_quarter(today)
    outcome = program_quarter(session, program, quarter)
    return {
        "outcomes_view": QuarterlyView(program, quarter, outcome, [outcome], quarterly_rows(outcome), None)
    }


def client_prom_view(client: Client, measures: list[OutcomeMeasure]) -> dict:
    """A client's scored questionnaires, their three charts and the baseline/6m/12m schedule."""
    rows = measure_rows(client, measures)
    scored = scored_measures(rows)
    return {
        "measures": scored,
        "records": {m.ref: m for m in measures},
        "charts": prom_charts(scored),
        "schedule": measure_schedule(client.ref, client.entry_date, rows),
    }
