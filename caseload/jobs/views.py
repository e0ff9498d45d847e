"""Job start, the job's page, correction, change of hours, job end; the job-type list."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.models import RecordRevision, User
from caseload.clients.models import Client
from caseload.clients.scoping import client_for, client_record_routes
from caseload.employers.models import Employer
from caseload.extensions import db
from caseload.forms import form_data
from caseload.jobs import services
from caseload.jobs.forms import (
    COMPONENT_LABELS,
    END_REASON_LABELS,
    NOT_COMPETITIVE_LABELS,
    HoursForm,
    JobEndForm,
    JobForm,
    JobTypeForm,
)
from caseload.jobs.models import COMPETITIVE_COMPONENTS, Job
from caseload.pages import add_or_correct, done, fields_write, form_page, page, record_form
from caseload.writes import submit

bp = Blueprint("jobs", __name__)
STAFF = ("specialist", "supervisor")
RULES = ("/clients/<ref>/jobs/new", "/clients/<ref>/jobs/<job_ref>/edit")  # new, correction


def _job_or_404(client: Client, job_ref: str) -> Job:
    job = db.session.scalar(select(Job).where(Job.client_id == client.id, Job.ref == job_ref))
    if job is None:
        abort(404)
    return job


def _job_form(client: Client, job: Job | None = None) -> JobForm:
    form = JobForm(obj=job)
    names = db.session.execute(select(Employer.id, Employer.name).order_by(Employer.name, Employer.id))
    form.employer_id.choices = [(0, _("Choose an employer"))] + [(i, n) for i, n in names]
    codes = services.job_type_codes(db.session, client.program_id)
    if job is not None and job.job_type and job.job_type not in codes:
        codes[job.job_type] = ""
    form.job_type.choices = [("", _("No job type"))] + [(c, f"{c} {n}".strip()) for c, n in codes.items()]
    return form


def _fields(form: JobForm) -> services.JobFields:
    return services.JobFields(
        employer_id=form.employer_id.data or None,
        new_employer=form.new_employer.data or None,
        title=form.title.data,
        job_type=form.job_type.data or None,
        start_date=form.start_date.data,
        hours_per_week=form.hours_per_week.data,
        hourly_wage=form.hourly_wage.data,
        components=tuple((c, bool(form[c].data)) for c in COMPETITIVE_COMPONENTS),
        found_with_ips=bool(form.found_with_ips.data),
    )


def _done(client: Client, job: Job, message: str):
    return done(message, url_for("jobs.job_page", ref=client.ref, job_ref=job.ref), client=client)


@bp.get("/clients/<ref>/jobs/<job_ref>")
@roles_required(*STAFF)
def job_page(ref: str, job_ref: str):
    """A job: whether it is competitive and why not, its hours, its end, its corrections."""
    client = client_for(db.session, current_user, ref)
    job = _job_or_404(client, job_ref)
    revisions = db.session.execute(
        select(RecordRevision.version, RecordRevision.changed_at, User.name)
        .outerjoin(User, User.id == RecordRevision.changed_by_id)
        .where(RecordRevision.entity == Job.__tablename__, RecordRevision.entity_id == job.id)
        .order_by(RecordRevision.id.desc())
    ).all()
    return page(
        "jobs/job.html",
        client=client,
        job=job,
        codes=services.job_type_codes(db.session, client.program_id),
        revisions=revisions,
        components=COMPETITIVE_COMPONENTS,
        labels=COMPONENT_LABELS,
        reasons=NOT_COMPETITIVE_LABELS,
        end_reasons=END_REASON_LABELS,
    )


@client_record_routes(bp, "job", RULES, STAFF, _job_or_404)
def _job_details(client: Client, job: Job | None):
    """Record a job start, or correct a job's details (the earlier version is kept); then the job's page."""
    form = _job_form(client, job)
    add, correct = services.job_start_record, services.job_update
    write = add_or_correct(form, _fields, add, correct, ("job", job), client=client)
    url = lambda saved: url_for("jobs.job_page", ref=client.ref, job_ref=(job or saved).ref)  # noqa: E731
    said = _("Job start recorded.") if job is None else _("Job corrected.")
    return record_form(
        form, write, job, template="jobs/form.html", said=said, url=url, client=client, job=job
    )


@bp.route("/clients/<ref>/jobs/<job_ref>/hours", methods=["GET", "POST"])
@roles_required(*STAFF)
def job_hours(ref: str, job_ref: str):
    """Record a change of contracted hours from a date."""
    return _job_change(ref, job_ref, HOURS_CHANGE, _("Change of hours recorded."))


@bp.route("/clients/<ref>/jobs/<job_ref>/end", methods=["GET", "POST"])
@roles_required(*STAFF)
def job_end(ref: str, job_ref: str):
    """Record the job's last working day and why it ended."""
    return _job_change(ref, job_ref, JOB_END, _("Job end recorded."))


# a change to a job: its form, its service, the form's fields the service takes by name, its page
HOURS_CHANGE = (
    HoursForm,
    services.job_hours_change,
    ("effective_from", "hours_per_week", "hourly_wage"),
    "jobs/hours.html",
)
JOB_END = (JobEndForm, services.job_end, ("end_date", "end_reason", "version"), "jobs/end.html")


def _job_change(ref: str, job_ref: str, kind: tuple, said: str):
    """A change to a job from a form whose fields the service takes by their names; a form with the
    job's version opens on the job and shows an edit conflict beside the input."""
    form_class, change, names, template = kind
    client = client_for(db.session, current_user, ref)
    job = _job_or_404(client, job_ref)
    edited = job if "version" in names else None
    form = form_class(obj=edited)
    write = fields_write(form, change, *names, job=job)
    url = url_for("jobs.job_page", ref=client.ref, job_ref=job.ref)
    return record_form(form, write, edited, template=template, said=said, url=url, client=client, job=job)


@bp.route("/job-types", methods=["GET", "POST"])
@roles_required(*STAFF)
def job_types():
    """The programme's job-type codes; specialists and supervisors may add codes."""
    form = JobTypeForm()
    program_id = current_user.program_id
    outcome = submit(
        form,
        lambda: services.job_type_add(db.session, program_id=program_id, **form_data(form, "code", "label")),
    )
    if outcome.ok:
        return done(_("Job type %(code)s added.", code=form.code.data), url_for("jobs.job_types"))
    codes = services.job_type_codes(db.session, current_user.program_id)
    return form_page("jobs/job_types.html", form, codes=codes)
