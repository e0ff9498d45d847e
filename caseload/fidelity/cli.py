"""`flask --app app fidelity compute`: the computed items and evidence of metrics.md."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from caseload.cli import parse_date
from caseload.extensions import db
from caseload.fidelity.catalogue import BY_KEY
from caseload.fidelity.present import evidence_lines, item_extra_lines, item_value_line
from caseload.fidelity.queries import fidelity_result
from caseload.forms import today
from caseload.teams.access import program_or_fail

fidelity_cli = AppGroup("fidelity", help="IPS-25 fidelity: the items computed from the records.")


@fidelity_cli.command("compute")
@click.option("--program", "program_ref", required=True, help="Programme ref.")
@click.option("--as-of", "as_of", help="YYYY-MM-DD; default today in the programme's time zone.")
@click.option("--json", "as_json", is_flag=True, help="The JSON of cli.md on stdout.")
def compute(program_ref: str, as_of: str | None, as_json: bool) -> None:
    """Computed items and evidence of metrics.md for one programme."""
    program = program_or_fail(db.session, program_ref)
    result = fidelity_result(db.session, program, parse_date(as_of, "--as-of") or today())
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=1))
        return
    with current_app.test_request_context("/"):  # translations pick a locale from a request
        click.echo(
            f"{program.ref} as of {result.as_of} (activity window {result.window.start}–{result.window.end})"
        )
        for key, item in result.items.items():
            score = "—" if item.score is None else item.score
            click.echo(f"{key:4} {score}  {BY_KEY[key].name}: {item_value_line(key, item.as_json())}")
            for line in item_extra_lines(key, item.as_json()):
                click.echo(f"        {line}")
        for key, ev in result.evidence.items():
            click.echo(f"{key:4} {BY_KEY[key].name}")
            for line in evidence_lines(key, ev.as_json()):
                click.echo(f"        {line}")
