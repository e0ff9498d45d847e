"""The employer directory: search, add, correct, contact people. Employment staff only."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.employers import queries, services
from caseload.employers.access import MAX_ID, STAFF, employer_or_404, may_manage, person_or_404
from caseload.employers.forms import MODE_LABELS, EmployerForm, PersonForm, SearchForm
from caseload.extensions import db
from caseload.forms import form_data
from caseload.pages import done
from caseload.writes import submit

bp = Blueprint("employers", __name__, url_prefix="/employers")


def status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def audit_list(action: str, target: str, shown: list[str]) -> None:
    """One audit event for a page that lists the clients ``shown`` (their refs; as the caseload
    home does), so each client's access report finds it.

    The caller commits after rendering, so that the loaded records are not expired before use."""
    if shown:
        audit(db.session, action=action, target=target[:120], user_id=current_user.id, shown=shown)


def linked_refs(contacts, visible: set[int]) -> list[str]:
    """The refs of the ``visible`` clients linked to ``contacts`` (what the page names)."""
    return [c.ref for contact in contacts for c in contact.clients if c.id in visible]


def rendered(template: str, code: int = 200, **context):
    """Render, then commit the read's audit event."""
    page = render_template(template, **context)
    db.session.commit()
    return page, code


@bp.get("/")
@roles_required(*STAFF)
def index():
    """The employer directory, searchable by name or organisation number."""
    form = SearchForm(request.args)
    q = form.q.data if form.validate() else None
    employers = queries.employers_search(db.session, q) if not form.errors else []
    return render_template(
        "employers/index.html", form=form, employers=employers, limit=queries.SEARCH_LIMIT
    ), status(form)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def employer_new():
    """Add an employer."""
    form = EmployerForm()
    outcome = submit(
        form,
        lambda: services.employer_create(db.session, **form_data(form, "name", "org_number", "industry")),
    )
    if outcome.ok:
        employer = outcome.result
        return done(_("Employer %(ref)s added.", ref=employer.ref), _page_url(employer))
    return _employer_form(form, None)


def _page_url(employer) -> str:
    return url_for("employers.employer_page", ref=employer.ref)


def _employer_form(form, employer, conflict=None):
    return render_template(
        "employers/employer_form.html",
        form=form,
        employer=employer,
        conflict=conflict,
        industries=queries.industries(db.session),
    ), status(form)


@bp.get("/<ref>")
@roles_required(*STAFF)
def employer_page(ref: str):
    """An employer: details, contact people and the programme's latest contacts with it."""
    employer = employer_or_404(ref)
    contacts = queries.employer_contacts_of(db.session, employer.id, current_user.program_id)
    visible = queries.visible_client_ids(db.session, current_user, contacts)
    audit_list("view_employer_contacts", employer.ref, linked_refs(contacts, visible))
    return rendered(
        "employers/employer.html",
        employer=employer,
        contacts=contacts,
        visible=visible,
        manageable={c.id for c in contacts if may_manage(c.specialist)},
        modes=MODE_LABELS,
    )


@bp.route("/<ref>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def employer_edit(ref: str):
    """Correct an employer; a save over a newer version is a conflict."""
    employer = employer_or_404(ref)
    form = EmployerForm(obj=employer)
    outcome = submit(
        form,
        lambda: services.employer_update(
            db.session,
            employer=employer,
            user_id=current_user.id,
            **form_data(form, "version", "name", "org_number", "industry"),
        ),
    )
    if outcome.ok:
        return done(_("Employer saved."), _page_url(employer))
    if outcome.conflicted:  # the message on top, the saved values beside the input
        form.version.data = employer.version
        return _employer_form(form, employer, conflict=employer)
    return _employer_form(form, employer)


@bp.route("/<ref>/people/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def person_new(ref: str):
    """Add a contact person at an employer."""
    return _person_form(employer_or_404(ref), None)


@bp.route(f"/<ref>/people/<int(max={MAX_ID}):person_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def person_edit(ref: str, person_id: int):
    """Correct a contact person's details."""
    employer = employer_or_404(ref)
    return _person_form(employer, person_or_404(employer, person_id))


def _person_form(employer, person):
    """A new contact person's form, or a person's correction (the stamp catches a conflict)."""
    form = PersonForm() if person is None else PersonForm(obj=person, stamp=services.person_stamp(person))

    def write():
        details = form_data(form, "name", "role", "phone", "email")
        if person is None:
            return services.person_add(db.session, employer=employer, **details)
        return services.person_update(
            db.session, person=person, stamp=form.stamp.data, user_id=current_user.id, **details
        )

    outcome, conflict = submit(form, write), None
    if outcome.ok:
        message = _("Contact person added.") if person is None else _("Contact person saved.")
        return done(message, _page_url(employer))
    if outcome.conflicted:
        form.stamp.data, conflict = services.person_stamp(person), person
    page = render_template(
        "employers/person_form.html", form=form, employer=employer, person=person, conflict=conflict
    )
    return page, status(form)
