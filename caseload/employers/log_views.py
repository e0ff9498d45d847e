"""The job development log: log and correct employer contacts, a specialist's week, weekly reviews."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.db import utcnow
from caseload.employers import queries, services
from caseload.employers.access import (
    MAX_ID,
    STAFF,
    contact_or_404,
    specialist_or_404,
    week_or_404,
)
from caseload.employers.forms import MODE_LABELS, EmployerContactForm, ReviewForm
from caseload.employers.models import EmployerContact
from caseload.employers.rules import WEEKLY_TARGET
from caseload.employers.views import audit_list, bp, linked_refs, rendered, status
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import EMPLOYER_CONTACT_MODES
from caseload.metrics.periods import monday_of, week_end
from caseload.pages import done
from caseload.prefill import code_in, day_up_to, prefill
from caseload.prefill import ref as ref_or_none
from caseload.writes import client_changed, submit

WEEK = f"/log/<int(max={MAX_ID}):user_id>/<monday>"


def _choices(form: EmployerContactForm, contact: EmployerContact | None) -> EmployerContactForm:
    session, user = db.session, current_user
    if user.role == "specialist":
        form.specialist_id.choices = [(user.id, user.name)]
    else:
        people = queries.program_specialists(session, user.program_id, active_only=True)
        if contact is not None and contact.specialist not in people:
            people.append(contact.specialist)
        form.specialist_id.choices = [(s.id, s.name) for s in people]
    form.employer.choices = [("", _("Choose an employer"))] + queries.employer_choices(session)
    job_types = queries.job_type_labels(session, user.program_id)
    if contact is not None and contact.job_type and contact.job_type not in job_types:
        job_types[contact.job_type] = contact.job_type
    form.job_type.choices = [("", _("Not about one job type"))] + list(job_types.items())
    linked = contact.clients if contact is not None else ()
    form.client_refs.choices = queries.client_choices(session, user, linked)
    return form


def _input(form: EmployerContactForm) -> services.ContactInput:
    return services.ContactInput(
        contact_date=form.contact_date.data,
        specialist_id=form.specialist_id.data,
        employer_ref=form.employer.data or None,
        new_employer=form.new_employer.data or None,
        mode=form.mode.data,
        client_refs=tuple(form.client_refs.data or ()),
        job_type=form.job_type.data or None,
        minutes=form.minutes.data or 0,
        purpose=form.purpose.data,
        outcome=form.outcome.data,
        next_step=form.next_step.data,
        person_name=form.person_name.data,
    )


def _week_url(contact: EmployerContact) -> str:
    monday = monday_of(contact.contact_date).isoformat()
    return url_for("employers.week_log", user_id=contact.specialist_id, monday=monday)


def _contact_form(form, contact=None, conflict=None, back=None):
    back = back or (_week_url(contact) if contact is not None else url_for("employers.log"))
    target = contact.ref if contact is not None else "new employer contact"
    audit_list("view_client_choices", target, [ref for ref, _label in form.client_refs.choices])
    return rendered(
        "employers/contact_form.html",
        status(form),
        form=form,
        contact=contact,
        conflict=conflict,
        modes=MODE_LABELS,
        back=back,
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_new():
    """Log an employer contact: today, face to face, by me, unless changed."""
    employer = request.args.get("employer", "")[:40]
    defaults = {"contact_date": today(), "specialist_id": current_user.id, "employer": employer} | _linked()
    form = _choices(EmployerContactForm(data=defaults), None)
    chosen = request.args.get("client", "")[:40]  # a ref from the client's page (refs only, never names)
    if not form.is_submitted() and chosen in {ref for ref, _label in form.client_refs.choices}:
        form.client_refs.data = [chosen]
    outcome = submit(
        form, lambda: services.employer_contact_record(db.session, user=current_user, data=_input(form))
    )
    if outcome.ok:
        contact = outcome.result
        if chosen in {c.ref for c in contact.clients}:  # logged from the client's page: back there
            return _saved(contact, url_for("principles.client_page", ref=chosen))
        return _saved(contact, _week_url(contact))
    from_client = chosen in {ref for ref, _label in form.client_refs.choices}
    return _contact_form(form, back=url_for("principles.client_page", ref=chosen) if from_client else None)


def _linked() -> dict[str, object]:
    """What a prompt's link pre-fills: the client it is for, the mode, the date (refs and codes)."""
    return prefill(
        {
            "client": ("client_refs", _one_ref),
            "mode": ("mode", code_in(EMPLOYER_CONTACT_MODES)),
            "date": ("contact_date", day_up_to(today)),
        }
    )


def _one_ref(raw: str) -> list[str] | None:
    return [raw] if ref_or_none(raw) else None


def _saved(contact: EmployerContact, url: str):
    """The prompts a face-to-face contact satisfies (rapid job search) are done at once."""
    for client in contact.clients:
        client_changed(db.session, client_id=client.id, now=utcnow())
    return done(_("Employer contact %(ref)s saved.", ref=contact.ref), url)


def _contact_data(contact: EmployerContact) -> dict:
    data = {k: getattr(contact, k) for k in ("contact_date", "specialist_id", "mode", "job_type")}
    data |= {k: getattr(contact, k) for k in ("minutes", "purpose", "outcome", "next_step", "version")}
    data["person_name"] = contact.person_name
    return data | {"employer": contact.employer.ref, "client_refs": [c.ref for c in contact.clients]}


@bp.route("/contacts/<ref>", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_edit(ref: str):
    """Correct an employer contact; the earlier state is kept."""
    contact = contact_or_404(ref)
    form = _choices(EmployerContactForm(data=_contact_data(contact)), contact)
    outcome = submit(
        form,
        lambda: services.employer_contact_update(
            db.session, user=current_user, contact=contact, version=form.version.data, data=_input(form)
        ),
    )
    if outcome.ok:
        return _saved(contact, _week_url(contact))
    if outcome.conflicted:  # the message on top, the saved values beside the input
        form.version.data = contact.version
        return _contact_form(form, contact, conflict=contact)
    if not form.is_submitted():
        for client in queries.client_subset(db.session, current_user, contact.clients):
            audit(db.session, action="view", client_id=client.id, target=contact.ref)
    return _contact_form(form, contact)


@bp.get("/log")
@roles_required(*STAFF)
def log():
    """This week's log: mine, or my programme's specialists for a supervisor."""
    monday = monday_of(today()).isoformat()
    if current_user.role == "supervisor":
        return redirect(url_for("employers.team_week", monday=monday))
    return redirect(url_for("employers.week_log", user_id=current_user.id, monday=monday))


def _week_nav(monday: date) -> dict:
    this_week = monday_of(today())
    later = monday + timedelta(weeks=1)
    return {
        "previous": (monday - timedelta(weeks=1)).isoformat(),
        "next": later.isoformat() if later <= this_week else None,
        "this_week": this_week.isoformat() if monday != this_week else None,
    }


@bp.get("/team/<monday>")
@roles_required("supervisor")
def team_week(monday: str):
    """A supervisor's view of one week: each specialist's face-to-face contacts and review."""
    day = week_or_404(monday)
    if monday_of(day).isoformat() != monday:
        return redirect(url_for("employers.team_week", monday=monday_of(day).isoformat()))
    people = queries.program_specialists(db.session, current_user.program_id)
    ids = [s.id for s in people]
    return render_template(
        "employers/team_week.html",
        monday=day,
        sunday=week_end(day),
        people=people,
        counts=queries.week_counts_for(db.session, ids, day),
        reviews=queries.week_reviews(db.session, ids, day),
        target=WEEKLY_TARGET,
        nav=_week_nav(day),
    )


def _render_week(specialist, monday: date, form: ReviewForm):
    contacts = queries.week_contacts(db.session, specialist.id, monday)
    recent = queries.recent_weeks(db.session, specialist.id, monday)
    visible = queries.visible_client_ids(db.session, current_user, contacts)
    shown = linked_refs(contacts, visible)
    audit_list("view_employer_log", f"log {specialist.id} {monday.isoformat()}", shown)
    return rendered(
        "employers/week.html",
        status(form),
        specialist=specialist,
        monday=monday,
        sunday=week_end(monday),
        contacts=contacts,
        visible=visible,
        job_types=queries.job_type_labels(db.session, specialist.program_id),
        count=recent[0].count,
        review=recent[0].review,
        recent=recent,
        target=WEEKLY_TARGET,
        modes=MODE_LABELS,
        form=form,
        nav=_week_nav(monday),
    )


@bp.get(WEEK)
@roles_required(*STAFF)
def week_log(user_id: int, monday: str):
    """One specialist's week of employer contacts, with the count against the target and the review."""
    specialist = specialist_or_404(user_id)
    day = week_or_404(monday)
    if monday_of(day).isoformat() != monday:
        return redirect(url_for("employers.week_log", user_id=user_id, monday=monday_of(day).isoformat()))
    return _render_week(specialist, day, ReviewForm(formdata=None))


@bp.post(WEEK + "/review")
@roles_required("supervisor")
def week_review(user_id: int, monday: str):
    """Mark a specialist's week as reviewed (supervisors of the specialist's programme)."""
    specialist = specialist_or_404(user_id)
    day = week_or_404(monday)
    if monday_of(day).isoformat() != monday:
        abort(404)
    form = ReviewForm()
    outcome = submit(
        form,
        lambda: services.week_review_mark(
            db.session,
            notes=form.notes.data,
            reviewer=current_user,
            specialist=specialist,
            monday=day,
            today=today(),
        ),
    )
    if outcome.ok:
        url = url_for("employers.week_log", user_id=user_id, monday=monday)
        return done(_("Week reviewed."), url, program_id=specialist.program_id)
    return _render_week(specialist, day, form)
