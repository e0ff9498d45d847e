"""Record and correct benefits counselling sessions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.benefits import services
from caseload.benefits.forms import BenefitsForm
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.clients.scoping import client_for
from caseload.db import utcnow
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import BENEFITS_KINDS
from caseload.prefill import code_in, day_up_to, prefill
from caseload.writes import client_changed, save

bp = Blueprint("benefits", __name__)
STAFF = ("specialist", "supervisor")


def _fields(form: BenefitsForm) -> services.SessionFields:
    return services.SessionFields(
        session_date=form.session_date.data,
        kind=form.kind.data,
        planner_name=form.planner_name.data or None,
        trained_planner=bool(form.trained_planner.data),
        notes=form.notes.data or None,
    )


def _record_or_404(client: Client, session_ref: str) -> BenefitsSession:
    record = db.session.scalar(
        select(BenefitsSession).where(
            BenefitsSession.client_id == client.id, BenefitsSession.ref == session_ref
        )
    )
    if record is None:
        abort(404)
    return record


def _saved(client: Client, message: str):
    client_changed(db.session, client_id=client.id, now=utcnow())
    db.session.commit()
    flash(message)
    return redirect(url_for("principles.client_page", ref=client.ref, _anchor="benefits-h"))


def _page(form, client: Client, record=None, saved=None):
    html = render_template("benefits/form.html", form=form, client=client, record=record, saved=saved)
    db.session.commit()  # the audit events of the read
    return html, 409 if saved else (422 if form.errors or form.form_errors else 200)


@bp.route("/clients/<ref>/benefits/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def session_new(ref: str):
    """Record a benefits counselling session."""
    client = client_for(db.session, current_user, ref)
    kinds = {"kind": ("kind", code_in(BENEFITS_KINDS)), "date": ("session_date", day_up_to(today))}
    form = BenefitsForm(data={"session_date": today()} | prefill(kinds))
    if form.validate_on_submit():
        outcome = save(
            form,
            lambda: services.benefits_session_record(
                db.session, client=client, fields=_fields(form), user_id=current_user.id
            ),
        )
        if outcome.ok:
            return _saved(client, _("Benefits counselling session recorded."))
    return _page(form, client)


@bp.route("/clients/<ref>/benefits/<session_ref>", methods=["GET", "POST"])
@roles_required(*STAFF)
def session_edit(ref: str, session_ref: str):
    """Correct a benefits counselling session (the earlier version is kept)."""
    client = client_for(db.session, current_user, ref)
    record = _record_or_404(client, session_ref)
    form, saved = BenefitsForm(obj=record), None
    if form.validate_on_submit():
        outcome = save(
            form,
            lambda: services.benefits_session_update(
                db.session,
                record=record,
                client=client,
                fields=_fields(form),
                version=form.version.data,
                user_id=current_user.id,
            ),
            record,
        )
        if outcome.ok:
            return _saved(client, _("Benefits counselling session corrected."))
        saved = outcome.conflict
    return _page(form, client, record, saved)
