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
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import Row, or_, select, update
from sqlalchemy.orm import Session

from caseload.db import upsert_insert, utcnow
from caseload.prompts.assessments import assessment_instances
from caseload.prompts.clock import sweep_date
from caseload.prompts.loading import SweepRows, sweep_data
from caseload.prompts.models import LIVE, Prompt
from caseload.prompts.rules import (
    OWN_WINDOW,
    UNBOUNDED_BEFORE,
    Instance,
    SweepWindow,
    derive_prompts,
    wanted,
)
from caseload.teams.models import Program

Key = tuple[str, str, date]
SWEPT = "caseload.program_swept"


@dataclass(slots=True)
class SweepCounts:
    """What a sweep changed."""

    created: int = 0
    done: int = 0
    void: int = 0
    reopened: int = 0
    missing: int = 0  # assessment prompts whose window closed (not in the CLI's line of cli.md)

    def __str__(self) -> str:
        return f"created {self.created}, done {self.done}, void {self.void}, reopened {self.reopened}"


def prompt_key(p: Prompt | Row) -> Key:
    """The unique key of a stored prompt."""
    return (p.rule, p.subject_key, p.due_on)


def prompts_sweep(session: Session, *, now: datetime, each: Callable[[], None] | None = None) -> SweepCounts:
    """Sweep every programme at the instant ``now`` (t = its date in each programme's zone).

    ``each`` runs after each programme (the caller's commit, to keep SQLite write locks short).
    """
    counts = SweepCounts()
    hooks = current_app.extensions.get(SWEPT, [])
    for program in list(session.scalars(select(Program).order_by(Program.id))):
        t = sweep_date(now, program.timezone)
        program_sweep(session, program, t, counts)
        if each is not None:
            each()
        for hook in hooks:
            hook(session, program, t)
        if hooks and each is not None:
            each()  # a transaction of its own: the prompts' write lock is not held while deriving
    return counts


def on_program_swept(app: Flask, hook: Callable[[Session, Program, date], object]) -> None:
    """Register ``hook(session, program, t)``, run after each programme's sweep on its date ``t``."""
    app.extensions.setdefault(SWEPT, []).append(hook)


def program_sweep(session: Session, program: Program, t: date, counts: SweepCounts) -> None:
    """Sweep one programme on the date ``t``: one statement per kind of change, not per prompt."""
    window = SweepWindow.of(t)
    live = _prompts(session, program.id, Prompt.status.in_(LIVE))
    # fidelity_review and assessment instances do not depend on the window's start: their old
    # prompts widen nothing
    since = min((p.due_on for p in live.values() if p.rule not in OWN_WINDOW), default=None)
    rows = sweep_data(session, program, t, since)
    instances = {i.key: i for i in derive_prompts(rows.data, t, since=since)}
    instances.update((i.key, i) for i in assessment_instances(rows.participants, t))
    settle(session, live.values(), instances, t, rows, counts)
    want = [i for i in instances.values() if wanted(i, window)]
    earlier = min((i.due_on for i in want), default=t)
    closed = _prompts(
        session,
        program.id,
        Prompt.status.in_(("done", "void")),
        or_(Prompt.due_on >= earlier, Prompt.rule.in_(UNBOUNDED_BEFORE)),
    )
    reopen = [
        {
            "id": p.id,
            "status": "open",
            "satisfied_by": None,
            "closed_at": None,
            "assignee_id": _user(rows, i),
            "late_record": i.late_by_ref,
        }
        for i in want
        if (p := closed.get(i.key)) is not None
    ]
    _update(session, reopen)
    counts.reopened += len(reopen)
    new = [i for i in want if i.key not in live and i.key not in closed]
    counts.created += _insert_missing(session, program.id, new, rows)


def settle(
    session: Session,
    live: Iterable[Row],
    instances: dict[Key, Instance],
    t: date,
    rows: SweepRows,
    counts: SweepCounts,
) -> None:
    """Close live prompts whose instance is satisfied (done), gone (void) or whose assessment
    window closed (missing); wake snoozed ones."""
    now = utcnow()
    closes, keeps = [], []
    for p in live:
        i = instances.get(prompt_key(p))
        if i is None or i.satisfied or i.missing:
            status, by = _closed_as(i)
            closes.append(
                {"id": p.id, "status": status, "satisfied_by": by, "closed_at": now, "snoozed_until": None}
            )
            continue
        assignee = _user(rows, i)
        wake = p.status == "snoozed" and p.snoozed_until is not None and p.snoozed_until <= t
        if wake or assignee != p.assignee_id or i.late_by_ref != p.late_record:
            status, until = ("open", None) if wake else (p.status, p.snoozed_until)
            keeps.append(
                {
                    "id": p.id,
                    "assignee_id": assignee,
                    "status": status,
                    "snoozed_until": until,
                    "late_record": i.late_by_ref,
                }
            )
    counts.done += sum(c["status"] == "done" for c in closes)
    counts.void += sum(c["status"] == "void" for c in closes)
    counts.missing += sum(c["status"] == "missing" for c in closes)
    _update(session, closes)
    _update(session, keeps)


def _closed_as(i: Instance | None) -> tuple[str, str | None]:
    """The status a live prompt closes with, and the record that satisfied it."""
    if i is None:
        return "void", None
    return ("done", i.satisfied_by_ref) if i.satisfied else ("missing", None)


def _update(session: Session, changes: list[dict]) -> None:
    """One UPDATE by primary key for all ``changes`` (executemany)."""
    if changes:
        session.execute(update(Prompt), changes)


def _prompts(session: Session, program_id: int, *where) -> dict[Key, Row]:
    """The programme's prompts as narrow rows, by key."""
    stmt = select(
        Prompt.id,
        Prompt.rule,
        Prompt.subject_key,
        Prompt.due_on,
        Prompt.status,
        Prompt.snoozed_until,
        Prompt.assignee_id,
        Prompt.late_record,
    ).where(Prompt.program_id == program_id, *where)
    return {prompt_key(p): p for p in session.execute(stmt)}


def _insert_missing(session: Session, program_id: int, wanted: list[Instance], rows: SweepRows) -> int:
    """Insert-or-ignore one open prompt per instance; returns how many rows were new."""
    if not wanted:
        return 0
    values = [_row(program_id, i, rows) for i in wanted]
    insert = upsert_insert(session)
    stmt = (
        insert(Prompt)
        .on_conflict_do_nothing(index_elements=["rule", "subject_key", "due_on"])
        .returning(Prompt.id)
    )
    return len(session.execute(stmt, values).all())


def _row(program_id: int, i: Instance, rows: SweepRows) -> dict:
    return {
        "program_id": program_id,
        "rule": i.rule,
        "subject_key": i.subject,
        "due_on": i.due_on,
        "client_id": rows.client_ids.get(i.client_ref or ""),
        "job_id": rows.job_ids.get(i.job_ref or ""),
        "specialist_id": rows.user_ids.get(i.specialist_email or ""),
        "participant_ref": i.participant_ref,
        "week_start": i.week_start,
        "assignee_id": _user(rows, i),
        "status": "open",
        "late_record": i.late_by_ref,
        "created_at": utcnow(),
    }


def _user(rows: SweepRows, i: Instance) -> int | None:
    return rows.user_ids.get(i.assignee_email) if i.assignee_email else None
