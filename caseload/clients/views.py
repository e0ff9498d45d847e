"""Referrals (record, accept, decline) and client closure, reopening and reassignment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.models import AuditEvent, User
from caseload.auth.services import DomainError
from caseload.clients import services
from caseload.clients.forms import AcceptForm, CloseForm, DeclineForm, ReassignForm, ReferralForm
from caseload.clients.models import Referral
from caseload.clients.scoping import client_for
from caseload.extensions import db
from caseload.teams.models import Program, TreatmentTeam

bp = Blueprint("clients", __name__)
STAFF = ("specialist", "supervisor")


def _referral_or_404(ref: str) -> Referral:
    referral = db.session.scalar(
        select(Referral).where(Referral.ref == ref, Referral.program_id == current_user.program_id)
    )
    if referral is None:
        abort(404)
    return referral


def _specialist_choices(program_id: int) -> list[tuple[int, str]]:
    stmt = select(User).where(User.program_id == program_id, User.role == "specialist", User.active)
    return [(u.id, u.name) for u in db.session.scalars(stmt.order_by(User.name))]


def _form_error(form, err: DomainError) -> None:
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, str(err)]
    else:
        form.form_errors.append(str(err))


@bp.get("/referrals")
@roles_required(*STAFF)
def referrals():
    """The programme's referrals, newest first, pending on top."""
    rows = db.session.scalars(
        select(Referral)
        .where(Referral.program_id == current_user.program_id)
        .order_by(Referral.decision != "pending", Referral.received_on.desc(), Referral.ref.desc())
    ).all()
    return render_template("clients/referrals.html", referrals=rows)


@bp.route("/referrals/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def referral_new():
    """Record a referral as received."""
    form = ReferralForm()
    if form.validate_on_submit():
        referral = services.referral_record(
            db.session,
            program_id=current_user.program_id,
            received_on=form.received_on.data,
            source=form.source.data,
            person_name=form.person_name.data,
            user_id=current_user.id,
        )
        db.session.commit()
        flash(_("Referral %(ref)s recorded.", ref=referral.ref))
        return redirect(url_for("clients.referral_accept", ref=referral.ref))
    return render_template("clients/referral_form.html", form=form), 422 if form.errors else 200


@bp.route("/referrals/<ref>/accept", methods=["GET", "POST"])
@roles_required(*STAFF)
def referral_accept(ref: str):
    """Accept a referral onto a specialist's caseload (zero exclusion: no readiness screening)."""
    referral = _referral_or_404(ref)
    form = AcceptForm(name=referral.person_name)
    form.specialist_id.choices = _specialist_choices(referral.program_id)
    teams = db.session.scalars(select(TreatmentTeam).where(TreatmentTeam.program_id == referral.program_id))
    form.team_id.choices = [(0, _("No treatment team"))] + [(t.id, t.name) for t in teams]
    if not form.is_submitted() and current_user.role == "specialist":
        form.specialist_id.data = current_user.id
    if form.validate_on_submit():
        try:
            client = services.referral_accept(
                db.session,
                referral=referral,
                name=form.name.data,
                specialist=db.session.get(User, form.specialist_id.data),
                team_id=form.team_id.data or None,
                entry_date=form.entry_date.data,
                status_at_entry=form.status_at_entry.data,
                birth_date=form.birth_date.data,
                user_id=current_user.id,
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            db.session.commit()
            flash(_("%(name)s is now on the caseload.", name=client.name))
            return redirect(url_for("principles.client_page", ref=client.ref))
    decline = DeclineForm(formdata=None)
    return render_template("clients/referral_decide.html", referral=referral, form=form, decline=decline), (
        422 if form.errors or form.form_errors else 200
    )


@bp.post("/referrals/<ref>/decline")
@roles_required(*STAFF)
def referral_decline(ref: str):
    """Decline a referral (or mark it withdrawn) with a reason."""
    referral = _referral_or_404(ref)
    decline = DeclineForm()
    if decline.validate_on_submit():
        try:
            services.referral_decline(
                db.session,
                referral=referral,
                decision=decline.decision.data,
                reason=decline.reason.data,
            )
        except DomainError as err:
            _form_error(decline, err)
        else:
            db.session.commit()
            flash(
                _(
                    "Referral %(ref)s: %(decision)s.",
                    ref=referral.ref,
                    decision=decline.decision.data,
                )
            )
            return redirect(url_for("clients.referrals"))
    form = AcceptForm(formdata=None, name=referral.person_name)
    form.specialist_id.choices, form.team_id.choices = _specialist_choices(referral.program_id), []
    return render_template("clients/referral_decide.html", referral=referral, form=form, decline=decline), 422


@bp.route("/clients/<ref>/close", methods=["GET", "POST"])
@roles_required(*STAFF)
def client_close(ref: str):
    """Close a client with a closure code."""
    client = client_for(db.session, current_user, ref, action="view")
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.client_close(
                db.session,
                client=client,
                closed_on=form.closed_on.data,
                reason=form.reason.data,
                user_id=current_user.id,
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            db.session.commit()
            flash(_("Client closed."))
            return redirect(url_for("principles.client_page", ref=client.ref))
    db.session.commit()  # the audit event of the view
    return render_template("clients/close.html", client=client, form=form), 422 if form.errors else 200


@bp.post("/clients/<ref>/reopen")
@roles_required(*STAFF)
def client_reopen(ref: str):
    """Reopen a closed client."""
    client = client_for(db.session, current_user, ref, action="view")
    try:
        services.client_reopen(db.session, client=client, user_id=current_user.id)
    except DomainError as err:
        flash(str(err), "error")
    db.session.commit()
    return redirect(url_for("principles.client_page", ref=client.ref))


@bp.route("/clients/<ref>/reassign", methods=["GET", "POST"])
@roles_required("supervisor")
def client_reassign(ref: str):
    """Move one client to another specialist."""
    client = client_for(db.session, current_user, ref, action="view")
    form = ReassignForm()
    form.specialist_id.choices = _specialist_choices(client.program_id)
    if form.validate_on_submit():
        to = db.session.get(User, form.specialist_id.data)
        try:
            services.caseload_reassign(
                db.session, clients=[client], to_specialist=to, user_id=current_user.id
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            db.session.commit()
            flash(_("Client reassigned to %(name)s.", name=to.name))
            return redirect(url_for("principles.client_page", ref=client.ref))
    db.session.commit()
    return render_template("clients/reassign.html", client=client, form=form, specialist=None), (
        422 if form.errors else 200
    )


@bp.route("/programs/<program_ref>/specialists/<int:user_id>/reassign", methods=["GET", "POST"])
@roles_required("supervisor")
def caseload_reassign(program_ref: str, user_id: int):
    """Move all of a (departing) specialist's open clients to another specialist."""
    program = db.session.scalar(select(Program).where(Program.ref == program_ref))
    specialist = db.session.get(User, user_id)
    if (
        program is None
        or program.id != current_user.program_id
        or specialist is None
        or (specialist.program_id != program.id)
    ):
        abort(404)
    form = ReassignForm()
    form.specialist_id.choices = [c for c in _specialist_choices(program.id) if c[0] != specialist.id]
    if form.validate_on_submit():
        clients = services.active_clients_of(db.session, specialist.id)
        to = db.session.get(User, form.specialist_id.data)
        try:
            moved = services.caseload_reassign(
                db.session, clients=clients, to_specialist=to, user_id=current_user.id
            )
        except DomainError as err:
            _form_error(form, err)
        else:
            db.session.commit()
            flash(_("%(n)d clients moved to %(name)s.", n=moved, name=to.name))
            return redirect(url_for("principles.program_page", ref=program.ref))
    return render_template("clients/reassign.html", client=None, form=form, specialist=specialist), (
        422 if form.errors else 200
    )


@bp.get("/clients/<ref>/access")
@roles_required("supervisor")
def access_log(ref: str):
    """Who opened or changed this client's record, and when (the patient's access report)."""
    client = client_for(db.session, current_user, ref, action="view_access_log")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.client_id == client.id).order_by(AuditEvent.id.desc())
    ).all()
    db.session.commit()
    return render_template("clients/access_log.html", client=client, events=events)
