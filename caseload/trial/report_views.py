"""The trial's reports (trial manager and statistician; anyone else 404): the CONSORT flow as
SVG and PDF, enrolment against target, follow-up completeness, the primary outcome; the
statistician's data lock and the analysis export downloads."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.forms import date_field, today
from caseload.l10n import lazy_gettext as _l
from caseload.trial import queries
from caseload.trial.export import FORMATS, canonical_csv, codebook_csv, export_bytes, manifest, manifest_json
from caseload.trial.lock import trial_lock
from caseload.trial.reports import pages
from caseload.trial.reports.loading import latest_lock, trial_data
from caseload.writes import save

bp = Blueprint("trial_reports", __name__, url_prefix="/trial")
TEAM = ("trial_manager", "statistician")
STATISTICIAN = ("statistician",)
MIMETYPES = {"csv": "text/csv", "dta": "application/x-stata-dta", "sav": "application/x-spss-sav"}


class LockForm(FlaskForm):
    locked_on = date_field(_l("Lock the data up to"))


def _as_of() -> date:
    try:
        return date.fromisoformat(request.args.get("as_of") or today().isoformat())
    except ValueError:
        abort(404)


def _trial(ref: str, action: str):
    trial = queries.trial_for(db.session, current_user, ref)
    audit(db.session, action=action, target=trial.ref)
    return trial


@bp.get("/reports")
@roles_required(*TEAM)
def index():
    """The trials whose reports the person may read."""
    return render_template("trial/reports/index.html", trials=queries.trials_of(db.session, current_user))


@bp.get("/<ref>/reports")
@roles_required(*TEAM)
def report(ref: str):
    """CONSORT, enrolment against target, follow-up completeness and the primary outcome."""
    trial = _trial(ref, "trial_report")
    view = pages.report_view(trial_data(db.session, trial), _as_of())
    db.session.commit()
    return render_template("trial/reports/report.html", trial=trial, view=view, labels=pages.reason_labels())


@bp.get("/<ref>/reports/consort.pdf")
@roles_required(*TEAM)
def consort_pdf(ref: str):
    """The report as PDF."""
    trial = _trial(ref, "trial_report_pdf")
    body = pages.report_pdf(trial, trial_data(db.session, trial), _as_of(), base_url=request.url_root)
    db.session.commit()
    name = f"{trial.ref}-consort.pdf"
    return Response(
        body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/<ref>/lock", methods=["GET", "POST"])
@roles_required(*STATISTICIAN)
def lock(ref: str):
    """The data lock and the analysis export's downloads."""
    trial = _trial(ref, "trial_lock_page")
    form = LockForm(data={"locked_on": today()} if request.method == "GET" else None)
    held = latest_lock(db.session, trial)
    if held is None and form.validate_on_submit():
        saved = save(
            form,
            lambda: trial_lock(
                db.session, trial=trial, user_id=current_user.id, locked_on=form.locked_on.data, today=today()
            ),
        )
        if saved.ok:
            db.session.commit()
            flash(_("The trial's data are locked."), "success")
            return redirect(url_for("trial_reports.lock", ref=trial.ref))
    data = trial_data(db.session, trial)
    as_of = data.locked_on or today()
    info = manifest(data, as_of, canonical_csv(data, as_of))
    db.session.commit()
    return render_template(
        "trial/reports/lock.html", trial=trial, form=form, held=held, info=info, formats=FORMATS
    )


@bp.get("/<ref>/export/<name>")
@roles_required(*STATISTICIAN)
def export_file(ref: str, name: str):
    """One file of the analysis export, taken on the lock date (else today)."""
    stem, _dot, fmt = name.partition(".")
    if stem not in ("trial", "codebook", "manifest") or (stem == "trial" and fmt not in FORMATS):
        abort(404)
    if (stem, fmt) in (("codebook", "csv"), ("manifest", "json")) or stem == "trial":
        trial = _trial(ref, "trial_export")
    else:
        abort(404)
    data = trial_data(db.session, trial)
    as_of = data.locked_on or today()
    body: bytes | str
    if stem == "trial":
        body, mimetype = export_bytes(data, as_of, fmt), MIMETYPES[fmt]
    elif stem == "codebook":
        body, mimetype = codebook_csv(data), "text/csv"
    else:
        body, mimetype = manifest_json(manifest(data, as_of, canonical_csv(data, as_of))), "application/json"
    db.session.commit()
    download = f"{trial.ref}-{name}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{download}"'}
    )


def init_app(app: Flask) -> None:
    from caseload.nav import nav_register
    from caseload.trial.cli import trial_cli
    from caseload.trial.report_cli import register

    app.register_blueprint(bp)
    nav_register(app, "trial_reports.index", _l("Trial reports"), TEAM)
    register(trial_cli)
