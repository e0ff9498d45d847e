"""`exchange import BUNDLE` and `exchange export BUNDLE` (../shared/spec/cli.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from caseload.auth.models import User
from caseload.cli import fail
from caseload.exchange.auditing import audit_clients, audit_trials
from caseload.exchange.export import bundle_export
from caseload.exchange.schema import FILES
from caseload.exchange.services import bundle_analyze, bundle_import
from caseload.extensions import db

exchange_cli = AppGroup("exchange", help="Bulk import and export of the CSV bundle.")

LARGE = 2000  # rows from which a progress bar is shown


@exchange_cli.command("import")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option(
    "--as",
    "as_email",
    metavar="EMAIL",
    help="The person importing (audited); trial allocations import only as the statistician.",
)
def import_command(bundle: Path, as_email: str | None) -> None:
    """Import BUNDLE (a folder, a .zip, one CSV file named after its table or an .xlsx
    workbook): all of it, or nothing."""
    user_id = _importer(as_email)
    try:
        with _progress_bar() as progress:
            report = bundle_import(db.session, path=bundle, user_id=user_id, progress=progress)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if not report.ok:
            db.session.rollback()
            for problem in report.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(report.problems)} problem(s): nothing was imported", err=True)
            sys.exit(1)
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(f"the import failed and nothing was written: {reason}")
    bundle_analyze(db.session, report)
    db.session.commit()
    for name in report.created:
        created, updated = report.created[name], report.updated[name]
        click.echo(f"{name}: {created} created, {updated} updated, {report.unchanged[name]} unchanged")


def _importer(email: str | None) -> int | None:
    """The id of the active person ``email`` (None without one); fails for an unknown person."""
    if email is None:
        return None
    user_id = db.session.scalar(select(User.id).where(User.email == email.strip().lower(), User.active))
    if user_id is None:
        fail(f"no active person {email!r}")
    return user_id


@exchange_cli.command("export")
@click.argument("bundle", type=click.Path(path_type=Path))
def export_command(bundle: Path) -> None:
    """Export every record to BUNDLE (a folder, or a .zip when the name ends in .zip)."""
    if bundle.suffix.lower() == ".xlsx":
        fail("export writes a folder or a .zip, not a workbook")
    if bundle.exists() and not bundle.is_dir() and bundle.suffix.lower() != ".zip":
        fail(f"{bundle} exists and is not a folder")
    try:
        report = bundle_export(db.session, dest=bundle)
    except OSError as exc:
        db.session.rollback()
        fail(f"cannot write {bundle}: {exc}")
    audit_clients(db.session, refs=report.client_refs, action="exchange_export", user_id=None)
    audit_trials(db.session, refs=report.trial_refs, action="exchange_export_trial", user_id=None)
    db.session.commit()
    click.echo(f"exported {report.records} records in {len(FILES)} files to {bundle}")


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on stderr once a large bundle is being written."""
    state: dict = {}

    def progress(done: int, total: int) -> None:
        if total < LARGE:
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label="importing", file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield progress
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)
