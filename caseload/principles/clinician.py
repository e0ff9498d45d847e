"""The clinician's view of a client: work goal, job situation, next step, PROM charts, team notes.

Data minimisation: this page loads no benefits sessions and no employer contacts (nor employer
people), so nothing of them can reach a clinician through it. Employers appear only as the name of
the workplace where the client works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from caseload.auth.access import roles_required
from caseload.clients.models import CareerProfile, Client, ClientNote, JobSearchPlan
from caseload.clients.scoping import client_for
from caseload.db import next_ref
from caseload.extensions import db
from caseload.forms import NoNul, strip, today
from caseload.jobs.models import Job
from caseload.l10n import gettext as _
from caseload.l10n import lazy_gettext as _l
from caseload.labels import CLOSURE_LABELS, label
from caseload.outcomes.employment import hours_in_force
from caseload.outcomes.pages import client_prom_view
from caseload.outcomes.queries import client_measures
from caseload.teams.queries import job_type_names
from caseload.writes import added_audited

bp = Blueprint("clinician", __name__)
NOTE_KIND = "treatment_team_work"
NOTE_MAX = 1000
MILESTONES_SHOWN = 6


@dataclass(frozen=True, slots=True)
class CurrentJob:
    title: str
    employer: str
    hours_per_week: Decimal
    since: date


@dataclass(frozen=True, slots=True)
class Phase:
    """Where the client is now: engagement, job_search, working (with follow-along) or closed."""

    kind: str
    jobs: tuple[CurrentJob, ...] = ()
    since: date | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    on: date
    text: str


@dataclass
class ClinicianSummary:
    """Everything the clinician's page shows, and nothing else."""

    client: Client
    work_goal: str | None
    preferred_jobs: list[str]
    phase: Phase
    next_step: object | None
    milestones: list[Milestone]
    prom: dict
    notes: list[ClientNote] = field(default_factory=list)


def work_phase(client: Client, jobs: list[Job], day: date) -> Phase:
    """The client's phase on ``day`` from the closure, the jobs held and the career profile."""
    if client.closed_on is not None and client.closed_on <= day:
        return Phase("closed", since=client.closed_on, reason=client.closure_reason)
    held = [j for j in jobs if j.start_date <= day and (j.end_date is None or j.end_date >= day)]
    if held:
        current = tuple(
            CurrentJob(j.title, j.employer.name, hours_in_force(j, day), j.start_date) for j in held
        )
        return Phase("working", current, since=min(j.start_date for j in held))
    ended = [j.end_date for j in jobs if j.end_date is not None and j.end_date < day]
    if ended:
        return Phase("job_search", since=max(ended))
    if client.profile_started_on is not None and client.profile_started_on <= day:
        return Phase("job_search", since=client.profile_started_on)
    return Phase("engagement", since=client.entry_date)


def milestones(client: Client, jobs: list[Job], measures: list, day: date) -> list[Milestone]:
    """The most recent work milestones up to ``day``, newest first."""
    items = [Milestone(client.entry_date, _("Entered the employment programme"))]
    if client.profile_started_on:
        items.append(Milestone(client.profile_started_on, _("Career profile started")))
    if client.profile_completed_on:
        items.append(Milestone(client.profile_completed_on, _("Career profile completed")))
    for j in jobs:
        items.append(Milestone(j.start_date, _("Started as %(t)s at %(e)s", t=j.title, e=j.employer.name)))
        if j.end_date:
            items.append(Milestone(j.end_date, _("Job as %(t)s ended", t=j.title)))
    for m in measures:
        items.append(
            Milestone(m.measured_on, _("Questionnaires recorded (%(t)s)", t=label(m.timepoint, "timepoint")))
        )
    if client.closed_on:
        code = client.closure_reason or ""
        reason = CLOSURE_LABELS.get(code, code)
        items.append(Milestone(client.closed_on, _("Left the programme: %(r)s", r=reason)))
    recent = sorted((m for m in items if m.on <= day), key=lambda m: m.on, reverse=True)
    return recent[:MILESTONES_SHOWN]


def _preferred_jobs(session: Session, client: Client) -> list[str]:
    return job_type_names(session, client.program_id, client.job_type_list)


def _next_step(plan: JobSearchPlan | None):
    steps = [s for s in (plan.steps if plan else []) if s.done_on is None]
    return min(steps, key=lambda s: (s.due_date is None, s.due_date or date.max), default=None)


def clinician_summary(session: Session, client: Client, day: date) -> ClinicianSummary:
    """Load what the clinician's page shows (no benefits, no employer contacts)."""
    profile = session.scalar(select(CareerProfile).where(CareerProfile.client_id == client.id))
    plan = session.scalar(select(JobSearchPlan).where(JobSearchPlan.client_id == client.id))
    job_stmt = select(Job).where(Job.client_id == client.id).order_by(Job.start_date)
    jobs = list(
        session.scalars(job_stmt.options(selectinload(Job.employer), selectinload(Job.hours_changes)))
    )
    measures = client_measures(session, client)
    note_stmt = select(ClientNote).where(ClientNote.client_id == client.id, ClientNote.kind == NOTE_KIND)
    notes = list(session.scalars(note_stmt.order_by(ClientNote.noted_on.desc(), ClientNote.id.desc())))
    goal = (profile.work_goals if profile else None) or (plan.goal if plan else None)
    return ClinicianSummary(
        client=client,
        work_goal=goal,
        preferred_jobs=_preferred_jobs(session, client),
        phase=work_phase(client, jobs, day),
        next_step=_next_step(plan),
        milestones=milestones(client, jobs, measures, day),
        prom=client_prom_view(client, measures),
        notes=notes,
    )


def work_note_add(
    session: Session, *, client: Client, author_id: int, text: str, noted_on: date
) -> ClientNote:
    """Add a treatment team note on work to the client's timeline; audited."""
    note = ClientNote(
        ref=next_ref(session, ClientNote),
        client_id=client.id,
        author_id=author_id,
        noted_on=noted_on,
        kind=NOTE_KIND,
        text=text,
    )
    return added_audited(session, note, client_id=client.id, user_id=author_id)


class WorkNoteForm(FlaskForm):
    """A short treatment team note on work."""

    text = TextAreaField(
        _l("Treatment team note on work"),
        filters=[strip],
        validators=[DataRequired(), Length(max=NOTE_MAX), NoNul()],
        description=_l("Short, about work: what the treatment team sees or plans. At most 1000 characters."),
    )


def clinician_client_page(client: Client, form: WorkNoteForm | None = None, status: int = 200):
    """Render the clinician's page of ``client`` (the caller has scoped and audited the access)."""
    summary = clinician_summary(db.session, client, today())
    db.session.commit()
    html = render_template(
        "principles/clinician_client.html", s=summary, form=form or WorkNoteForm(formdata=None)
    )
    return html, status


@bp.get("/clients/<ref>/work")
@roles_required("clinician")
def client_work(ref: str):
    """The clinician's one-page view of a client's work and health outcomes."""
    return clinician_client_page(client_for(db.session, current_user, ref))


@bp.post("/clients/<ref>/work-notes")
@roles_required("clinician")
def work_note_new(ref: str):
    """Add a treatment team note on work."""
    client = client_for(db.session, current_user, ref, action="note")
    form = WorkNoteForm()
    if not form.validate_on_submit():
        return clinician_client_page(client, form, 422)
    work_note_add(db.session, client=client, author_id=current_user.id, text=form.text.data, noted_on=today())
    db.session.commit()
    flash(_("Note added to the timeline."))
    return redirect(url_for("clinician.client_work", ref=client.ref))
