"""``flask trial screen|enrol``: bulk entry from a CSV file, JSON on stdout.

``trial`` is the group the trial's report commands join too (``trial_cli.add_command``)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from caseload.auth.models import User
from caseload.cli import fail, parse_date
from caseload.extensions import db
from caseload.trial import services
from caseload.trial.models import Screening, Trial
from caseload.writes import DomainError

trial_cli = AppGroup("trial", help="The randomised trial: screening, enrolment and reports.")


def _trial_and_user(trial_ref: str, email: str, roles: tuple[str, ...]) -> tuple[Trial, User]:
    trial = db.session.scalar(select(Trial).where(Trial.ref == trial_ref))
    if trial is None:
        fail(f"no trial {trial_ref}")
    user = db.session.scalar(select(User).where(User.email == email, User.active))
    if user is None or user.role not in roles or user.program_id != trial.program_id:
        fail(f"{email} is not a trial manager of this trial's programme")
    return trial, user


def _rows(path: str) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def _date(value: str, name: str) -> date:
    day = parse_date(value, name)
    if day is None:
        fail(f"{name} is missing")
    return day


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


@trial_cli.command("screen")
@click.argument("trial_ref")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "email", required=True, help="the trial manager's e-mail")
def screen(trial_ref: str, csv_file: str, email: str) -> None:
    """Record screenings from CSV_FILE (columns: screened_on, person_name, criteria_met,
    consent_on, exclusion_reasons, exclusion_note; lists ';'-separated). All or nothing."""
    trial, user = _trial_and_user(trial_ref, email, ("trial_manager",))
    refs = []
    for line, row in enumerate(_rows(csv_file), start=2):
        try:
            s = services.screening_record(
                db.session,
                trial=trial,
                screened_on=_date(row.get("screened_on", ""), "screened_on"),
                person_name=row.get("person_name") or None,
                criteria_met=_codes(row.get("criteria_met", "")),
                consent_on=parse_date(row["consent_on"]) if row.get("consent_on") else None,
                exclusion_reasons=_codes(row.get("exclusion_reasons", "")),
                exclusion_note=row.get("exclusion_note") or None,
                user_id=user.id,
            )
        except DomainError as err:
            db.session.rollback()
            fail(f"line {line}: {err}")
        refs.append({"line": line, "ref": s.ref, "eligible": s.eligible, "excluded": s.reason_list})
    db.session.commit()
    click.echo(json.dumps({"trial": trial.ref, "screened": len(refs), "screenings": refs}, indent=2))


@trial_cli.command("enrol")
@click.argument("trial_ref")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "email", required=True, help="the trial manager's e-mail")
def enrol(trial_ref: str, csv_file: str, email: str) -> None:
    """Enrol and randomise from CSV_FILE (columns: screening, name, birth_date, phone, email,
    address, enrolled_on, and one column per stratification factor). All or nothing. The
    output names each study ref, not its arm: the arm is on the trial's pages."""
    trial, user = _trial_and_user(trial_ref, email, ("trial_manager",))
    out = []
    for line, row in enumerate(_rows(csv_file), start=2):
        screening = db.session.scalar(
            select(Screening).where(Screening.ref == row.get("screening", ""), Screening.trial_id == trial.id)
        )
        if screening is None or not row.get("name"):
            fail(f"line {line}: an unknown screening ref or no name")
        try:
            p = services.participant_enrol(
                db.session,
                trial=trial,
                screening=screening,
                contact=services.Contact(
                    name=row.get("name", ""),
                    birth_date=parse_date(row["birth_date"]) if row.get("birth_date") else None,
                    phone=row.get("phone") or None,
                    email=row.get("email") or None,
                    address=row.get("address") or None,
                ),
                levels={f.code: row.get(f.code, "") for f in trial.factors},
                enrolled_on=_date(row.get("enrolled_on", ""), "enrolled_on"),
                user_id=user.id,
            )
        except DomainError as err:
            db.session.rollback()
            fail(f"line {line}: {err}")
        out.append({"line": line, "screening": screening.ref, "participant": p.ref})
    db.session.commit()
    click.echo(json.dumps({"trial": trial.ref, "enrolled": len(out), "participants": out}, indent=2))


def init_app(app: Flask) -> None:
    app.cli.add_command(trial_cli)
