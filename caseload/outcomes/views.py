"""Outcome pages: the programme's quarterly and employment outcomes, exports, questionnaires."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.clients.scoping import client_for
from caseload.db import utcnow
from caseload.extensions import db
from caseload.forms import today
from caseload.metrics.codes import TIMEPOINTS
from caseload.outcomes import queries, services
from caseload.outcomes.employment import employment_csv
from caseload.outcomes.forms import MeasureForm
from caseload.outcomes.pages import client_prom_view, default_quarter, employment_view, quarterly_view
from caseload.outcomes.proms import measures_csv
from caseload.outcomes.quarterly import COUNT_KEYS, Quarter, quarterly_csv
from caseload.outcomes.report import quarterly_pdf
from caseload.prefill import code_in, day_up_to, prefill
from caseload.teams.access import program_for
from caseload.teams.models import Program
from caseload.writes import DomainError, client_changed, form_error

bp = Blueprint("outcomes", __name__)
PROGRAM_ROLES = ("supervisor",)
MEASURE_ROLES = ("specialist", "supervisor", "clinician")


def _quarter() -> Quarter:
    text = request.args.get("quarter")
    if not text:
        return default_quarter(today())
    try:
        return Quarter.parse(text)
    except ValueError:
        abort(404)


def _as_of() -> date:
    try:
        return date.fromisoformat(request.args.get("as_of") or today().isoformat())
    except ValueError:
        abort(404)


def _download(body: str | bytes, name: str, mimetype: str, program: Program, shown=()) -> Response:
    audit(db.session, action="export", target=program.ref, shown=shown)
    db.session.commit()
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, mimetype=mimetype, headers=headers)


@bp.get("/programs/<ref>/outcomes")
@roles_required(*PROGRAM_ROLES)
def program_outcomes(ref: str):
    """The programme's quarterly outcomes with benchmarks, and the 12-month employment outcome."""
    program = program_for(db.session, current_user, ref)
    data = queries.program_rows(db.session, program)
    view = quarterly_view(program, data, _quarter())
    employment = employment_view(data, _as_of())
    from_trial = queries.arms_from_trial(db.session, program)
    return render_template("outcomes/program.html", view=view, employment=employment, from_trial=from_trial)


@bp.get("/programs/<ref>/outcomes/<quarter>/<key>")
@roles_required(*PROGRAM_ROLES)
def count_clients(ref: str, quarter: str, key: str):
    """The clients (or referrals) behind one count of the quarterly table."""
    program = program_for(db.session, current_user, ref)
    try:
        q = Quarter.parse(quarter)
    except ValueError:
        abort(404)
    if key not in COUNT_KEYS:
        abort(404)
    view = quarterly_view(program, queries.program_rows(db.session, program), q)
    refs = view.outcome.refs[key]
    referrals = queries.referrals_by_ref(db.session, program, refs) if key.startswith("referrals") else []
    clients = queries.visible_clients(db.session, current_user, refs) if not referrals else {}
    audit(db.session, action="list", target=program.ref, shown=clients)
    db.session.commit()
    return render_template(
        "outcomes/count_clients.html", view=view, key=key, refs=refs, clients=clients, referrals=referrals
    )


@bp.get("/programs/<ref>/outcomes/quarterly.csv")
@roles_required(*PROGRAM_ROLES)
def quarterly_csv_download(ref: str):
    """The last eight quarters ending with the chosen one, as CSV."""
    program = program_for(db.session, current_user, ref)
    q = _quarter()
    view = quarterly_view(program, queries.program_rows(db.session, program), q)
    return _download(quarterly_csv(view.series), f"quarterly_{program.ref}_{q}.csv", "text/csv", program)


@bp.get("/programs/<ref>/outcomes/quarterly.pdf")
@roles_required(*PROGRAM_ROLES)
def quarterly_pdf_download(ref: str):
    """The quarterly outcomes report as PDF, with the chart of the last eight quarters."""
    program = program_for(db.session, current_user, ref)
    q = _quarter()
    data = queries.program_rows(db.session, program)
    pdf = quarterly_pdf(program, data, q, base_url=request.url_root)
    return _download(pdf, f"quarterly_{program.ref}_{q}.pdf", "application/pdf", program)


@bp.get("/programs/<ref>/outcomes/employment.csv")
@roles_required(*PROGRAM_ROLES)
def employment_csv_download(ref: str):
    """The statisticians' extract of the 12-month employment outcome, one row per client."""
    program = program_for(db.session, current_user, ref)
    as_of = _as_of()
    view = employment_view(queries.program_rows(db.session, program), as_of)
    name = f"employment_{program.ref}_{as_of.isoformat()}.csv"
    shown = [o.client_ref for o in view["outcomes"]]
    return _download(employment_csv(view["outcomes"]), name, "text/csv", program, shown)


@bp.get("/programs/<ref>/outcomes/measures.csv")
@roles_required(*PROGRAM_ROLES)
def measures_csv_download(ref: str):
    """Every questionnaire of the programme, scored: ODI %, band, EQ VAS, pain NRS."""
    program = program_for(db.session, current_user, ref)
    data = queries.program_rows(db.session, program, measures=True)
    shown = [m.client_ref for m in data.measures]
    return _download(measures_csv(data.measures), f"measures_{program.ref}.csv", "text/csv", program, shown)


@bp.get("/clients/<ref>/measures")
@roles_required(*MEASURE_ROLES)
def client_measures(ref: str):
    """A client's questionnaires: scores, charts and the baseline/6m/12m schedule."""
    client = client_for(db.session, current_user, ref)
    prom = client_prom_view(client, queries.client_measures(db.session, client))
    db.session.commit()
    return render_template("outcomes/client_measures.html", client=client, prom=prom)


def _save(form: MeasureForm, client, measure=None):
    fields = services.MeasureFields(
        measured_on=form.measured_on.data,
        timepoint=form.timepoint.data,
        odi=form.odi_scores(),
        eq_vas=form.eq_vas.data,
        pain_nrs=form.pain_nrs.data,
    )
    if measure is None:
        return services.measure_record(db.session, client=client, fields=fields, user_id=current_user.id)
    return services.measure_correct(
        db.session, measure=measure, version=form.version.data, fields=fields, user_id=current_user.id
    )


def _measure_form(client, measure=None):
    linked = {"timepoint": ("timepoint", code_in(TIMEPOINTS)), "date": ("measured_on", day_up_to(today))}
    new = {"measured_on": today()} | prefill(linked) if measure is None else None
    form = MeasureForm(obj=measure, data=new)
    if form.validate_on_submit():
        try:
            saved = _save(form, client, measure)
        except DomainError as err:
            form_error(form, err)
        else:
            client_changed(db.session, client_id=client.id, now=utcnow())
            db.session.commit()
            flash(_("Questionnaires %(ref)s saved.", ref=saved.ref))
            return redirect(url_for("outcomes.client_measures", ref=client.ref))
    db.session.commit()
    status = 422 if form.errors or form.form_errors else 200
    return render_template("outcomes/measure_form.html", client=client, form=form, measure=measure), status


@bp.route("/clients/<ref>/measures/new", methods=["GET", "POST"])
@roles_required(*MEASURE_ROLES)
def measure_new(ref: str):
    """Record questionnaires (scores only) at baseline, 6 or 12 months, or ad hoc."""
    return _measure_form(client_for(db.session, current_user, ref))


@bp.route("/clients/<ref>/measures/<mref>/edit", methods=["GET", "POST"])
@roles_required(*MEASURE_ROLES)
def measure_edit(ref: str, mref: str):
    """Correct recorded questionnaires; a stale form is refused, not overwritten."""
    client = client_for(db.session, current_user, ref)
    measure = queries.measure_for(db.session, client, mref)
    if measure is None:
        abort(404)
    return _measure_form(client, measure)
