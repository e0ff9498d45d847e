"""Log and correct client contacts; the form is made for a phone in the street."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.clients.models import Client
from caseload.clients.scoping import client_record_routes
from caseload.contacts import services
from caseload.contacts.forms import ContactForm
from caseload.contacts.models import ClientContact
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import CLIENT_CONTACT_MODES, PURPOSES
from caseload.pages import add_or_correct, record_form
from caseload.prefill import code_in, day_up_to, prefill

bp = Blueprint("contacts", __name__)
ROLES = ("specialist", "supervisor", "clinician")
RULES = ("/clients/<ref>/contacts/new", "/clients/<ref>/contacts/<contact_ref>")  # new, correction


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


@client_record_routes(bp, "contact", RULES, ROLES, _contact_or_404)
def _contact_form(client: Client, contact: ClientContact | None):
    """Log a contact with the client or an outreach attempt, or correct a contact (the earlier version is
    kept)."""
    form = _form(client, contact)
    add, correct = services.client_contact_record, services.client_contact_update
    write = add_or_correct(form, _fields, add, correct, ("contact", contact), client=client)
    said = _("Contact saved.") if contact is None else _("Contact corrected.")
    url = url_for("principles.client_page", ref=client.ref)
    return record_form(
        form,
        write,
        contact,
        template="contacts/form.html",
        said=said,
        url=url,
        client=client,
        contact=contact,
    )
