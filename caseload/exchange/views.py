"""The import and export page for admins and supervisors (their own programme)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.exchange.auditing import audit_clients
from caseload.exchange.export import bundle_export
from caseload.exchange.forms import ImportForm
from caseload.exchange.people import staff_changes_record, staff_state
from caseload.exchange.scope import ADMIN_FILES, Scope
from caseload.exchange.services import bundle_analyze, bundle_check, bundle_import
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
    """The uploaded file saved under a name of our own, with its (validated) extension."""
    suffix = Path(upload.filename or "").suffix.lower()
    with tempfile.TemporaryDirectory(prefix="caseload-exchange-") as folder:
        path = Path(folder) / f"bundle{suffix}"
        upload.save(path)
        yield path


@bp.get("/")
@roles_required(*ROLES)
def index():
    """Import and export."""
    return render_template("exchange/index.html", form=ImportForm())


@bp.post("/import")
@roles_required(*ROLES)
def import_bundle():
    """Check, or import, an uploaded bundle: all of it or nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("exchange/index.html", form=form), 422
    try:
        with _saved(form.bundle.data) as path:
            if form.check.data:
                result = bundle_check(db.session, path=path, scope=_scope())
                problems, counts = result.problems, result.counts()
            else:
                staff = staff_state(db.session, User.program_id == current_user.program_id)
                report = bundle_import(db.session, path=path, user_id=current_user.id, scope=_scope())
                problems, counts = report.problems, report.created
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("exchange import failed")
        form.bundle.errors.append(_("The import failed; nothing was written."))
        return render_template("exchange/index.html", form=form), 422
    if problems or form.check.data:
        db.session.rollback()
        page = render_template("exchange/index.html", form=form, problems=problems, counts=counts)
        return page, 422 if problems else 200
    if current_user.role == "admin":
        audit(db.session, action="exchange_import_staff", target=current_user.program.ref)
    staff_changes_record(db.session, before=staff, changed_by_id=current_user.id)
    db.session.commit()
    bundle_analyze(db.session, report)
    db.session.commit()
    created, updated = sum(report.created.values()), sum(report.updated.values())
    flash(_("Imported: %(created)d created, %(updated)d updated.", created=created, updated=updated))
    return redirect(url_for("exchange.index"))


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
    if admin:
        audit(db.session, action="exchange_export_staff", target=current_user.program.ref)
    db.session.commit()
    archive.seek(0)
    name = f"{current_user.program.ref}-bundle-{today().isoformat()}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)
