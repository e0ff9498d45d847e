"""A record moved to the right client counts as if it had been made on that client: the fidelity
items, outcomes and open prompts equal those of the same data with the record made there."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from caseload.clients.models import Client
from caseload.corrections.services import record_move
from caseload.demo.small import seed_small
from tests import factories as f
from tests.corrections.test_void_numbers import TODAY, _numbers


def test_moving_records_to_the_right_client_gives_the_numbers_of_records_made_there(app, db, runner):
    seed_small(db.session, seed=11, today=TODAY)
    db.session.commit()
    right, wrong = db.session.scalars(
        select(Client)
        .where(Client.closed_on.is_(None), Client.entry_date < TODAY - timedelta(days=120))
        .order_by(Client.ref)
    ).all()[:2]
    assert right.program_id == wrong.program_id
    start = TODAY - timedelta(days=50)
    records = [
        f.job(db.session, right, start=start, hours_per_week=Decimal("20")),
        f.contact(db.session, right, right.specialist, on=start + timedelta(days=2), purpose="follow_along"),
        f.contact(db.session, right, right.specialist, on=TODAY - timedelta(days=1), purpose="disclosure"),
        f.measure(db.session, right, on=TODAY - timedelta(days=5), timepoint="6m", eq_vas=20, pain_nrs=8),
        f.benefits_session(db.session, right, on=start - timedelta(days=3), kind="before_job_start"),
    ]
    db.session.commit()
    made_there = _numbers(runner, db)

    def move_all(source: Client, target: Client) -> None:
        for record in records:
            db.session.refresh(record)
            record_move(
                db.session,
                record=record,
                source=source,
                target=target,
                version=record.version,
                user_id=source.specialist_id,
            )
        db.session.commit()

    move_all(right, wrong)  # made on the wrong client
    on_the_wrong_client = _numbers(runner, db)
    assert on_the_wrong_client != made_there  # the test can fail
    job_prompts = [p for p in on_the_wrong_client["prompts"] if p["job_ref"] == records[0].ref]
    assert job_prompts and all(p["client_ref"] == wrong.ref for p in job_prompts)
    move_all(wrong, right)  # corrected into the right one
    assert _numbers(runner, db) == made_there
