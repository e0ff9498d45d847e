"""Reads on prompts: a person's inbox, supervisors' view per specialist, the CLI listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.clients.scoping import client_scope
from caseload.jobs.models import Job
from caseload.prompts.listing import Listed, json_rows
from caseload.prompts.models import Prompt, SchedulerHeartbeat
from caseload.prompts.texts import FOLLOW_ALONG
from caseload.teams.models import Program

HEARTBEAT = "scheduler"
PromptKey = tuple[str, str, date]  # (rule, subject, due date)


@dataclass(frozen=True, slots=True)
class PromptItem:
    """A prompt as pages, feeds and e-mails show it."""

    id: int
    rule: str
    due_on: date
    status: str
    snoozed_until: date | None
    satisfied_by: str | None
    client_ref: str | None
    client_name: str | None
    job_ref: str | None
    job_title: str | None
    specialist_name: str | None
    specialist_id: int | None
    week_start: date | None
    assignee_id: int | None
    late_record: str | None = None
    program_ref: str | None = None
    participant_ref: str | None = None  # a trial participant's study ref (assessment prompts)

    def overdue(self, today: date) -> bool:
        """Past its due date."""
        return self.due_on < today


@dataclass(frozen=True, slots=True)
class SpecialistLoad:
    """One specialist's open prompts, for supervisors."""

    user_id: int
    name: str
    open: int
    overdue: int
    follow_along_overdue: int
    oldest_overdue: date | None


def visible_to(user: User) -> ColumnElement[bool]:
    """Prompts ``user`` sees: their own; supervisors also the programme's unassigned ones; the
    programme's assessors its trial participants' assessment prompts, and nothing else."""
    if user.role == "assessor":
        return and_(Prompt.program_id == user.program_id, Prompt.participant_ref.is_not(None))
    if user.role not in ("specialist", "supervisor"):
        return false()
    in_scope = or_(
        Prompt.client_id.is_(None), Prompt.client_id.in_(select(Client.id).where(client_scope(user)))
    )
    mine = Prompt.assignee_id == user.id
    if user.role == "supervisor":
        programme = and_(
            Prompt.program_id == user.program_id,
            Prompt.assignee_id.is_(None),
            Prompt.participant_ref.is_(None),
        )
        mine = or_(mine, programme)
    return and_(mine, in_scope)


def awake(today: date) -> ColumnElement[bool]:
    """Open, or snoozed to a date that has come."""
    return or_(Prompt.status == "open", and_(Prompt.status == "snoozed", Prompt.snoozed_until <= today))


def _items(session: Session, *where, limit: int | None = None) -> list[PromptItem]:
    Specialist = aliased(User)  # noqa: N806 - a class-like alias
    stmt = (
        select(
            Prompt.id,
            Prompt.rule,
            Prompt.due_on,
            Prompt.status,
            Prompt.snoozed_until,
            Prompt.satisfied_by,
            Client.ref.label("client_ref"),
            Client.name.label("client_name"),
            Job.ref.label("job_ref"),
            Job.title.label("job_title"),
            Specialist.name.label("specialist_name"),
            Prompt.specialist_id,
            Prompt.week_start,
            Prompt.assignee_id,
            Prompt.late_record,
            Program.ref.label("program_ref"),
            Prompt.participant_ref,
        )
        .join(Program, Program.id == Prompt.program_id)
        .outerjoin(Client, Client.id == Prompt.client_id)
        .outerjoin(Job, Job.id == Prompt.job_id)
        .outerjoin(Specialist, Specialist.id == Prompt.specialist_id)
        .where(*where)
        .order_by(Prompt.due_on, Prompt.rule, Prompt.id)
        .limit(limit)
    )
    return [PromptItem(**row._mapping) for row in session.execute(stmt)]


def inbox_for(session: Session, user: User, today: date, *, limit: int | None = None) -> list[PromptItem]:
    """The person's prompts to act on, overdue first (oldest due date first)."""
    return _items(session, visible_to(user), awake(today), limit=limit)


def snoozed_for(session: Session, user: User, today: date) -> list[PromptItem]:
    """The person's prompts snoozed to a later date."""
    return _items(session, visible_to(user), Prompt.status == "snoozed", Prompt.snoozed_until > today)


def resting_keys(session: Session, user: User, today: date, since: date) -> set[PromptKey]:
    """Keys of the person's prompts due in ``[since, today]`` that are not to act on now (snoozed,
    dismissed, done or void): the home leaves the things they stand for off its list."""
    stmt = select(Prompt.rule, Prompt.subject_key, Prompt.due_on).where(
        visible_to(user), ~awake(today), Prompt.due_on >= since, Prompt.due_on <= today
    )
    return {(rule, subject, due_on) for rule, subject, due_on in session.execute(stmt)}


def feed_items(session: Session, user: User) -> list[PromptItem]:
    """Everything still to do for the person's calendar: open and snoozed prompts."""
    return _items(session, visible_to(user), Prompt.status.in_(("open", "snoozed")))


def prompt_for(session: Session, user: User, prompt_id: int) -> Prompt | None:
    """The prompt if ``user`` sees it, else None (the view answers 404)."""
    return session.scalar(select(Prompt).where(Prompt.id == prompt_id, visible_to(user)))


def specialist_prompts(session: Session, specialist: User, today: date) -> list[PromptItem]:
    """A specialist's prompts to act on, for their supervisor."""
    return _items(session, Prompt.assignee_id == specialist.id, awake(today))


def specialist_overview(session: Session, program_id: int, today: date) -> list[SpecialistLoad]:
    """Per specialist of the programme: open prompts, overdue ones, overdue follow-along."""
    overdue = Prompt.due_on < today
    follow = and_(overdue, Prompt.rule.in_(FOLLOW_ALONG))
    stmt = (
        select(
            User.id,
            User.name,
            func.count(Prompt.id),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
            func.coalesce(func.sum(case((follow, 1), else_=0)), 0),
            func.min(case((overdue, Prompt.due_on))),
        )
        .outerjoin(Prompt, and_(Prompt.assignee_id == User.id, awake(today)))
        .where(User.program_id == program_id, User.role == "specialist")
        .group_by(User.id, User.name)
        .order_by(User.name)
    )
    return [SpecialistLoad(*row) for row in session.execute(stmt)]


def listing(session: Session, status: str) -> list[dict]:
    """Prompts in the JSON shape of ``prompts list --json`` (cli.md)."""
    Assignee, Specialist = aliased(User), aliased(User)  # noqa: N806 - class-like aliases
    stmt = (
        select(Prompt, Client.ref, Job.ref, Assignee.email, Specialist.email, Program.ref)
        .join(Program, Program.id == Prompt.program_id)
        .outerjoin(Client, Client.id == Prompt.client_id)
        .outerjoin(Job, Job.id == Prompt.job_id)
        .outerjoin(Assignee, Assignee.id == Prompt.assignee_id)
        .outerjoin(Specialist, Specialist.id == Prompt.specialist_id)
        .order_by(Prompt.due_on, Prompt.rule, Prompt.subject_key)
    )
    if status != "all":
        stmt = stmt.where(Prompt.status == status)
    supervisors, assessors = _people(session, "supervisor"), _people(session, "assessor")
    rows: list[dict] = []
    for p, cref, jref, assignee, spec, pref in session.execute(stmt):
        shown = Listed(p.rule, cref, jref, spec, p.week_start, assignee, p.due_on, pref, p.participant_ref)
        people = assessors if p.participant_ref else supervisors
        rows.extend(json_rows(shown, p.status, people.get(p.program_id, [])))
    return rows


def _people(session: Session, role: str) -> dict[int, list[str]]:
    """Active people of ``role`` by programme: they see its unassigned prompts."""
    stmt = select(User.program_id, User.email).where(User.role == role, User.active)
    found: dict[int, list[str]] = {}
    for program_id, email in session.execute(stmt.order_by(User.email)):
        found.setdefault(program_id, []).append(email)
    return found


def last_heartbeat(session: Session) -> datetime | None:
    """When the scheduler last said it was alive (UTC), or None if it never ran."""
    return session.scalar(select(SchedulerHeartbeat.beat_at).where(SchedulerHeartbeat.name == HEARTBEAT))
