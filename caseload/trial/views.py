"""Trial pages: set-up and screening, enrolment and randomisation (trial manager), the
allocation (statistician), and the masked assessor's pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.forms import today
from caseload.pages import done, fields_write, page
from caseload.trial import forms, queries, services
from caseload.trial.forms import (
    ELIGIBILITY_LABELS,
    AllocationListForm,
    AnnotationForm,
    EnrolForm,
    ScreeningForm,
    SeedForm,
    TrialSetupForm,
    WithdrawForm,
)
from caseload.trial.models import Allocation, Screening
from caseload.trial.services import ArmSpec, Contact, FactorSpec
from caseload.writes import DomainError, attempt, save, submit

bp = Blueprint("trial", __name__, url_prefix="/trial")
MANAGER = ("trial_manager",)
STATISTICIAN = ("statistician",)
TEAM = ("trial_manager", "statistician")


@bp.context_processor
def _labels() -> dict:
    return forms.labels()


@bp.get("/")
@roles_required(*TEAM, "assessor")
def home():
    """The trials of the person's programme (the assessor goes to their list)."""
    if current_user.role == "assessor":
        return redirect(url_for("trial_assess.assessments"))
    return render_template("trial/index.html", trials=queries.trials_of(db.session, current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGER)
def setup():
    """Set up a trial in the person's programme."""
    form = TrialSetupForm()
    if form.validate_on_submit():
        levels = form.levels()
        if levels is None or (form.factor_code.data and len(levels) < 2):
            form.factor_levels.errors = [_("Give two levels or more, one a line as code: label.")]
        else:
            saved = save(form, lambda: _create(form, levels))
            if saved.ok:
                url = url_for("trial.trial_page", ref=saved.result.ref)
                return done(_("Trial set up."), url, category="success")
    return render_template("trial/setup.html", form=form)


def _create(form: TrialSetupForm, levels: list[tuple[str, str]]):
    refer = form.referring_arm.data
    arms = [
        ArmSpec(form.arm1_code.data, form.arm1_label.data, form.arm1_ratio.data, refer == "1"),
        ArmSpec(form.arm2_code.data, form.arm2_label.data, form.arm2_ratio.data, refer == "2"),
    ]
    factors = []
    if form.factor_code.data:
        factors = [FactorSpec(form.factor_code.data, form.factor_label.data or form.factor_code.data, levels)]
    return services.trial_create(
        db.session,
        program_id=current_user.program_id,
        name=form.name.data,
        registration_id=form.registration_id.data,
        target_enrolment=form.target_enrolment.data,
        arms=arms,
        eligibility=[(c, str(ELIGIBILITY_LABELS[c])) for c in form.eligibility.data],
        factors=factors,
        windows=dict.fromkeys(("baseline", "6m", "12m", "24m"), form.window_days.data),
        user_id=current_user.id,
    )


@bp.get("/<ref>")
@roles_required(*TEAM)
def trial_page(ref: str):
    """A trial: enrolment against target, people awaiting enrolment, participants and arms."""
    trial = queries.trial_for(db.session, current_user, ref)
    participants = queries.participants_with_arms(db.session, trial)
    audit(db.session, action="trial_view", target=trial.ref)
    return page(
        "trial/trial.html",
        trial=trial,
        counts=queries.trial_counts(db.session, trial),
        awaiting=queries.awaiting_enrolment(db.session, trial),
        screenings=queries.recent_screenings(db.session, trial),
        participants=participants,
    )


# the screening form's fields that the service takes by their names
SCREENED = ("screened_on", "person_name", "criteria_met", "consent_on", "exclusion_reasons", "exclusion_note")


@bp.route("/<ref>/screen", methods=["GET", "POST"])
@roles_required(*MANAGER)
def screen(ref: str):
    """Record one person screened, eligible or not."""
    trial = queries.trial_for(db.session, current_user, ref)
    form = ScreeningForm()
    form.criteria_met.choices = [
        (i.code, ELIGIBILITY_LABELS.get(i.code, i.label)) for i in trial.eligibility_items
    ]
    outcome = submit(form, fields_write(form, services.screening_record, *SCREENED, trial=trial))
    if outcome.ok:
        s = outcome.result
        if s.eligible and s.consent_on and not s.exclusion_reasons:
            url = url_for("trial.enrol", ref=trial.ref, screening=s.ref)
            return done(_("Eligible and consented: enrol and randomise now."), url, category="success")
        url = url_for("trial.trial_page", ref=trial.ref)
        return done(_("Screening recorded: not enrolled."), url, category="success")
    if not form.is_submitted():
        form.screened_on.data = today()
    return render_template("trial/screen.html", trial=trial, form=form)


@bp.route("/<ref>/enrol/<screening>", methods=["GET", "POST"])
@roles_required(*MANAGER)
def enrol(ref: str, screening: str):
    """Enrol a consented, eligible person and randomise them (the arm is drawn on submit)."""
    trial = queries.trial_for(db.session, current_user, ref)
    s = db.session.scalar(select(Screening).where(Screening.ref == screening))
    if s is None or s.trial_id != trial.id:
        abort(404)
    form = EnrolForm()
    if form.validate_on_submit():
        levels, missing = _levels(trial)
        if missing:
            form.form_errors.append(_("Choose a level for every stratification factor."))
        else:
            saved = save(form, lambda: _enrol(trial, s, form, levels))
            if saved.ok:
                url = url_for("trial.participant", ref=trial.ref, participant=saved.result.ref)
                return done(_("Enrolled and randomised."), url, category="success")
    elif not form.is_submitted():
        form.name.data, form.enrolled_on.data = s.person_name, today()
    return render_template("trial/enrol.html", trial=trial, screening=s, form=form)


def _levels(trial) -> tuple[dict[str, str], bool]:
    levels = {f.code: request.form.get(f"factor_{f.code}", "") for f in trial.factors}
    valid = all(levels[f.code] in {lv.code for lv in f.levels} for f in trial.factors)
    return levels, not valid


def _enrol(trial, screening, form: EnrolForm, levels: dict[str, str]):
    contact = Contact(
        name=form.name.data,
        birth_date=form.birth_date.data,
        phone=form.phone.data,
        email=form.email.data,
        address=form.address.data,
    )
    return services.participant_enrol(
        db.session,
        trial=trial,
        screening=screening,
        contact=contact,
        levels=levels,
        enrolled_on=form.enrolled_on.data,
        user_id=current_user.id,
    )


@bp.route("/<ref>/participants/<participant>", methods=["GET", "POST"])
@roles_required(*TEAM)
def participant(ref: str, participant: str):
    """A participant for the trial team: arm, referral to the caseload, withdrawal."""
    trial = queries.trial_for(db.session, current_user, ref)
    p = queries.participant_for(db.session, current_user, participant)
    if p.trial_id != trial.id:
        abort(404)
    form = WithdrawForm(obj=p if p.withdrawn_on else None)
    if form.validate_on_submit() and current_user.role in MANAGER:
        names = ("withdrawn_on", "reason", "data_may_be_kept", "version")
        saved = save(form, fields_write(form, services.participant_withdraw, *names, participant=p), p)
        if saved.ok:
            url = url_for("trial.participant", ref=trial.ref, participant=p.ref)
            return done(_("Withdrawal recorded."), url, category="success")
    elif not form.is_submitted():
        form.version.data = p.version
    audit(db.session, action="trial_view", target=p.ref)
    return page("trial/participant.html", trial=trial, p=p, allocation=p.allocation, form=form)


@bp.route("/<ref>/allocation", methods=["GET", "POST"])
@roles_required(*STATISTICIAN)
def allocation(ref: str):
    """The statistician's allocation: set the secret seed or upload a list; the sequence and balance."""
    trial = queries.trial_for(db.session, current_user, ref)
    context = _allocation_context(trial, AllocationListForm(prefix="list"))
    audit(db.session, action="trial_view_sequence", target=trial.ref)
    return page("trial/allocation.html", **context)


def _allocation_context(trial, list_form: AllocationListForm) -> dict:
    """What the allocation page shows: the sequence, its balance, the strata, the forms (``list_form``
    with its messages after a refused upload)."""
    seed_form, rows = SeedForm(prefix="seed"), queries.allocations(db.session, trial)
    return {
        "trial": trial,
        "rows": rows,
        "balance": queries.balance(rows),
        "strata": services.trial_strata(trial),
        "seed_form": seed_form,
        "list_form": list_form,
        "annotation_form": AnnotationForm(),
    }


@bp.post("/<ref>/allocation/seed")
@roles_required(*STATISTICIAN)
def allocation_seed(ref: str):
    """Set a fresh secret seed."""
    trial = queries.trial_for(db.session, current_user, ref)
    if not SeedForm(prefix="seed").validate_on_submit():
        abort(400)
    url = url_for("trial.allocation", ref=trial.ref)
    if not attempt(lambda: services.allocation_seed_set(db.session, trial=trial, user_id=current_user.id)).ok:
        return redirect(url)
    return done(_("A new secret seed is set. It is kept sealed in the key store."), url, category="success")


@bp.post("/<ref>/allocation/list")
@roles_required(*STATISTICIAN)
def allocation_list(ref: str):
    """Upload an allocation list."""
    trial = queries.trial_for(db.session, current_user, ref)
    form = AllocationListForm(prefix="list")
    outcome = submit(form, lambda: _list_set(trial, form))
    if outcome.ok:
        message = _("Allocation list with %(n)s entries kept sealed.", n=outcome.result)
        return done(message, url_for("trial.allocation", ref=trial.ref), category="success")
    return render_template("trial/allocation.html", **_allocation_context(trial, form)), 400


def _list_set(trial, form: AllocationListForm) -> int:
    try:
        text = form.allocation_list.data.read(2_000_001).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DomainError(_("The file is not UTF-8 text."), "allocation_list") from err
    if len(text) > 2_000_000:
        raise DomainError(_("The file is too large."), "allocation_list")
    return services.allocation_list_set(db.session, trial=trial, text=text, user_id=current_user.id)


@bp.post("/<ref>/allocation/<int:allocation_id>/annotate")
@roles_required(*STATISTICIAN)
def annotate(ref: str, allocation_id: int):
    """Annotate an allocation (it is never changed)."""
    trial = queries.trial_for(db.session, current_user, ref)
    al = db.session.get(Allocation, allocation_id)
    if al is None or al.trial_id != trial.id:
        abort(404)
    form, url = AnnotationForm(), url_for("trial.allocation", ref=trial.ref)
    if not form.validate_on_submit():
        flash(_("Write the annotation."), "error")
        return redirect(url)
    outcome = attempt(
        lambda: services.allocation_annotate(
            db.session, allocation=al, text=form.annotation.data, user_id=current_user.id
        )
    )
    if not outcome.ok:
        return redirect(url)
    return done(_("Annotation kept."), url, category="success")
