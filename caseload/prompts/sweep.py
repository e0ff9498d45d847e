"""The sweep: make the prompt table agree with the rules on the sweep date (metrics.md).

Exactly one prompt per (rule, subject, due date): the unique key plus insert-or-ignore make two
sweeps at once safe on SQLite and PostgreSQL. Open and snoozed prompts become ``done`` when their
instance is satisfied and ``void`` when it no longer exists; a ``done`` or ``void`` prompt whose
instance is back and unsatisfied opens again; a dismissed prompt is never recreated. Services
flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.db import utcnow
from caseload.jobs.models import Job
from caseload.prompts.clock import sweep_date
from caseload.prompts.models import Prompt
from caseload.prompts.rules import UNBOUNDED_BEFORE, Instance, Window, derive_prompts, in_window
from caseload.snapshot import program_data
from caseload.teams.models import Program

LIVE = ("open", "snoozed")
Key = tuple[str, str, date]


@dataclass(slots=True)
class SweepCounts:
    """What a sweep changed."""

    created: int = 0
    done: int = 0
    void: int = 0
    reopened: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, done {self.done}, void {self.void}, reopened {self.reopened}"


def prompt_key(p: Prompt) -> Key:
    """The unique key of a stored prompt."""
    return (p.rule, p.subject_key, p.due_on)


def prompts_sweep(session: Session, *, now: datetime, each: Callable[[], None] | None = None) -> SweepCounts:
    """Sweep every programme at the instant ``now`` (t = its date in each programme's zone).

    ``each`` runs after each programme (the caller's commit, to keep SQLite write locks short).
    """
    counts = SweepCounts()
    for program in list(session.scalars(select(Program).order_by(Program.id))):
        program_sweep(session, program, sweep_date(now, program.timezone), counts)
        if each is not None:
            each()
    return counts


def contacts_since(t: date, since: date | None) -> date:
    """The oldest contact date an instance due on or after min(since, t - 30) can depend on.

    Follow-up blocks end on their due date and span at most 30 days; rules that look back to the
    entry (disclosure, rapid job search, first contact) are due at most 60 days after it; an
    outreach instance is due 14 days after the contact it follows. 60 days more covers them all,
    so ten years of contacts need not be loaded for a sweep.
    """
    lower = min(since or t, t - timedelta(days=30))
    return lower - timedelta(days=60)


def program_sweep(session: Session, program: Program, t: date, counts: SweepCounts) -> None:
    """Sweep one programme on the date ``t``."""
    window = Window.of(t)
    live = _prompts(session, program.id, Prompt.status.in_(LIVE))
    since = min((p.due_on for p in live.values()), default=None)
    data = program_data(session, program, since=contacts_since(t, since))
    instances = {i.key: i for i in derive_prompts(data, t, since=since)}
    ids = _Ids(session, program)
    settle(live.values(), instances, t, ids, counts)
    wanted = [i for i in instances.values() if not i.satisfied and in_window(i, window)]
    earlier = min((i.due_on for i in wanted), default=t)
    closed = _prompts(
        session,
        program.id,
        Prompt.status.in_(("done", "void")),
        or_(Prompt.due_on >= earlier, Prompt.rule.in_(UNBOUNDED_BEFORE)),
    )
    for i in wanted:
        p = closed.get(i.key)
        if p is not None:
            _reopen(p, i, ids)
            counts.reopened += 1
    counts.created += _insert_missing(session, program.id, wanted, ids)
    session.flush()


def settle(
    live: Iterable[Prompt], instances: dict[Key, Instance], t: date, ids: _Ids, counts: SweepCounts
) -> None:
    """Close live prompts whose instance is satisfied (done) or gone (void); wake snoozed ones."""
    for p in live:
        i = instances.get(prompt_key(p))
        if i is None:
            _close(p, "void", None)
            counts.void += 1
        elif i.satisfied:
            _close(p, "done", i.satisfied_by_ref)
            counts.done += 1
        else:
            p.assignee_id = ids.user(i.assignee_email)
            if p.status == "snoozed" and p.snoozed_until is not None and p.snoozed_until <= t:
                p.status, p.snoozed_until = "open", None


def _close(p: Prompt, status: str, satisfied_by: str | None) -> None:
    p.status, p.satisfied_by, p.closed_at, p.snoozed_until = status, satisfied_by, utcnow(), None


def _reopen(p: Prompt, i: Instance, ids: _Ids) -> None:
    p.status, p.satisfied_by, p.closed_at = "open", None, None
    p.assignee_id = ids.user(i.assignee_email)


def _prompts(session: Session, program_id: int, *where) -> dict[Key, Prompt]:
    stmt = select(Prompt).where(Prompt.program_id == program_id, *where).order_by(Prompt.id)
    return {prompt_key(p): p for p in session.scalars(stmt)}


def _insert_missing(session: Session, program_id: int, wanted: list[Instance], ids: _Ids) -> int:
    """Insert-or-ignore one open prompt per instance; returns how many rows were new."""
    if not wanted:
        return 0
    rows = [_row(program_id, i, ids) for i in wanted]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(Prompt)
        .on_conflict_do_nothing(index_elements=["rule", "subject_key", "due_on"])
        .returning(Prompt.id)
    )
    return len(session.execute(stmt, rows).all())


def _row(program_id: int, i: Instance, ids: _Ids) -> dict:
    return {
        "program_id": program_id,
        "rule": i.rule,
        "subject_key": i.subject,
        "due_on": i.due_on,
        "client_id": ids.clients.get(i.client_ref or ""),
        "job_id": ids.jobs.get(i.job_ref or ""),
        "specialist_id": ids.user(i.specialist_email),
        "week_start": i.week_start,
        "assignee_id": ids.user(i.assignee_email),
        "status": "open",
        "created_at": utcnow(),
    }


class _Ids:
    """Database ids of the refs and e-mails that instances name."""

    def __init__(self, session: Session, program: Program) -> None:
        self.clients = dict(
            session.execute(select(Client.ref, Client.id).where(Client.program_id == program.id))
            .tuples()
            .all()
        )
        self.jobs = dict(
            session.execute(select(Job.ref, Job.id).join(Client).where(Client.program_id == program.id))
            .tuples()
            .all()
        )
        self._users = dict(session.execute(select(User.email, User.id)).tuples().all())

    def user(self, email: str | None) -> int | None:
        return self._users.get(email) if email else None
