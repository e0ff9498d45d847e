"""Record and correct benefits counselling sessions."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.benefits import services
from caseload.benefits.forms import BenefitsForm
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.clients.scoping import client_for
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import BENEFITS_KINDS
from caseload.pages import add_or_correct, record_form
from caseload.prefill import code_in, day_up_to, prefill

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


@bp.route("/clients/<ref>/benefits/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def session_new(ref: str):
    """Record a benefits counselling session."""
    return _session_form(client_for(db.session, current_user, ref), None)


@bp.route("/clients/<ref>/benefits/<session_ref>", methods=["GET", "POST"])
@roles_required(*STAFF)
def session_edit(ref: str, session_ref: str):
    """Correct a benefits counselling session (the earlier version is kept)."""
    client = client_for(db.session, current_user, ref)
    return _session_form(client, _record_or_404(client, session_ref))


def _session_form(client: Client, record: BenefitsSession | None):
    """A new session's form, or a session's correction."""
    if record is None:
        kinds = {"kind": ("kind", code_in(BENEFITS_KINDS)), "date": ("session_date", day_up_to(today))}
        form = BenefitsForm(data={"session_date": today()} | prefill(kinds))
    else:
        form = BenefitsForm(obj=record)
    add, correct = services.benefits_session_record, services.benefits_session_update
    write = add_or_correct(form, _fields, add, correct, ("record", record), client=client)
    if record is None:
        said = _("Benefits counselling session recorded.")
    else:
        said = _("Benefits counselling session corrected.")
    url = url_for("principles.client_page", ref=client.ref, _anchor="benefits-h")
    return record_form(
        form, write, record, template="benefits/form.html", said=said, url=url, client=client, record=record
    )
