"""`trial consort|outcomes|export|lock` (cli.md): JSON on stdout, one-line errors."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.forms import today
from caseload.trial.export import FORMATS, canonical_csv, write_export
from caseload.trial.lock import trial_lock
from caseload.trial.models import Trial
from caseload.trial.reports.consort import consort
from caseload.trial.reports.loading import trial_data
from caseload.trial.reports.outcomes import trial_outcomes
from caseload.trial.reports.rows import TrialData
from caseload.writes import DomainError

STATISTICIAN = "statistician"
trial_option = click.option("--trial", "trial_ref", help="trial ref (needed when there are several)")


def trial_or_fail(ref: str | None) -> Trial:
    """The trial ``ref``, or the only trial there is, or a one-line failure."""
    query = select(Trial).order_by(Trial.id)
    if ref is not None:
        query = query.where(Trial.ref == ref)
    found = db.session.scalars(query.limit(2)).all()
    if not found:
        fail(f"no trial {ref!r}" if ref else "no trial has been set up")
    if len(found) > 1:
        fail("several trials: say which with --trial REF")
    return found[0]


def _echo(result: dict) -> None:
    click.echo(json.dumps(result, ensure_ascii=False, indent=1))


def _text_lines(result: dict) -> None:
    for key, value in result.items():
        click.echo(f"{key}: {json.dumps(value, ensure_ascii=False)}")


def _report_options(as_of_help: str):
    """The options of a report command: the trial, the day it is counted on, JSON or text."""

    def wrap(command):
        for option in reversed(
            (
                trial_option,
                click.option("--as-of", "as_of_text", help=as_of_help),
                click.option("--json", "as_json", is_flag=True, help="JSON on stdout (cli.md)"),
                with_appcontext,
            )
        ):
            command = option(command)
        return command

    return wrap


def _report(
    trial_ref: str | None,
    as_of_text: str | None,
    as_json: bool,
    action: str,
    count: Callable[[TrialData, date], dict],
) -> None:
    """Count a report of the trial on a day (default today), audit the reading, print it."""
    trial = trial_or_fail(trial_ref)
    as_of = parse_date(as_of_text, "--as-of") or today()
    result = count(trial_data(db.session, trial), as_of)
    audit(db.session, action=action, target=trial.ref)
    db.session.commit()
    (_echo if as_json else _text_lines)(result)


@click.command("consort")
@_report_options("the day the flow is counted on (default today)")
def consort_command(trial_ref: str | None, as_of_text: str | None, as_json: bool) -> None:
    """The CONSORT 2010 flow: screened, excluded, randomised, per arm and timepoint."""
    _report(trial_ref, as_of_text, as_json, "trial_consort", lambda data, on: consort(data, on).as_json())


@click.command("outcomes")
@_report_options("the day the outcomes are counted on (default today)")
def outcomes_command(trial_ref: str | None, as_of_text: str | None, as_json: bool) -> None:
    """The primary and secondary outcomes by arm, and the difference with its 95 % interval."""
    _report(trial_ref, as_of_text, as_json, "trial_outcomes", trial_outcomes)


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@trial_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--as-of", "as_of_text", help="the day the rows are taken on (default: the lock date, else today)"
)
@with_appcontext
def export_command(directory: Path, trial_ref: str | None, fmt: str, as_of_text: str | None) -> None:
    """The analysis export: one row per participant per timepoint, codebook and manifest."""
    trial = trial_or_fail(trial_ref)
    data = trial_data(db.session, trial)
    as_of = parse_date(as_of_text, "--as-of") or data.locked_on or today()
    try:
        info = write_export(data, as_of, directory, fmt)
    except OSError as err:
        fail(f"cannot write {directory}: {err.strerror}")
    audit(db.session, action="trial_export", target=trial.ref)
    db.session.commit()
    _echo({**info, "directory": str(directory), "format": fmt})


@click.command("lock")
@trial_option
@click.option("--by", "email", required=True, help="the statistician who locks (e-mail)")
@click.option("--on", "on_text", help="lock the data up to this day (default today)")
@with_appcontext
def lock_command(trial_ref: str | None, email: str, on_text: str | None) -> None:
    """Lock the trial's screening, allocations and assessments (the statistician)."""
    trial = trial_or_fail(trial_ref)
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.role != STATISTICIAN:
        fail(f"{email!r} is not a statistician")
    locked_on = parse_date(on_text, "--on") or today()
    try:
        trial_lock(db.session, trial=trial, user_id=user.id, locked_on=locked_on, today=today())
    except DomainError as err:
        db.session.rollback()
        fail(str(err))
    db.session.commit()
    csv_bytes = canonical_csv(trial_data(db.session, trial), locked_on)
    _echo(
        {
            "trial": trial.ref,
            "locked_on": locked_on.isoformat(),
            "sha256": hashlib.sha256(csv_bytes).hexdigest(),
        }
    )


def register(group: AppGroup) -> None:
    """Add the report commands to the ``trial`` group."""
    for command in (consort_command, outcomes_command, export_command, lock_command):
        group.add_command(command)
