"""The supervisor's retention page: anonymise closed clients after the retention period."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.clients.scoping import client_for
from caseload.extensions import db
from caseload.forms import today
from caseload.l10n import gettext as _
from caseload.l10n import ngettext
from caseload.ops.forms import AnonymiseForm, ConfirmForm
from caseload.ops.retention import retention_ends_on
from caseload.ops.services import client_anonymise, eligible_clients
from caseload.pages import done
from caseload.writes import attempt

bp = Blueprint("ops", __name__)


def _years() -> int:
    return int(current_app.config["RETENTION_YEARS"])


@bp.route("/retention", methods=["GET", "POST"])
@roles_required("supervisor")
def retention():
    """Closed clients of the programme past the retention period, to anonymise."""
    day, years = today(), _years()
    clients = eligible_clients(db.session, program_id=current_user.program_id, today=day, years=years)
    form = AnonymiseForm()
    form.refs.choices = [(c.ref, c.ref) for c in clients]
    if form.validate_on_submit():
        chosen = [c for c in clients if c.ref in set(form.refs.data)]
        for client in chosen:
            client_anonymise(db.session, client=client, today=day, years=years, user_id=current_user.id)
        db.session.commit()
        flash(ngettext("%(num)d client anonymised.", "%(num)d clients anonymised.", len(chosen)))
        return redirect(url_for("ops.retention"))
    audit(db.session, action="list", target=current_user.program.ref)
    db.session.commit()
    rows = [(c, retention_ends_on(c.closed_on, years)) for c in clients]
    return render_template("ops/retention.html", form=form, rows=rows, years=years, day=day), (
        422 if form.errors else 200
    )


@bp.post("/clients/<ref>/anonymise")
@roles_required("supervisor")
def client_anonymise_view(ref: str):
    """Anonymise one closed client (the button on the client's page)."""
    client = client_for(db.session, current_user, ref, action="view")
    form, url = ConfirmForm(), url_for("principles.client_page", ref=client.ref)
    if not form.validate_on_submit():
        db.session.commit()
        flash(_("Tick to confirm."), "error")
        return redirect(url)
    outcome = attempt(
        lambda: client_anonymise(
            db.session, client=client, today=today(), years=_years(), user_id=current_user.id
        )
    )
    if not outcome.ok:  # nothing is kept, not even the view's audit event (as before)
        db.session.rollback()
        return redirect(url)
    return done(_("Client %(ref)s anonymised.", ref=client.ref), url)
