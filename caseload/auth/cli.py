"""`users create`, `audit verify` and `audit anchor`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from caseload.auth.anchors import anchor_write, anchors_path, audit_check
from caseload.auth.services import user_create
from caseload.cli import fail
from caseload.extensions import db
from caseload.metrics.codes import ROLES
from caseload.teams.models import Program
from caseload.writes import DomainError

users_cli = AppGroup("users", help="People who can sign in.")
audit_cli = AppGroup("audit", help="The audit log.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--program", "program_ref", required=True, help="programme ref")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def users_create(email: str, name: str, role: str, program_ref: str, password_stdin: bool) -> None:
    """Add a person."""
    program = db.session.scalar(select(Program).where(Program.ref == program_ref))
    if program is None:
        fail(f"no programme with ref {program_ref!r}")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    if password is not None and len(password) < 10:
        fail("the password must have at least 10 characters")
    try:
        user = user_create(
            db.session, email=email, name=name, role=role, program_id=program.id, password=password
        )
    except DomainError as err:
        fail(str(err))
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@audit_cli.command("verify")
def verify() -> None:
    """Check the audit log's keyed chain and its anchors; exit non-zero on a break."""
    problems = audit_check(db.session)
    db.session.rollback()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("audit log intact")


@audit_cli.command("anchor")
def anchor() -> None:
    """Append a signed checkpoint of the audit chain to the anchors file now."""
    record = anchor_write(db.session, datetime.now(UTC))
    db.session.rollback()  # it only read: end the snapshot (and the chain's lock)
    click.echo(
        f"anchor written to {anchors_path()}: {record['count']} events, last hash {record['last_hash']}"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
