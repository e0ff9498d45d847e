"""The quarterly outcomes report as PDF: the same rows and chart as the page, from plain data."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from caseload.forms import today
from caseload.l10n import local_numbers
from caseload.outcomes.pages import quarterly_view
from caseload.outcomes.quarterly import Quarter
from caseload.rendering.pdf import render_pdf
from caseload.rows import ProgramData
from caseload.teams.models import Program


def quarterly_report_html(program: Program, data: ProgramData, quarter: Quarter) -> str:
    """The report's HTML: the quarter's table with benchmarks and the last eight quarters."""
    view = quarterly_view(program, data, quarter)
    return render_template(
        "outcomes/quarterly_report.html", view=view, generated_on=today(), num=local_numbers
    )


def quarterly_pdf(program: Program, data: ProgramData, quarter: Quarter, *, base_url: str) -> bytes:
    """Render the quarterly report to PDF bytes (only static files and data: URLs are fetched)."""
    html = quarterly_report_html(program, data, quarter)
    footer = _("%(p)s · quarterly outcomes %(q)s", p=program.name, q=quarter) + " · {page}/{pages}"
    return render_pdf(html, base_url=base_url, footer=footer)
