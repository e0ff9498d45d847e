"""Fidelity pages: the computed items, the records behind them, reviews, and the logs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from math import ceil
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.fidelity import queries, services
from caseload.fidelity.catalogue import BY_KEY, ITEM_KEYS, SECTIONS
from caseload.fidelity.forms import (
    AsOfForm,
    FinaliseForm,
    ReviewStartForm,
    SupervisionForm,
    TeamMeetingForm,
    VocationalContactForm,
    review_form,
)
from caseload.fidelity.present import evidence_rows, item_rows
from caseload.fidelity.refs import Refs
from caseload.forms import today
from caseload.metrics.periods import job_year
from caseload.pages import done
from caseload.teams.access import program_for
from caseload.writes import DomainError, attempt, submit

bp = Blueprint("fidelity", __name__, url_prefix="/fidelity")
STAFF = ("specialist", "supervisor")


RECORDS_PER_PAGE = 200  # of each kind: V13's window alone is ~37,000 contacts at region scale


def _as_of():
    form = AsOfForm(request.args)
    if not form.validate():
        abort(400)
    return form, form.as_of.data or today()


def _own_email() -> str | None:
    """Specialists see the items of their own work; supervisors the programme's."""
    return current_user.email if current_user.role == "specialist" else None


@bp.get("")
@roles_required(*STAFF)
def index():
    """The signed-in person's programme."""
    return redirect(url_for("fidelity.program", ref=current_user.program.ref))


@bp.get("/programs/<ref>")
@roles_required(*STAFF)
def program(ref: str):
    """The programme's computed items and evidence, the trend of reviews, the reviews."""
    prog = program_for(db.session, current_user, ref)
    form, as_of = _as_of()
    result = queries.fidelity_result(db.session, prog, as_of, specialist_email=_own_email())
    supervisor = current_user.role == "supervisor"
    return render_template(
        "fidelity/program.html",
        program=prog,
        form=form,
        result=result,
        items=item_rows(result),
        evidence=evidence_rows(result),
        logs=queries.log_evidence(db.session, prog, as_of) if supervisor else None,
        reviews=queries.reviews_of(db.session, prog) if supervisor else [],
        trend=queries.trend(db.session, prog) if supervisor else None,
        catalogue=BY_KEY,
    )


@bp.get("/programs/<ref>/items/<key>")
@roles_required(*STAFF)
def records(ref: str, key: str):
    """The records behind one computed value or evidence object."""
    prog = program_for(db.session, current_user, ref)
    if key not in BY_KEY:
        abort(404)
    _form, as_of = _as_of()
    result = queries.fidelity_result(db.session, prog, as_of, specialist_email=_own_email())
    behind = result.refs(key)
    totals = {f.name: len(getattr(behind, f.name)) for f in fields(behind)}
    pages = max(1, ceil(max(totals.values()) / RECORDS_PER_PAGE))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= pages:
        abort(404)
    shown = slice((page - 1) * RECORDS_PER_PAGE, page * RECORDS_PER_PAGE)
    found = queries.records_behind(db.session, prog, Refs(**{k: getattr(behind, k)[shown] for k in totals}))
    clients = [row.get("client_ref") for rows in found.values() for row in rows]
    audit(
        db.session, action="fidelity_records", target=f"{prog.ref}:{key}:{as_of.isoformat()}", shown=clients
    )
    db.session.commit()
    return render_template(
        "fidelity/records.html",
        program=prog,
        key=key,
        item=BY_KEY[key],
        as_of=as_of,
        found=found,
        totals=totals,
        page=page,
        pages=pages,
        first=shown.start + 1,
    )


@bp.route("/programs/<ref>/reviews/new", methods=["GET", "POST"])
@roles_required("supervisor")
def review_new(ref: str):
    """Start a review of the programme for a date."""
    prog = program_for(db.session, current_user, ref)
    form = ReviewStartForm(data={"review_date": today()} if request.method == "GET" else None)
    outcome = submit(
        form,
        lambda: services.review_start(
            db.session,
            result=queries.fidelity_result(db.session, prog, form.review_date.data),
            program=prog,
            review_date=form.review_date.data,
            reviewers=form.reviewers.data,
            user_id=current_user.id,
        ),
        place=_by_review_date,
    )
    if outcome.ok:
        review = outcome.result
        message = _("Review %(ref)s started: the computed scores are filled in.", ref=review.ref)
        return done(message, url_for("fidelity.review", ref=review.ref))
    return render_template("fidelity/review_new.html", program=prog, form=form), 422 if form.errors else 200


def _by_review_date(form: ReviewStartForm, err: DomainError) -> None:
    """A review for that date exists already, or the date is out of range: the message goes by it."""
    form.review_date.errors = [*form.review_date.errors, str(err)]


@bp.route("/reviews/<ref>", methods=["GET", "POST"])
@roles_required("supervisor")
def review(ref: str):
    """A review: a draft to score, or a final review to read."""
    rev = queries.review_for(db.session, current_user, ref)
    draft = rev.status == "draft"
    form, problems = review_form(rev), []
    if request.method == "POST" and not draft:
        abort(409)
    if draft and submit(form, lambda: _save(rev, form), place=_form_error).ok:
        db.session.commit()
        if not form.finalise.data:
            flash(_("Draft saved."))
            return redirect(url_for("fidelity.review", ref=rev.ref))
        problems = services.review_problems(rev)
        if not problems:
            return redirect(url_for("fidelity.review_finalise", ref=rev.ref))
        form.version.data = rev.version  # saved: the page goes on from the new version
        for problem in problems:
            _item_error(form, problem)
    return _review_page(rev, form, problems)


def _review_page(rev, form, problems: list[DomainError]):
    draft = rev.status == "draft"
    result = queries.fidelity_result(db.session, rev.program, rev.review_date) if draft else None
    logs = queries.log_evidence(db.session, rev.program, rev.review_date) if draft else _frozen_logs(rev)
    scored = sum(1 for i in rev.items if i.score is not None)
    return render_template(
        "fidelity/review.html",
        review=rev,
        form=form,
        result=result,
        sections=SECTIONS,
        keys=ITEM_KEYS,
        catalogue=BY_KEY,
        logs=logs,
        items={i.code: i for i in rev.items},
        entries={code: entry.form for code, entry in zip(form.codes, form.items)},
        scored=scored,
        needs=_needs(form),
        problems=[(p.field.partition(".")[0] if p.field else "", str(p)) for p in problems],
    ), 422 if form.errors or form.form_errors or problems else 200


def _needs(form) -> set[str]:
    """The items whose entries carry a message (marked in the index)."""
    return {code for code, entry in zip(form.codes, form.items) if entry.form.errors}


@bp.route("/reviews/<ref>/finalise", methods=["GET", "POST"])
@roles_required("supervisor")
def review_finalise(ref: str):
    """Confirm before finalising: what the final review will say, then one button."""
    rev = queries.review_for(db.session, current_user, ref)
    if rev.status != "draft":
        return redirect(url_for("fidelity.review", ref=rev.ref))
    problems = services.review_problems(rev)
    if problems:
        for problem in problems:
            flash(str(problem), "error")
        return redirect(url_for("fidelity.review", ref=rev.ref))
    form = FinaliseForm(data={"version": rev.version})
    if form.validate_on_submit():
        url = url_for("fidelity.review", ref=rev.ref)
        outcome = attempt(
            lambda: services.review_finalise(
                db.session,
                review=rev,
                version=form.version.data,
                result=queries.fidelity_result(db.session, rev.program, rev.review_date),
                user_id=current_user.id,
                logs=queries.log_evidence(db.session, rev.program, rev.review_date),
            )
        )
        if not outcome.ok:
            return redirect(url)
        return done(_("Review finalised."), url, program_id=rev.program_id)
    overridden = [i for i in sorted(rev.items, key=lambda i: i.position) if i.override_reason]
    return render_template(
        "fidelity/review_confirm.html", review=rev, form=form, overridden=overridden, catalogue=BY_KEY
    )


def _frozen_logs(rev) -> dict | None:
    """The log evidence frozen into a final review (None for reviews finalised without it)."""
    return next((i.checklist["logs"] for i in rev.items if "logs" in i.checklist), None)


def _save(rev, form) -> None:
    services.review_save(
        db.session,
        review=rev,
        version=form.version.data,
        reviewers=form.reviewers.data,
        notes=form.notes.data,
        items=form.item_inputs(),
        user_id=current_user.id,
    )


def _item_error(form, err: DomainError) -> None:
    """The message by the item's field it is about."""
    code, _dot, name = (err.field or "").partition(".")
    if code in form.codes and name:
        getattr(form.items[form.codes.index(code)].form, name).errors.append(str(err))


def _form_error(form, err: DomainError) -> None:
    _item_error(form, err)
    form.form_errors.append(str(err))


def _log_forms(prog, *, formdata_for: str | None = None) -> dict[str, Any]:
    """The three log forms with their choices; only the posted one reads the request."""
    forms: dict[str, Any] = {
        "team": TeamMeetingForm(prefix="tm", formdata=None if formdata_for != "team" else request.form),
        "vr": VocationalContactForm(prefix="vr", formdata=None if formdata_for != "vr" else request.form),
        "sup": SupervisionForm(prefix="sv", formdata=None if formdata_for != "sup" else request.form),
    }
    if current_user.role == "specialist":
        specialists = [(current_user.id, current_user.name)]
    else:
        specialists = [(u.id, u.name) for u in queries.staff_of(db.session, prog, "specialist")]
    forms["team"].team_id.choices = [(t.id, t.name) for t in prog.teams]
    forms["team"].specialist_id.choices = specialists
    forms["vr"].specialist_id.choices = specialists
    forms["sup"].specialist_id.choices = [(0, _("Everyone (group)"))] + specialists
    return forms


def _logs_page(prog, forms, status: int = 200):
    own = current_user.id if current_user.role == "specialist" else None
    listing = queries.log_listing(db.session, prog, job_year(today()).start, specialist_id=own)
    return render_template("fidelity/logs.html", program=prog, forms=forms, listing=listing), status


@bp.get("/programs/<ref>/logs")
@roles_required(*STAFF)
def logs(ref: str):
    """Team meetings, NAV/VR contacts and supervision sessions of the last year, and forms to log them."""
    prog = program_for(db.session, current_user, ref)
    return _logs_page(prog, _log_forms(prog))


@bp.post("/programs/<ref>/logs/<kind>")
@roles_required(*STAFF)
def log_record(ref: str, kind: str):
    """Log a team meeting (team), a NAV/VR contact (vr) or a supervision session (sup)."""
    prog = program_for(db.session, current_user, ref)
    if kind not in ("team", "vr", "sup") or (kind == "sup" and current_user.role != "supervisor"):
        abort(404)
    forms = _log_forms(prog, formdata_for=kind)
    form = forms[kind]
    if submit(form, lambda: _record(prog, kind, form), place=_by_field_or_button).ok:
        return done(_("Logged."), url_for("fidelity.logs", ref=prog.ref))
    return _logs_page(prog, forms, 422)


def _by_field_or_button(form, err: DomainError) -> None:
    """A log form's message goes by its field, else by its button (the forms share one page)."""
    getattr(form, err.field or "", form.save).errors.append(str(err))


LOGGED: dict[str, tuple[Callable[..., object], tuple[str, ...]]] = {
    # each log's service, and the fields of its form that it takes by the same name
    "team": (services.team_meeting_record, ("team_id", "specialist_id", "meeting_date", "notes")),
    "vr": (
        services.vocational_contact_record,
        ("specialist_id", "contact_date", "kind", "counsellor", "notes"),
    ),
    "sup": (services.supervision_session_record, ("session_date", "kind", "notes")),
}


def _record(prog, kind: str, form) -> None:
    record, names = LOGGED[kind]
    values = {name: form[name].data for name in names}
    if kind == "sup":  # a group session is with no one specialist; the supervisor is the signed-in one
        values |= {"supervisor_id": current_user.id, "specialist_id": form.specialist_id.data or None}
        values["minutes"] = form.minutes.data or 0
    record(db.session, program=prog, **values)
