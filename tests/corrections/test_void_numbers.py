"""Voided records count in no number and satisfy no prompt: the fidelity items, outcomes and open
prompts after voiding equal those of the same data without the records."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from caseload.clients.models import Client
from caseload.corrections.services import record_void
from caseload.demo.small import seed_small
from caseload.jobs.models import JobHours
from caseload.teams.models import Program
from tests import factories as f

TODAY = date(2026, 9, 30)
NOW = "2026-09-30T10:00:00"


def _numbers(runner, db) -> dict:
    """Every number of the CLI's JSON, after a sweep at NOW."""
    assert runner.invoke(args=["prompts", "sweep", "--now", NOW]).exit_code == 0
    out = {}
    for ref in db.session.scalars(select(Program.ref).order_by(Program.ref)):
        for name, args in (
            ("fidelity", ["fidelity", "compute", "--as-of", str(TODAY)]),
            ("quarterly", ["outcomes", "quarterly", "--quarter", "2026Q3"]),
            ("employment", ["outcomes", "employment", "--as-of", str(TODAY)]),
            ("measures", ["outcomes", "measures"]),
        ):
            result = runner.invoke(args=[*args, "--program", ref, "--json"])
            assert result.exit_code == 0, result.output
            out[f"{ref} {name}"] = json.loads(result.output)
    result = runner.invoke(args=["prompts", "list", "--json"])
    assert result.exit_code == 0, result.output
    out["prompts"] = json.loads(result.output)
    return out


def _add_records(db) -> list:
    """One record of every kind, on an open client with a job, each changing some number."""
    client = db.session.scalars(
        select(Client).where(Client.closed_on.is_(None), Client.entry_date < TODAY - timedelta(days=120))
    ).first()
    assert client is not None
    specialist = client.specialist
    start = TODAY - timedelta(days=60)
    job = f.job(db.session, client, start=start, hours_per_week=Decimal("10"))
    hours = JobHours(job_id=job.id, effective_from=start + timedelta(days=20), hours_per_week=Decimal("30"))
    db.session.add(hours)

    def ago(days: int) -> date:
        return TODAY - timedelta(days=days)

    records = [
        job,
        hours,
        f.contact(db.session, client, specialist, on=ago(days=2), purpose="disclosure", minutes=50),
        f.contact(db.session, client, specialist, on=start + timedelta(days=3), purpose="follow_along"),
        f.benefits_session(db.session, client, on=start - timedelta(days=5), kind="before_job_start"),
        f.measure(db.session, client, on=ago(days=10), timepoint="6m", eq_vas=10, pain_nrs=9),
        f.employer_contact(db.session, specialist, on=ago(days=3), clients=[client], minutes=90),
        f.employer_contact(db.session, specialist, on=ago(days=40)),
    ]
    db.session.flush()
    return records


def test_voided_records_count_in_no_number_and_satisfy_no_prompt(app, db, runner):
    seed_small(db.session, seed=7, today=TODAY)
    db.session.commit()
    without = _numbers(runner, db)

    records = _add_records(db)
    db.session.commit()
    with_them = _numbers(runner, db)
    changed = {key.rsplit(" ", 1)[-1] for key in without if without[key] != with_them[key]}
    # the test can fail: the records change the fidelity items, outcomes and prompts
    assert {"fidelity", "employment", "measures", "prompts"} <= changed, changed

    client = records[0].client
    for record in records:
        record_void(
            db.session,
            record=record,
            clients=[client],
            reason="Entered by mistake",
            version=getattr(record, "version", None),
            on=TODAY,
            user_id=client.specialist_id,
        )
    db.session.commit()
    assert _numbers(runner, db) == without
