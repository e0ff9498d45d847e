"""`demo seed [--scale small|region|nation] [--seed N]`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.teams.models import Program

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--scale", type=click.Choice(["small", "region", "nation"]), default="small")
@click.option("--seed", "seed", type=int, default=1)
@click.option("--today", help="anchor date YYYY-MM-DD (default: today)")
@click.option("--if-empty", is_flag=True, help="do nothing (and succeed) when data exists")
def seed(scale: str, seed: int, today: str | None, if_empty: bool) -> None:
    """Fill an empty database with realistic, deterministic fake data and demo logins."""
    from caseload.demo.small import DEMO_LOGINS, DEMO_PASSWORD, seed_small
    from caseload.forms import today as local_today

    if scale == "nation" and db.session.get_bind().dialect.name != "postgresql":
        fail("demo seed --scale nation needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)")
    if db.session.scalar(select(func.count()).select_from(Program)):
        if if_empty:
            click.echo("database has data; demo seed skipped")
            return
        fail("the database is not empty; demo seed fills only an empty database")
    anchor = parse_date(today, "--today") or local_today()
    if scale == "small":
        seed_small(db.session, seed=seed, today=anchor)
    else:
        from caseload.demo.region import NATION_PROGRAMS, seed_region
        from caseload.demo.region_people import REGION_PROGRAMS

        programs = NATION_PROGRAMS if scale == "nation" else REGION_PROGRAMS
        seed_region(db.session, seed=seed, today=anchor, programs=programs)
    db.session.commit()
    click.echo(f"demo data seeded (scale {scale}, seed {seed}, anchored on {anchor})")
    if scale == "small":
        click.echo("demo logins (password for all: " + DEMO_PASSWORD + "):")
        for email, role in DEMO_LOGINS:
            click.echo(f"  {email:28} {role}")
    else:
        click.echo(f"every seeded account signs in with {DEMO_PASSWORD!r}")
        click.echo("  e-mails look like first.last.<id>@region-ips.example.org")
