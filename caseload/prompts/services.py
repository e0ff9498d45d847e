"""Writes on prompts: done at once after a save, snooze, dismiss, a new calendar-feed token.

Services flush and never commit: the view, CLI command or scheduled job commits.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.db import utcnow
from caseload.l10n import lazy_gettext as _l
from caseload.prompts.assessments import assessment_instances
from caseload.prompts.clock import sweep_date
from caseload.prompts.loading import client_data, program_rule_data, schedule_rows
from caseload.prompts.models import DONE_LATE, LIVE, Prompt
from caseload.prompts.rules import PROGRAM_RULE_NAMES, PROGRAM_RULES, SweepWindow, derive_prompts, unique
from caseload.prompts.sweep import prompt_key
from caseload.teams.models import Program
from caseload.writes import DomainError

MAX_SNOOZE_DAYS = 90


def prompts_refresh_for_client(session: Session, client_id: int, now: datetime) -> int:
    """Mark the client's open prompts done when saved records now satisfy them; returns how many.

    Call after saving a client contact, an employer contact for the client, a benefits session, a
    job, an outcome measure or the career profile. Creating and voiding is left to the sweep.
    """
    client = session.get(Client, client_id)
    live = list(session.scalars(_live().where(Prompt.client_id == client_id)))
    if client is None or not live:
        return 0
    t = sweep_date(now, _timezone(session, client.program_id))
    since = min(p.due_on for p in live)
    instances = {i.key: i for i in derive_prompts(client_data(session, client), t, since=since)}
    return _mark_done(live, instances)


def prompts_refresh_for_program(session: Session, program_id: int, now: datetime) -> int:
    """Mark the programme's weekly-review, fidelity-review and assessment prompts done when now
    satisfied.

    Call after saving a weekly review of a specialist's log, finalising a fidelity review or
    recording a trial assessment.
    """
    program = session.get(Program, program_id)
    stmt = _live().where(Prompt.program_id == program_id, Prompt.rule.in_(PROGRAM_RULE_NAMES))
    live = list(session.scalars(stmt))
    if program is None:
        return 0
    t = sweep_date(now, program.timezone)
    done = _assessments_refresh(session, program_id, t)
    if not live:
        return done
    window = SweepWindow(t, min(p.due_on for p in live))
    data = program_rule_data(session, program)
    instances = {i.key: i for i in unique(i for rule in PROGRAM_RULES for i in rule(data, window))}
    return done + _mark_done(live, instances)


def _assessments_refresh(session: Session, program_id: int, t: date) -> int:
    """Mark the programme's open assessment prompts done whose assessment is now recorded."""
    stmt = _live().where(Prompt.program_id == program_id, Prompt.participant_ref.is_not(None))
    live = list(session.scalars(stmt))
    if not live:
        return 0
    instances = {i.key: i for i in assessment_instances(schedule_rows(session, program_id, t), t)}
    return _mark_done(live, instances)


def _live():
    return select(Prompt).where(Prompt.status.in_(LIVE))


def _timezone(session: Session, program_id: int) -> str:
    return session.scalar(select(Program.timezone).where(Program.id == program_id)) or "Europe/Oslo"


def _mark_done(live: list[Prompt], instances: dict) -> int:
    done = 0
    for p in live:
        i = instances.get(prompt_key(p))
        if i is not None and not i.satisfied:
            p.late_record = i.late_by_ref  # a late record shows on the prompt; it does not close it
        if i is not None and i.satisfied:
            p.status, p.satisfied_by, p.closed_at, p.snoozed_until = (
                "done",
                i.satisfied_by_ref,
                utcnow(),
                None,
            )
            done += 1
    return done


def prompt_snooze(session: Session, *, prompt: Prompt, until: date, today: date) -> Prompt:
    """Hide an open prompt until ``until`` (after today, at most 90 days ahead)."""
    if prompt.status not in LIVE:
        raise DomainError(_l("This prompt is no longer open."), "until")
    if until <= today or (until - today).days > MAX_SNOOZE_DAYS:
        raise DomainError(_l("Choose a date within the next %(n)d days.", n=MAX_SNOOZE_DAYS), "until")
    prompt.status, prompt.snoozed_until = "snoozed", until
    session.flush()
    return prompt


def prompt_dismiss(session: Session, *, prompt: Prompt, reason: str) -> Prompt:
    """Dismiss a prompt for good, with a reason; the sweep never recreates it."""
    if prompt.status not in LIVE:
        raise DomainError(_l("This prompt is no longer open."), "reason")
    if not reason.strip():
        raise DomainError(_l("Say why the prompt does not apply."), "reason")
    prompt.status, prompt.dismiss_reason, prompt.closed_at = "dismissed", reason.strip(), utcnow()
    prompt.snoozed_until = None
    session.flush()
    return prompt


def prompt_done_late(session: Session, *, prompt: Prompt) -> Prompt:
    """Dismiss an open prompt because it was done, but late: its late record is the reason.

    The prompt stays out of the numbers' "in time" (the fidelity items count the block as missed);
    this only takes it off the person's list, and the sweep never recreates it.
    """
    if prompt.status not in LIVE:
        raise DomainError(_l("This prompt is no longer open."), "reason")
    if prompt.late_record is None:
        raise DomainError(_l("No late record was found for this prompt."), "reason")
    prompt.status, prompt.dismiss_reason, prompt.closed_at = "dismissed", DONE_LATE, utcnow()
    prompt.snoozed_until = None
    session.flush()
    return prompt


def feed_token_renew(session: Session, *, user: User) -> str:
    """Give the person a new calendar-feed token; the old feed address stops working."""
    user.feed_token = secrets.token_urlsafe(32)
    session.flush()
    return user.feed_token
