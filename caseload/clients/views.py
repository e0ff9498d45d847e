"""Referrals (record, accept, decline) and client closure, reopening and reassignment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from caseload.auth.access import roles_required
from caseload.auth.audit import shown_filter
from caseload.auth.models import AuditEvent, User
from caseload.clients import plan as plan_services
from caseload.clients import profile as profile_services
from caseload.clients import services
from caseload.clients.forms import (
    AcceptForm,
    CloseForm,
    DeclineForm,
    PlanForm,
    ProfileForm,
    ReassignForm,
    ReferralForm,
    StepForm,
)
from caseload.clients.models import JobSearchPlan, JobSearchStep, Referral
from caseload.clients.scoping import client_for
from caseload.extensions import db
from caseload.forms import form_data, today
from caseload.l10n import gettext as _
from caseload.l10n import ngettext
from caseload.labels import DECISION_LABELS
from caseload.pages import done, fields_write, form_page
from caseload.teams.models import Program, TreatmentTeam
from caseload.writes import attempt, submit

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
    outcome = submit(
        form,
        lambda: services.referral_accept(
            db.session,
            referral=referral,
            specialist=db.get_or_404(User, form.specialist_id.data),
            team_id=form.team_id.data or None,
            user_id=current_user.id,
            **form_data(form, "name", "entry_date", "status_at_entry", "birth_date"),
        ),
    )
    if outcome.ok:  # the client's prompts, e.g. the trial's arm
        client = outcome.result
        message = _("Client %(ref)s is now on the caseload.", ref=client.ref)
        return done(message, url_for("principles.client_page", ref=client.ref), client=client)
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
    outcome = submit(
        decline, fields_write(decline, services.referral_decline, "decision", "reason", referral=referral)
    )
    if outcome.ok:
        decision = DECISION_LABELS[decline.decision.data]
        message = _("Referral %(ref)s: %(decision)s.", ref=referral.ref, decision=decision)
        return done(message, url_for("clients.referrals"))
    form = AcceptForm(formdata=None, name=referral.person_name)
    form.specialist_id.choices, form.team_id.choices = _specialist_choices(referral.program_id), []
    return render_template("clients/referral_decide.html", referral=referral, form=form, decline=decline), 422


@bp.route("/clients/<ref>/close", methods=["GET", "POST"])
@roles_required(*STAFF)
def client_close(ref: str):
    """Close a client with a closure code."""
    client = client_for(db.session, current_user, ref, action="view")
    form = CloseForm()
    outcome = submit(form, fields_write(form, services.client_close, "closed_on", "reason", client=client))
    if outcome.ok:
        return done(_("Client closed."), url_for("principles.client_page", ref=client.ref))
    db.session.commit()  # the audit event of the view
    return render_template("clients/close.html", client=client, form=form), 422 if form.errors else 200


@bp.post("/clients/<ref>/reopen")
@roles_required(*STAFF)
def client_reopen(ref: str):
    """Reopen a closed client."""
    client = client_for(db.session, current_user, ref, action="view")
    attempt(lambda: services.client_reopen(db.session, client=client, user_id=current_user.id))
    db.session.commit()
    return redirect(url_for("principles.client_page", ref=client.ref))


@bp.route("/clients/<ref>/reassign", methods=["GET", "POST"])
@roles_required("supervisor")
def client_reassign(ref: str):
    """Move one client to another specialist."""
    client = client_for(db.session, current_user, ref, action="view")
    form = ReassignForm()
    form.specialist_id.choices = _specialist_choices(client.program_id)
    outcome = submit(form, lambda: _reassign([client], form))
    if outcome.ok:
        message = _("Client reassigned to %(name)s.", name=outcome.result[1].name)
        return done(message, url_for("principles.client_page", ref=client.ref))
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
    outcome = submit(form, lambda: _reassign(services.active_clients_of(db.session, specialist.id), form))
    if outcome.ok:
        moved, to = outcome.result
        message = ngettext(
            "%(num)d client moved to %(name)s.", "%(num)d clients moved to %(name)s.", moved, name=to.name
        )
        return done(message, url_for("principles.program_page", ref=program.ref))
    return render_template("clients/reassign.html", client=None, form=form, specialist=specialist), (
        422 if form.errors else 200
    )


def _reassign(clients, form: ReassignForm) -> tuple[int, User]:
    to = db.get_or_404(User, form.specialist_id.data)
    moved = services.caseload_reassign(db.session, clients=clients, to_specialist=to, user_id=current_user.id)
    return moved, to


@bp.get("/clients/<ref>/access")
@roles_required("supervisor")
def access_log(ref: str):
    """Who opened or changed this client's record, and when (the patient's access report)."""
    client = client_for(db.session, current_user, ref, action="view_access_log")
    events = db.session.scalars(
        select(AuditEvent)
        .where(or_(AuditEvent.client_id == client.id, shown_filter(client.ref)))
        .order_by(AuditEvent.id.desc())
    ).all()
    db.session.commit()
    return render_template("clients/access_log.html", client=client, events=events)


# --- the career profile and the job search plan ---------------------------------------------

PROFILE_DATES = ("profile_started_on", "profile_completed_on")
PLAN_FIELDS = ("goal", "target_employers", "review_date")
STEP_FIELDS = ("description", "owner", "due_date", "done_on")


def _done(client, message: str, anchor: str):
    return done(message, url_for("principles.client_page", ref=client.ref, _anchor=anchor), client=client)


@bp.route("/clients/<ref>/profile", methods=["GET", "POST"])
@roles_required(*STAFF)
def profile_edit(ref: str):
    """The career profile (principle 4); each save keeps its date and the earlier version."""
    client = client_for(db.session, current_user, ref)
    profile = profile_services.profile_of(db.session, client)
    dates = {n: getattr(client, n) for n in PROFILE_DATES}
    form, saved = ProfileForm(obj=profile, preferred_job_types=client.job_type_list, **dates), None
    form.preferred_job_types.choices = profile_services.job_type_choices(db.session, client)
    outcome = submit(
        form,
        lambda: profile_services.profile_save(
            db.session,
            fields=_profile_fields(form),
            client=client,
            profile=profile,
            version=form.version.data,
            today=today(),
            user_id=current_user.id,
        ),
        lambda: profile_services.profile_of(db.session, client),
        profile_services.PROFILE_TEXTS,
    )
    if outcome.ok:
        return _done(client, _("Career profile saved."), "profile-h")
    if outcome.conflict is not None:
        profile, saved = outcome.record, outcome.conflict
        saved |= {n: getattr(client, n) for n in PROFILE_DATES}
        saved["preferred_job_types"] = client.job_type_list
    return form_page("clients/profile.html", form, saved=saved, client=client, profile=profile)


def _profile_fields(form: ProfileForm) -> profile_services.ProfileFields:
    return profile_services.ProfileFields(
        started_on=form.profile_started_on.data,
        completed_on=form.profile_completed_on.data,
        preferred_job_types=tuple(form.preferred_job_types.data or ()),
        texts=tuple((n, form[n].data) for n in profile_services.PROFILE_TEXTS),
    )


@bp.route("/clients/<ref>/plan", methods=["GET", "POST"])
@roles_required(*STAFF)
def plan_edit(ref: str):
    """The job search plan: goal, target employers, review date, and its action steps."""
    client = client_for(db.session, current_user, ref)
    plan = plan_services.plan_of(db.session, client)
    form, by = PlanForm(obj=plan), current_user.id
    outcome = submit(
        form,
        lambda: plan_services.plan_save(
            db.session, client=client, plan=plan, user_id=by, **form_data(form, "version", *PLAN_FIELDS)
        ),
        lambda: plan_services.plan_of(db.session, client),
        PLAN_FIELDS,
    )
    if outcome.ok:
        return _done(client, _("Job search plan saved."), "plan-h")
    saved = outcome.conflict
    if saved is not None:
        plan = outcome.record
    steps = plan.steps if plan is not None else []
    return form_page("clients/plan.html", form, saved=saved, client=client, plan=plan, steps=steps)


@bp.route("/clients/<ref>/plan/steps/new", methods=["GET", "POST"])
@bp.route("/clients/<ref>/plan/steps/<int:step_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def step_edit(ref: str, step_id: int | None = None):
    """Add an action step, or change one and mark it done (the earlier version is kept)."""
    client = client_for(db.session, current_user, ref)
    step = None
    if step_id is not None:
        step = db.session.scalar(
            select(JobSearchStep)
            .join(JobSearchPlan, JobSearchPlan.id == JobSearchStep.plan_id)
            .where(JobSearchStep.id == step_id, JobSearchPlan.client_id == client.id)
        )
        if step is None:
            abort(404)
    form = StepForm(obj=step)
    outcome = submit(
        form,
        lambda: plan_services.step_save(
            db.session,
            fields=plan_services.StepFields(**form_data(form, *STEP_FIELDS)),
            client=client,
            step=step,
            version=form.version.data,
            user_id=current_user.id,
        ),
        step,
        STEP_FIELDS,
    )
    if outcome.ok:
        return _done(client, _("Action step saved."), "plan-h")
    return form_page("clients/plan_step.html", form, saved=outcome.conflict, client=client, step=step)
