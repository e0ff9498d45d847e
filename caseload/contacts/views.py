"""Log and correct client contacts; the form is made for a phone in the street."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.clients.models import Client
from caseload.clients.scoping import client_for
from caseload.contacts import services
from caseload.contacts.forms import ContactForm
from caseload.contacts.models import ClientContact
from caseload.db import utcnow
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import CLIENT_CONTACT_MODES, PURPOSES
from caseload.prefill import code_in, day_up_to, prefill
from caseload.writes import client_changed, save

bp = Blueprint("contacts", __name__)
ROLES = ("specialist", "supervisor", "clinician")


def _form(client: Client, contact: ClientContact | None = None) -> ContactForm:
    defaults = {} if contact else {"contact_date": today(), "staff_id": current_user.id} | _linked()
    form = ContactForm(obj=contact, **defaults)
    choices = services.staff_choices(db.session, client.program_id)
    if current_user.role == "clinician":  # clinicians log their own contacts only
        choices = [c for c in choices if c[0] == current_user.id]
    form.staff_id.choices = choices
    return form


def _linked() -> dict[str, object]:
    """What the link that opened a new contact's form pre-fills (a prompt's purpose, mode, date)."""
    return prefill(
        {
            "purpose": ("purpose", code_in(PURPOSES)),
            "mode": ("mode", code_in(CLIENT_CONTACT_MODES)),
            "date": ("contact_date", day_up_to(today)),
        }
    )


def _fields(form: ContactForm) -> services.ContactFields:
    return services.ContactFields(
        contact_date=form.contact_date.data,
        staff_id=form.staff_id.data,
        mode=form.mode.data,
        location=form.location.data,
        minutes=form.minutes.data or 0,
        purpose=form.purpose.data,
        notes=form.notes.data or None,
    )


def _contact_or_404(client: Client, contact_ref: str) -> ClientContact:
    contact = db.session.scalar(
        select(ClientContact).where(ClientContact.client_id == client.id, ClientContact.ref == contact_ref)
    )
    if contact is None or (current_user.role == "clinician" and contact.staff_id != current_user.id):
        abort(404)
    return contact


def _saved(client: Client, message: str):
    client_changed(db.session, client_id=client.id, now=utcnow())
    db.session.commit()
    flash(message)
    return redirect(url_for("principles.client_page", ref=client.ref))


def _page(form, client: Client, contact=None, saved=None):
    html = render_template("contacts/form.html", form=form, client=client, contact=contact, saved=saved)
    db.session.commit()  # the audit events of the read
    return html, 409 if saved else (422 if form.errors or form.form_errors else 200)


@bp.route("/clients/<ref>/contacts/new", methods=["GET", "POST"])
@roles_required(*ROLES)
def contact_new(ref: str):
    """Log a contact with the client, or an outreach attempt."""
    client = client_for(db.session, current_user, ref)
    form = _form(client)
    if form.validate_on_submit():
        outcome = save(
            form,
            lambda: services.client_contact_record(
                db.session, client=client, fields=_fields(form), user_id=current_user.id
            ),
        )
        if outcome.ok:
            return _saved(client, _("Contact saved."))
    return _page(form, client)


@bp.route("/clients/<ref>/contacts/<contact_ref>", methods=["GET", "POST"])
@roles_required(*ROLES)
def contact_edit(ref: str, contact_ref: str):
    """Correct a contact (the earlier version is kept)."""
    client = client_for(db.session, current_user, ref)
    contact = _contact_or_404(client, contact_ref)
    form, saved = _form(client, contact), None
    if form.validate_on_submit():
        outcome = save(
            form,
            lambda: services.client_contact_update(
                db.session,
                contact=contact,
                client=client,
                fields=_fields(form),
                version=form.version.data,
                user_id=current_user.id,
            ),
            contact,
        )
        if outcome.ok:
            return _saved(client, _("Contact corrected."))
        saved = outcome.conflict
    return _page(form, client, contact, saved)
