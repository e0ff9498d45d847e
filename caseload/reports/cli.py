"""`flask --app app report …`: PDF reports from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.fidelity.queries import final_review_on
from caseload.forms import today
from caseload.reports.fidelity import fidelity_pdf
from caseload.teams.access import program_or_fail

# Rendering outside a request still needs one (translations pick the locale from it); the host is
# a placeholder that the PDF fetcher matches for static files and never contacts.
BASE_URL = "http://caseload.invalid/"


def report_group(app: Flask) -> click.Group:
    """The `report` command group, shared with any feature that adds a report."""
    existing = app.cli.commands.get("report")
    if isinstance(existing, click.Group):
        return existing
    group = AppGroup("report", help="PDF reports.")
    app.cli.add_command(group)
    return group


@click.command("fidelity")
@with_appcontext
@click.option("--program", "program_ref", required=True, help="Programme ref.")
@click.option("--as-of", "as_of", help="YYYY-MM-DD; default today in the programme's time zone.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def fidelity_report(program_ref: str, as_of: str | None, output: Path) -> None:
    """The fidelity report PDF: the final review of that date when there is one, else the computed items."""
    program = program_or_fail(db.session, program_ref)
    day = parse_date(as_of, "--as-of") or today()
    review = final_review_on(db.session, program, day)
    with current_app.test_request_context("/", base_url=BASE_URL):
        pdf = fidelity_pdf(db.session, program, day, review=review, base_url=BASE_URL)
    try:
        output.write_bytes(pdf)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror}")
    click.echo(f"{output}: {'review ' + review.ref if review else 'computed items'}, {len(pdf)} bytes")
