"""The import and export page for admins and supervisors (their own programme)."""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.exchange.auditing import audit_clients, audit_trials
from caseload.exchange.export import bundle_export
from caseload.exchange.forms import ImportForm, upload_name
from caseload.exchange.jobs import import_job_start, upload_folder
from caseload.exchange.models import ImportJob
from caseload.exchange.scope import ADMIN_FILES, Scope
from caseload.exchange.services import bundle_check
from caseload.extensions import db
from caseload.forms import today

bp = Blueprint("exchange", __name__, url_prefix="/exchange")
ROLES = ("admin", "supervisor")
log = logging.getLogger("caseload.exchange")


def _scope() -> Scope:
    user = current_user
    return Scope(program_id=user.program_id, program_ref=user.program.ref, role=user.role)


@contextmanager
def _saved(upload) -> Iterator[Path]:
    """The uploaded file saved under a name of our own (a CSV file: its table's), with its
    (validated) extension."""
    with tempfile.TemporaryDirectory(prefix="caseload-exchange-") as folder:
        path = Path(folder) / upload_name(upload.filename or "")
        upload.save(path)
        upload.close()  # a large upload is spooled to a temporary file of its own
        yield path


@bp.get("/")
@roles_required(*ROLES)
def index():
    """Import and export."""
    return render_template("exchange/index.html", form=ImportForm())


@bp.post("/import")
@roles_required(*ROLES)
def import_bundle():
    """Check an uploaded bundle, or start importing it (all of it or nothing) in the background."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("exchange/index.html", form=form), 422
    if not form.check.data:
        return _start_job(form.bundle.data)
    try:
        with _saved(form.bundle.data) as path:
            result = bundle_check(db.session, path=path, scope=_scope())
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("exchange check failed")
        form.bundle.errors.append(_("The check failed; nothing was written."))
        return render_template("exchange/index.html", form=form), 422
    db.session.rollback()
    page = render_template(
        "exchange/index.html",
        form=form,
        problems=result.problems,
        warnings=result.warnings,
        counts=result.counts(),
    )
    return page, 422 if result.problems else 200


def _start_job(upload):
    """Keep the upload and import it in the background; the job's page follows it."""
    job = ImportJob(user_id=current_user.id)
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    name = upload_name(upload.filename or "")  # validated by the form
    path = upload_folder() / f"job-{job_id}-{secrets.token_hex(8)}{Path(name).suffix}"
    if name.endswith(".csv"):  # a folder of its own keeps the name that says which table it is
        path.with_suffix("").mkdir(mode=0o700)
        path = path.with_suffix("") / name
    upload.save(path)
    upload.close()
    db.session.commit()
    import_job_start(job_id, path)
    return redirect(url_for("exchange.import_job", job_id=job_id))


def _job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.get("/imports/<int:job_id>")
@roles_required(*ROLES)
def import_job(job_id: int):
    """A background import: its progress, then its outcome."""
    job = _job(job_id)
    return render_template("exchange/job.html", job=job, outcome=json.loads(job.outcome))


@bp.get("/imports/<int:job_id>/status")
@roles_required(*ROLES)
def import_job_status(job_id: int):
    """A background import's state and progress, for the page's script."""
    job = _job(job_id)
    return {"state": job.state, "done": job.done, "total": job.total}


@bp.post("/export")
@roles_required(*ROLES)
def export_bundle():
    """Download the programme's records as a bundle (.zip); an administrator's holds the
    programme, its treatment teams and staff only."""
    archive = BytesIO()  # the compressed bundle only: the rows are streamed into it
    admin = current_user.role == "admin"
    files = ADMIN_FILES if admin else None
    report = bundle_export(db.session, dest=archive, program_id=current_user.program_id, files=files)
    audit_clients(db.session, refs=report.client_refs, action="exchange_export", user_id=current_user.id)
    audit_trials(db.session, refs=report.trial_refs, action="exchange_export_trial", user_id=current_user.id)
    if admin:
        audit(db.session, action="exchange_export_staff", target=current_user.program.ref)
    db.session.commit()
    archive.seek(0)
    name = f"{current_user.program.ref}-bundle-{today().isoformat()}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
