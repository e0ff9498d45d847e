"""PDF downloads: a fidelity review, the fidelity report for a date, the pre-review data pack."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, request, send_file
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.extensions import db
from caseload.fidelity.forms import AsOfForm
from caseload.fidelity.queries import final_review_on, review_for
from caseload.forms import today
from caseload.reports.fidelity import fidelity_pdf
from caseload.teams.access import program_for

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _pdf(data: bytes, name: str):
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)


def _as_of():
    form = AsOfForm(request.args)
    if not form.validate():
        abort(400)
    return form.as_of.data or today()


@bp.get("/fidelity/reviews/<ref>.pdf")
@roles_required("supervisor")
def fidelity_review_pdf(ref: str):
    """The report of one review (a draft is marked as such)."""
    review = review_for(db.session, current_user, ref)
    pdf = fidelity_pdf(
        db.session, review.program, review.review_date, review=review, base_url=request.url_root
    )
    return _pdf(pdf, f"fidelity-{review.program.ref}-{review.review_date}.pdf")


@bp.get("/fidelity/<program_ref>.pdf")
@roles_required("supervisor")
def fidelity_program_pdf(program_ref: str):
    """The fidelity report for a date: its final review when one exists, else the computed items."""
    program, as_of = _program_as_of(program_ref)
    review = final_review_on(db.session, program, as_of)
    pdf = fidelity_pdf(db.session, program, as_of, review=review, base_url=request.url_root)
    return _pdf(pdf, f"fidelity-{program.ref}-{as_of}.pdf")


@bp.get("/fidelity/<program_ref>/snapshot.pdf")
@roles_required("supervisor")
def fidelity_snapshot_pdf(program_ref: str):
    """The pre-review data pack a programme sends to external reviewers before their visit."""
    program, as_of = _program_as_of(program_ref)
    pdf = fidelity_pdf(db.session, program, as_of, snapshot=True, base_url=request.url_root)
    return _pdf(pdf, f"fidelity-data-pack-{program.ref}-{as_of}.pdf")


def _program_as_of(program_ref: str):
    """The person's programme by its ref (404 outside it) and the date asked for (400 if not one)."""
    return program_for(db.session, current_user, program_ref), _as_of()
