"""The masked assessor's pages. They read participants, their contact details and their
assessments only: no allocation, arm, referral, client or specialist is reachable from here."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.forms import form_data, today
from caseload.metrics.trial import TRIAL_TIMEPOINTS, assessment_due, prompt_rule
from caseload.pages import done, page
from caseload.trial import forms, queries, services
from caseload.trial.forms import AssessmentForm, UnmaskingForm, yes_no
from caseload.trial.models import Assessment, Participant, TrialTimepoint
from caseload.writes import submit

bp = Blueprint("trial_assess", __name__, url_prefix="/assess")
ASSESSOR = ("assessor",)


@bp.context_processor
def _labels() -> dict:
    return forms.labels()


@bp.get("/")
@roles_required(*ASSESSOR)
def assessments():
    """Assessments due now and missing, then the participants' whole schedule."""
    trials = queries.trials_of(db.session, current_user)
    rows = queries.assessor_schedule(db.session, [t.id for t in trials], today())
    audit(
        db.session,
        action="trial_assessor_list",
        target=f"{len({r.participant.id for r in rows})} participants",
    )
    return page("trial/assess_list.html", rows=rows, rule=prompt_rule)


def _participant(ref: str) -> Participant:
    return queries.participant_for(db.session, current_user, ref)


@bp.get("/<ref>")
@roles_required(*ASSESSOR)
def participant(ref: str):
    """A participant's contact details and assessments (masked)."""
    p = _participant(ref)
    rows = [
        r for r in queries.assessor_schedule(db.session, [p.trial_id], today()) if r.participant.id == p.id
    ]
    audit(db.session, action="trial_assessor_view", target=p.ref)
    return page("trial/assess_participant.html", p=p, rows=rows, unmask_form=UnmaskingForm())


@bp.route("/<ref>/<timepoint>", methods=["GET", "POST"])
@roles_required(*ASSESSOR)
def record(ref: str, timepoint: str):
    """Record the assessment at a timepoint (phone-friendly), or why it was not done."""
    if timepoint not in TRIAL_TIMEPOINTS:
        abort(404)
    p = _participant(ref)
    window = db.session.scalar(
        select(TrialTimepoint.window_days).where(
            TrialTimepoint.trial_id == p.trial_id, TrialTimepoint.code == timepoint
        )
    )
    if window is None:
        abort(404)
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.participant_id == p.id, Assessment.timepoint == timepoint)
    )
    form = AssessmentForm(obj=_form_data(assessment))
    outcome = submit(
        form,
        lambda: services.assessment_record(
            db.session,
            participant=p,
            timepoint=timepoint,
            values=_values(form),
            user_id=current_user.id,
            **form_data(form, "version", "correction_reason"),
        ),
        assessment,
    )
    if outcome.ok:  # the assessment closes its prompt at once (the prompts' refresh hook)
        url = url_for("trial_assess.participant", ref=p.ref)
        return done(_("Assessment recorded."), url, program_id=p.trial.program_id, category="success")
    if not form.is_submitted() and assessment is None:
        form.done_on.data = today()
    audit(db.session, action="trial_assessor_view", target=p.ref)
    due = assessment_due(p.enrolled_on, timepoint, window)
    return page("trial/assess_form.html", p=p, timepoint=timepoint, due=due, form=form)


def _form_data(a: Assessment | None) -> SimpleNamespace | None:
    """The saved assessment as the form shows it (choices as the form's codes)."""
    if a is None:
        return None
    names = [c.key for c in Assessment.__table__.columns if c.key.startswith(("odi_", "eq_", "pain_"))]
    names += ["done_on", "hours_per_week", "sick_leave_pct", "disability_pension_pct"]
    names += ["weeks_worked", "days_worked", "hours_worked", "version"]
    data = SimpleNamespace(**{n: getattr(a, n) for n in names})
    data.done = "yes" if a.done_on else "no"
    data.benefits = a.benefit_list
    data.not_done_reason, data.mode = a.not_done_reason or "", a.mode or ""
    for name in ("competitive_job", "any_competitive_job"):
        value = getattr(a, name)
        setattr(data, name, "" if value is None else ("yes" if value else "no"))
    return data


def _values(form: AssessmentForm) -> services.AssessmentValues:
    done = form.done.data == "yes"
    return services.AssessmentValues(
        done_on=form.done_on.data if done else None,
        not_done_reason=None if done else (form.not_done_reason.data or None),
        mode=form.mode.data or None,
        odi=[f.data for f in form.odi_fields()],
        eq_vas=form.eq_vas.data,
        pain_nrs=form.pain_nrs.data,
        competitive_job=yes_no(form.competitive_job.data),
        hours_per_week=form.hours_per_week.data,
        sick_leave_pct=form.sick_leave_pct.data,
        benefits=form.benefits.data or [],
        disability_pension_pct=form.disability_pension_pct.data,
        any_competitive_job=yes_no(form.any_competitive_job.data),
        weeks_worked=form.weeks_worked.data,
        days_worked=form.days_worked.data,
        hours_worked=form.hours_worked.data,
    )


@bp.post("/<ref>/unmasked")
@roles_required(*ASSESSOR)
def unmasked(ref: str):
    """The assessor records having learned the participant's arm."""
    p = _participant(ref)
    form = UnmaskingForm()
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
        return redirect(url_for("trial_assess.participant", ref=p.ref))
    services.unmasking_record(db.session, participant=p, note=form.note.data, user_id=current_user.id)
    db.session.commit()
    flash(
        _("Recorded. The trial team will see that you are no longer masked for this participant."), "success"
    )
    return redirect(url_for("trial_assess.participant", ref=p.ref))
