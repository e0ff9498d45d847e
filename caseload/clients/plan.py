"""Writes about the job search plan and its action steps. Services add and flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.clients.models import Client, JobSearchPlan, JobSearchStep
from caseload.l10n import lazy_gettext as _l
from caseload.writes import (
    ConflictError,
    DomainError,
    check_version,
    flush_or_conflict,
    keep_revision,
    saved_audited,
)


@dataclass(frozen=True, slots=True)
class StepFields:
    """One action step: what, who, by when, and when it was done."""

    description: str
    owner: str
    due_date: date | None
    done_on: date | None


def plan_of(session: Session, client: Client) -> JobSearchPlan | None:
    """The client's job search plan, if one was saved."""
    return session.scalar(select(JobSearchPlan).where(JobSearchPlan.client_id == client.id))


def plan_save(
    session: Session,
    *,
    client: Client,
    plan: JobSearchPlan | None,
    goal: str | None,
    target_employers: str | None,
    review_date: date | None,
    version: int | None,
    user_id: int,
) -> JobSearchPlan:
    """Start or update the plan's goal, target employers and review date."""
    if plan is not None and version is None:
        raise ConflictError(_l("Someone else saved this record after you opened it."))
    if plan is None:
        plan = JobSearchPlan(client_id=client.id)
        session.add(plan)
    else:
        check_version(plan, version)
        keep_revision(session, plan, user_id=user_id)
    plan.goal, plan.target_employers, plan.review_date = goal or None, target_employers or None, review_date
    flush_or_conflict(session)
    audit(session, action="update_plan", client_id=client.id, target=client.ref, user_id=user_id)
    return plan


def _check_step(client: Client, fields: StepFields) -> None:
    if fields.done_on and fields.done_on < (client.referral_date or client.entry_date):
        raise DomainError(_l("The step cannot be done before the client was referred."), "done_on")


def step_save(
    session: Session,
    *,
    client: Client,
    step: JobSearchStep | None,
    fields: StepFields,
    version: int | None,
    user_id: int,
) -> JobSearchStep:
    """Add an action step (starting an empty plan if needed), or change one and keep its earlier state."""
    _check_step(client, fields)
    if step is None:
        plan = plan_of(session, client)
        if plan is None:
            plan = JobSearchPlan(client_id=client.id)
            session.add(plan)
            flush_or_conflict(session)
        step = JobSearchStep(plan_id=plan.id)
        session.add(step)
    else:
        check_version(step, version)
        keep_revision(session, step, user_id=user_id)
    _apply(step, fields)
    return saved_audited(
        session, step, client_id=client.id, user_id=user_id, action="update_plan", target=client.ref
    )


def _apply(step: JobSearchStep, fields: StepFields) -> None:
    step.description, step.owner = fields.description, fields.owner
    step.due_date, step.done_on = fields.due_date, fields.done_on
