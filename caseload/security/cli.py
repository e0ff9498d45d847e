"""`security reset-two-step EMAIL`: for the administrator who lost their own second factor."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from caseload.auth.models import User
from caseload.cli import fail
from caseload.extensions import db
from caseload.security.services import two_step_reset

security_cli = AppGroup("security", help="Sign-in settings of people.")


@security_cli.command("reset-two-step")
@click.argument("email")
def reset_two_step(email: str) -> None:
    """Remove a person's second factor and end their sessions."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        fail(f"no person with e-mail {email!r}")
    two_step_reset(db.session, user=user)
    db.session.commit()
    click.echo(f"two-step sign-in removed for {user.email}")


def init_app(app: Flask) -> None:
    app.cli.add_command(security_cli)
