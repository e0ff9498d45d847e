"""`outcomes quarterly|employment|measures` and `report quarterly` (cli.md)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.forms import today
from caseload.outcomes import queries
from caseload.outcomes.display import quarterly_rows
from caseload.outcomes.employment import employment_json
from caseload.outcomes.proms import measures_json
from caseload.outcomes.quarterly import Quarter, quarterly_outcome
from caseload.outcomes.report import quarterly_pdf
from caseload.teams.access import program_or_fail

outcomes_cli = AppGroup("outcomes", help="Quarterly outcomes, the 12-month employment outcome, PROMs.")
PDF_BASE_URL = "http://localhost/"


def _offline(command):
    """Run ``command`` inside a bare request context: translations and templates need one."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        with current_app.test_request_context(base_url=PDF_BASE_URL):
            return command(*args, **kwargs)

    return wrapped


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as err:
        fail(str(err))


def _emit(result: dict, as_json: bool, lines) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for line in lines():
            click.echo(line)


@outcomes_cli.command("quarterly")
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--quarter", "quarter_text", required=True, help="e.g. 2026Q3")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout (cli.md)")
@_offline
def quarterly_command(program_ref: str, quarter_text: str, as_json: bool) -> None:
    """Quarterly outcomes of a programme (metrics.md)."""
    quarter = _quarter(quarter_text)
    data = queries.program_rows(db.session, program_or_fail(db.session, program_ref), quarter=quarter)
    outcome = quarterly_outcome(data, quarter)
    head = f"{program_ref} {quarter} ({quarter.start} – {quarter.end})"
    _emit(
        outcome.as_json(),
        as_json,
        lambda: [head] + [f"{r.label}: {r.value}" for r in quarterly_rows(outcome)],
    )


@outcomes_cli.command("employment")
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--as-of", "as_of_text", default=None, help="YYYY-MM-DD (default: today)")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout (cli.md)")
def employment_command(program_ref: str, as_of_text: str | None, as_json: bool) -> None:
    """The 12-month employment outcome per client, with summaries."""
    as_of = parse_date(as_of_text, "--as-of") or today()
    result = employment_json(
        queries.program_rows(db.session, program_or_fail(db.session, program_ref)), as_of
    )

    def lines():
        yield f"{program_ref} as of {as_of}: {result['summary']['all']}"
        for c in result["clients"]:
            yield (
                f"{c['client_ref']} entry {c['entry_date']} window to {c['window_end']}"
                f"{'' if c['window_complete'] else ' (incomplete)'}: {c['days_employed']} days, "
                f"{c['weeks_employed']} weeks, {c['hours_worked']:.1f} hours"
            )

    _emit(result, as_json, lines)


@outcomes_cli.command("measures")
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout (cli.md)")
def measures_command(program_ref: str, as_json: bool) -> None:
    """ODI %, EQ VAS and pain NRS of every questionnaire of the programme."""
    result = measures_json(
        queries.program_rows(db.session, program_or_fail(db.session, program_ref), measures=True)
    )
    _emit(
        result,
        as_json,
        lambda: [
            f"{m['client_ref']} {m['measured_on']} {m['timepoint']}: ODI {m['odi_percent']} "
            f"({m['odi_band']}), EQ VAS {m['eq_vas']}, NRS {m['pain_nrs']}"
            for m in result["measures"]
        ],
    )


@click.command("quarterly")
@with_appcontext
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--quarter", "quarter_text", required=True, help="e.g. 2026Q3")
@click.option("-o", "--output", "output", required=True, help="FILE.pdf")
@_offline
def report_quarterly_command(program_ref: str, quarter_text: str, output: str) -> None:
    """The quarterly outcomes PDF, with the chart of the last eight quarters."""
    quarter = _quarter(quarter_text)
    program = program_or_fail(db.session, program_ref)
    pdf = quarterly_pdf(program, queries.program_rows(db.session, program), quarter, base_url=PDF_BASE_URL)
    try:
        Path(output).write_bytes(pdf)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror}")
    click.echo(f"wrote {output}")


def report_group(app: Flask) -> click.Group:
    """The shared `report` group: created by the first feature that needs it."""
    group = app.cli.commands.get("report")
    if not isinstance(group, click.Group):
        group = AppGroup("report", help="PDF reports.")
        app.cli.add_command(group)
    return group


def init_app(app: Flask) -> None:
    app.cli.add_command(outcomes_cli)
    report_group(app).add_command(report_quarterly_command)
