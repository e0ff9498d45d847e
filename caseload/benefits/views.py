"""Record and correct benefits counselling sessions."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from caseload.benefits import services
from caseload.benefits.forms import BenefitsForm
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.clients.scoping import client_record_routes
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import BENEFITS_KINDS
from caseload.pages import add_or_correct, record_form
from caseload.prefill import code_in, day_up_to, prefill

bp = Blueprint("benefits", __name__)
STAFF = ("specialist", "supervisor")
RULES = ("/clients/<ref>/benefits/new", "/clients/<ref>/benefits/<session_ref>")  # new, correction


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


@client_record_routes(bp, "session", RULES, STAFF, _record_or_404)
def _session_form(client: Client, record: BenefitsSession | None):
    """Record a benefits counselling session, or correct one (the earlier version is kept)."""
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
