"""Void a record, move it to the right client, read its history (one route pattern for every kind)."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.models import RecordRevision, User
from caseload.clients.models import CareerProfile, Client, Referral
from caseload.clients.scoping import client_for, scoped_clients
from caseload.corrections import services
from caseload.corrections.forms import MoveForm, VoidForm
from caseload.corrections.history import Version, history
from caseload.corrections.present import Words, describe, labels_for, long_text_for
from caseload.db import utcnow
from caseload.employers.access import MAX_ID, may_manage, specialist_or_404, week_or_404
from caseload.employers.models import EmployerContact, WeeklyReview
from caseload.extensions import db
from caseload.forms import today
from caseload.jobs.models import Job
from caseload.pages import done, form_page
from caseload.writes import client_changed, program_changed, submit

bp = Blueprint("corrections", __name__)
ROLES = ("specialist", "supervisor", "clinician")


def _record_or_404(client: Client, record_ref: str):
    record = services.client_record(db.session, client, record_ref)
    if record is None or not services.may_correct(db.session, current_user, record, client):
        abort(404)
    return record


def _refresh(clients: list[Client], record) -> None:
    """The prompts of every client concerned (and the programme's, for an employer contact)."""
    now = utcnow()
    for c in {c.id: c for c in clients}.values():
        client_changed(db.session, client_id=c.id, now=now)
    if isinstance(record, EmployerContact | WeeklyReview):
        program_changed(db.session, program_id=record.specialist.program_id, now=now)


def _back(client: Client | None, record) -> str:
    if client is not None:
        return url_for("principles.client_page", ref=client.ref)
    if isinstance(record, WeeklyReview):
        monday = record.week_start.isoformat()
        return url_for("employers.week_log", user_id=record.specialist_id, monday=monday)
    return url_for("clients.referrals" if isinstance(record, Referral) else "employers.log")


def _void_page(client: Client | None, record, form: VoidForm, action: str):
    clients = list(getattr(record, "clients", [])) or ([client] if client else [])
    outcome = submit(
        form,
        lambda: services.record_void(
            db.session,
            on=today(),
            record=record,
            clients=clients,
            reason=form.reason.data,
            version=form.version.data,
            user_id=current_user.id,
        ),
    )
    if outcome.ok:
        _refresh(clients, record)
        message = _("%(what)s is void. It is kept, and counts in no number.", what=describe(record))
        return done(message, _back(client, record))
    back = _back(client, record)
    return form_page("corrections/void.html", form, client=client, record=record, action=action, back=back)


@bp.route("/clients/<ref>/records/<record_ref>/void", methods=["GET", "POST"])
@roles_required(*ROLES)
def record_void(ref: str, record_ref: str):
    """Void a record of the client with a reason (asks to confirm)."""
    client = client_for(db.session, current_user, ref)
    record = _record_or_404(client, record_ref)
    form = VoidForm(version=getattr(record, "version", None))
    return _void_page(client, record, form, url_for(".record_void", ref=ref, record_ref=record_ref))


@bp.route("/clients/<ref>/jobs/<job_ref>/hours/<since>/void", methods=["GET", "POST"])
@roles_required("specialist", "supervisor")
def hours_void(ref: str, job_ref: str, since: str):
    """Void a change of a job's hours with a reason (asks to confirm)."""
    client = client_for(db.session, current_user, ref)
    job = _record_or_404(client, job_ref)
    try:
        hours = services.job_hours_record(db.session, job, date.fromisoformat(since))
    except ValueError:
        hours = None
    if not isinstance(job, Job) or hours is None:
        abort(404)
    action = url_for(".hours_void", ref=ref, job_ref=job_ref, since=since)
    return _void_page(client, hours, VoidForm(), action)


@bp.route("/employers/contacts/<ec_ref>/void", methods=["GET", "POST"])
@roles_required("specialist", "supervisor")
def employer_contact_void(ec_ref: str):
    """Void an employer contact (one for no client, too) with a reason (asks to confirm)."""
    contact = services.employer_contact(db.session, ec_ref)
    if contact is None or not may_manage(contact.specialist):
        abort(404)
    form = VoidForm(version=contact.version)
    return _void_page(None, contact, form, url_for(".employer_contact_void", ec_ref=ec_ref))


@bp.route("/referrals/<referral_ref>/void", methods=["GET", "POST"])
@roles_required("specialist", "supervisor")
def referral_void(referral_ref: str):
    """Void a referral recorded by mistake (twice, or for the wrong person) with a reason."""
    referral = services.referral_for_void(db.session, referral_ref, current_user.program_id)
    if referral is None or not services.may_correct(db.session, current_user, referral, None):
        abort(404)
    form = VoidForm(version=referral.version)
    return _void_page(None, referral, form, url_for(".referral_void", referral_ref=referral_ref))


@bp.route(f"/employers/log/<int(max={MAX_ID}):user_id>/<monday>/review/void", methods=["GET", "POST"])
@roles_required("supervisor")
def weekly_review_void(user_id: int, monday: str):
    """Void a weekly review of a specialist's log (marked by mistake) with a reason."""
    specialist = specialist_or_404(user_id)
    review = services.weekly_review(db.session, specialist.id, week_or_404(monday))
    if review is None:
        abort(404)
    action = url_for(".weekly_review_void", user_id=user_id, monday=monday)
    return _void_page(None, review, VoidForm(), action)


def _targets(client: Client) -> list[tuple[str, str]]:
    stmt = scoped_clients(current_user).where(
        Client.program_id == client.program_id, Client.id != client.id, Client.closed_on.is_(None)
    )
    return [
        (c.ref, f"{c.name} ({c.ref})") for c in db.session.scalars(stmt.order_by(Client.name, Client.ref))
    ]


@bp.route("/clients/<ref>/records/<record_ref>/move", methods=["GET", "POST"])
@roles_required("specialist", "supervisor")
def record_move(ref: str, record_ref: str):
    """Move a record made on the wrong client to the right one."""
    client = client_for(db.session, current_user, ref)
    record = _record_or_404(client, record_ref)
    if record.voided_on is not None:
        abort(404)
    form = MoveForm(version=record.version)
    form.target.choices = [("", _("Choose the right client")), *_targets(client)]

    def move() -> Client:
        # the choices are the clients in the person's scope: the form refused any other ref
        target = db.session.scalars(scoped_clients(current_user).where(Client.ref == form.target.data)).one()
        services.record_move(
            db.session,
            record=record,
            source=client,
            target=target,
            version=form.version.data,
            user_id=current_user.id,
        )
        return target

    outcome = submit(form, move)
    if outcome.ok:
        target = outcome.result
        _refresh([client, target], record)
        message = _("%(what)s moved to %(ref)s.", what=describe(record), ref=target.ref)
        return done(message, url_for("principles.client_page", ref=target.ref))
    return form_page("corrections/move.html", form, client=client, record=record)


def _history_page(client: Client, record, title: str):
    revisions = db.session.execute(
        select(RecordRevision.version, RecordRevision.data, RecordRevision.changed_at, User.name)
        .outerjoin(User, User.id == RecordRevision.changed_by_id)
        .where(RecordRevision.entity == record.__tablename__, RecordRevision.entity_id == record.id)
        .order_by(RecordRevision.id)
    ).all()
    now = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    versions = [Version(v, json.loads(data), at, name) for v, data, at, name in revisions]
    versions.append(Version(record.version, json.loads(json.dumps(now, default=str))))
    model = type(record)
    words = Words(db.session, model, [v.data for v in versions])
    steps = history(versions, labels=labels_for(model), long_text=long_text_for(model), show=words)
    html = render_template("corrections/history.html", client=client, record=record, title=title, steps=steps)
    db.session.commit()
    return html


@bp.get("/clients/<ref>/records/<record_ref>/history")
@roles_required(*ROLES)
def record_history(ref: str, record_ref: str):
    """What changed in each correction of a record, field by field."""
    client = client_for(db.session, current_user, ref)
    record = services.client_record(db.session, client, record_ref)
    if record is None or (
        current_user.role == "clinician" and getattr(record, "staff_id", None) != current_user.id
    ):
        abort(404)
    return _history_page(client, record, describe(record))


@bp.get("/clients/<ref>/profile/history")
@roles_required("specialist", "supervisor")
def profile_history(ref: str):
    """What changed in each update of the career profile, field by field."""
    client = client_for(db.session, current_user, ref)
    profile = db.session.scalar(select(CareerProfile).where(CareerProfile.client_id == client.id))
    if profile is None:
        abort(404)
    return _history_page(client, profile, _("Career profile"))
