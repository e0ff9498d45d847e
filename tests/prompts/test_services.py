"""Done at once after a save, snooze and dismiss rules, a new feed token."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from caseload.employers.models import WeeklyReview
from caseload.prompts.models import Prompt
from caseload.prompts.services import (
    feed_token_renew,
    prompt_dismiss,
    prompt_snooze,
    prompts_refresh_for_client,
    prompts_refresh_for_program,
)
from caseload.prompts.sweep import prompts_sweep
from caseload.writes import DomainError
from tests import factories

START = date(2025, 3, 3)
NOW = datetime.combine(START + timedelta(days=5), time(9), UTC)


@pytest.fixture
def swept(db):
    spec = factories.user(db.session, role="specialist")
    sup = factories.user(db.session, role="supervisor")
    cl = factories.client(db.session, spec, entry=date(2025, 1, 6))
    job = factories.job(db.session, cl, start=START)
    db.session.commit()
    prompts_sweep(db.session, now=NOW)
    db.session.commit()
    return spec, sup, cl, job


def prompt(db, rule: str, **where) -> Prompt:
    stmt = select(Prompt).where(Prompt.rule == rule).filter_by(**where).order_by(Prompt.due_on)
    return db.session.scalars(stmt).first()


def test_saving_the_contact_marks_the_follow_up_done_at_once(db, swept):
    spec, _, cl, job = swept
    contact = factories.contact(db.session, cl, spec, on=START + timedelta(days=1))
    assert prompts_refresh_for_client(db.session, cl.id, NOW) >= 1
    db.session.commit()
    p = prompt(db, "start_followup", job_id=job.id)
    assert (p.status, p.satisfied_by) == ("done", contact.ref)
    assert p.closed_at is not None


def test_a_contact_outside_the_block_leaves_the_prompt_open(db, swept):
    spec, _, cl, job = swept
    factories.contact(db.session, cl, spec, on=START - timedelta(days=1), mode="phone")
    prompts_refresh_for_client(db.session, cl.id, NOW)
    assert prompt(db, "start_followup", job_id=job.id).status == "open"


def test_an_employer_contact_for_the_client_ends_rapid_job_search_at_once(db, swept):
    spec = swept[0]
    cl = factories.client(db.session, spec, entry=NOW.date() - timedelta(days=25))
    prompts_sweep(db.session, now=NOW)
    open_prompt = prompt(db, "rapid_job_search", client_id=cl.id)
    assert open_prompt.status == "open"
    factories.employer_contact(db.session, spec, on=NOW.date() - timedelta(days=1), clients=[cl])
    prompts_refresh_for_client(db.session, cl.id, NOW)
    assert open_prompt.status == "done"


def test_a_weekly_review_marks_the_supervisors_prompt_done_at_once(db, swept):
    spec, sup, _, _ = swept
    p = prompt(db, "weekly_log_review", specialist_id=spec.id)
    db.session.add(
        WeeklyReview(
            specialist_id=spec.id, week_start=p.week_start, reviewer_id=sup.id, reviewed_on=NOW.date()
        )
    )
    db.session.flush()
    assert prompts_refresh_for_program(db.session, spec.program_id, NOW) == 1
    assert (p.status, p.satisfied_by) == ("done", f"{spec.email}|{p.week_start.isoformat()}")


def test_refresh_without_open_prompts_does_nothing(db):
    spec = factories.user(db.session, role="specialist")
    cl = factories.client(db.session, spec, entry=date(2025, 1, 6))
    assert prompts_refresh_for_client(db.session, cl.id, NOW) == 0
    assert prompts_refresh_for_program(db.session, spec.program_id, NOW) == 0


@pytest.mark.parametrize("days", [0, -1, 91])
def test_snooze_needs_a_date_within_90_days(db, swept, days: int):
    p = prompt(db, "start_followup")
    with pytest.raises(DomainError) as err:
        prompt_snooze(db.session, prompt=p, until=NOW.date() + timedelta(days=days), today=NOW.date())
    assert err.value.field == "until"


def test_dismiss_needs_a_reason_and_an_open_prompt(db, swept):
    p = prompt(db, "start_followup")
    with pytest.raises(DomainError):
        prompt_dismiss(db.session, prompt=p, reason="   ")
    prompt_dismiss(db.session, prompt=p, reason="Client asked for no contact this week")
    with pytest.raises(DomainError):
        prompt_dismiss(db.session, prompt=p, reason="again")
    with pytest.raises(DomainError):
        prompt_snooze(db.session, prompt=p, until=NOW.date() + timedelta(days=3), today=NOW.date())


def test_a_new_feed_token_replaces_the_old_one(db, swept):
    spec = swept[0]
    old = spec.feed_token
    new = feed_token_renew(db.session, user=spec)
    assert new != old
    assert len(new) >= 40
