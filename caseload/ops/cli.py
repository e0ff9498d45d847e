"""`backup FILE`, `restore FILE [--force]` and `retention anonymise --program P [--dry-run]`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from caseload.auth.anchors import anchor_write
from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.forms import today as programme_today
from caseload.ops import backup as backups
from caseload.ops.services import client_anonymise, eligible_clients
from caseload.teams.models import Program

retention_cli = AppGroup("retention", help="Anonymise closed clients after the retention period.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE while the app runs."""
    try:
        backups.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except backups.BackupError as err:
        fail(str(err))
    click.echo(f"backup written to {file} ({file.stat().st_size} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace the contents of a database that holds data")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup made by `backup` into the configured database; anchor the audit chain
    as "restored to the state of <the backup's time>" so that it verifies."""
    db.engine.dispose()
    try:
        backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file, force=force)
    except backups.BackupError as err:
        fail(str(err))
    backup_time = datetime.fromtimestamp(file.stat().st_mtime, UTC)
    anchor = anchor_write(db.session, datetime.now(UTC), restored_to=backup_time)
    db.session.rollback()
    click.echo(
        f"restored {file} (audit log anchored: {anchor['count']} events, state of {anchor['restored_to']})"
    )


@retention_cli.command("anonymise")
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--dry-run", is_flag=True, help="list the clients, change nothing")
@click.option("--today", "today_text", help="the day to judge the retention period by (YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def anonymise(program_ref: str, dry_run: bool, today_text: str | None, as_json: bool) -> None:
    """Anonymise the programme's clients closed longer ago than RETENTION_YEARS."""
    program = db.session.scalar(select(Program).where(Program.ref == program_ref))
    if program is None:
        fail(f"no programme with ref {program_ref!r}")
    day = parse_date(today_text, "--today") or programme_today()
    years = int(current_app.config["RETENTION_YEARS"])
    clients = eligible_clients(db.session, program_id=program.id, today=day, years=years)
    refs = [c.ref for c in clients]
    if not dry_run:
        for client in clients:
            client_anonymise(db.session, client=client, today=day, years=years, user_id=None)
        db.session.commit()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "program": program.ref,
                    "today": day.isoformat(),
                    "years": years,
                    "dry_run": dry_run,
                    "clients": refs,
                }
            )
        )
        return
    verb = "would anonymise" if dry_run else "anonymised"
    for ref in refs:
        click.echo(f"{verb} {ref}")
    click.echo(f"{len(refs)} clients {verb} (closed more than {years} years before {day})")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_cli)
