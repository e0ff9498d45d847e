"""`prompts sweep`, `prompts list`, `prompts digest` and `scheduler run` (cli.md)."""

from __future__ import annotations

import json
import smtplib
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from caseload.cli import fail
from caseload.extensions import db
from caseload.prompts.clock import parse_now
from caseload.prompts.digest import digests_send
from caseload.prompts.locks import LockHeld
from caseload.prompts.models import PROMPT_STATUSES
from caseload.prompts.queries import listing
from caseload.prompts.scheduler import scheduler_run
from caseload.prompts.sweep import prompts_sweep

prompts_cli = AppGroup("prompts", help="Prompts: the sweep, the list, the digest.")
scheduler_cli = AppGroup("scheduler", help="The one long-running scheduler process.")


def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_now(value)
    except ValueError:
        fail(f"--now must be an ISO date-time such as 2025-03-12T10:00:00, got {value!r}")
        raise  # unreachable: fail() raises


@prompts_cli.command("sweep")
@click.option(
    "--now", "now_text", help="the instant to sweep at (ISO date-time, UTC unless an offset is given)"
)
def sweep(now_text: str | None) -> None:
    """Derive prompts from the records; prints the counts."""
    counts = prompts_sweep(db.session, now=_now(now_text), each=db.session.commit)
    db.session.commit()
    click.echo(str(counts))


@prompts_cli.command("list")
@click.option("--status", default="open", type=click.Choice([*PROMPT_STATUSES, "all"]), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="the JSON shape of cli.md on stdout")
def list_prompts(status: str, as_json: bool) -> None:
    """List prompts."""
    rows = listing(db.session, status)
    if as_json:
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for r in rows:
        subject = r["job_ref"] or r["client_ref"] or r.get("specialist_email") or "-"
        click.echo(
            f"{r['due_on']}  {r['status']:<9} {r['rule']:<22} {subject:<24} {r['assignee_email'] or '-'}"
        )


@prompts_cli.command("digest")
@click.option("--now", "now_text", help="the instant (ISO date-time)")
@click.option("--force", is_flag=True, help="send even if already sent today or before the hour")
def digest(now_text: str | None, force: bool) -> None:
    """Send the daily e-mail digests now (when enabled and due, or with --force)."""
    if not current_app.config.get("SMTP_HOST"):
        fail("no SMTP server configured (SMTP_HOST)")
    try:
        sent = digests_send(db.session, _now(now_text), force=force)
    except (smtplib.SMTPException, OSError) as err:
        fail(f"the SMTP server refused or is unreachable: {err}")
    db.session.commit()
    click.echo(f"sent {sent}")


@scheduler_cli.command("run")
@click.option("--sweep-minutes", type=click.IntRange(1, 1440), default=None, help="default 15")
@click.option("--heartbeat-seconds", type=click.IntRange(1, 3600), default=None, help="default 60")
def run(sweep_minutes: int | None, heartbeat_seconds: int | None) -> None:
    """Run the scheduler until stopped; refuses to start while another one holds the lock."""
    cfg = current_app.config
    try:
        scheduler_run(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            sweep_minutes=sweep_minutes or int(cfg.get("SCHEDULER_SWEEP_MINUTES", 15)),
            heartbeat_seconds=heartbeat_seconds or int(cfg.get("SCHEDULER_HEARTBEAT_SECONDS", 60)),
        )
    except LockHeld as err:
        fail(f"another scheduler is already running ({err}); this one exits")


def init_app(app: Flask) -> None:
    app.cli.add_command(prompts_cli)
    app.cli.add_command(scheduler_cli)
