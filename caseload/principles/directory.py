"""Finding people: the clients list and search ("Clients" in the menu).

Names never travel in an address: the page lists the person's clients on GET, the search box
filters them in the page (static/js/client-list.js), and the search itself is a POST with CSRF.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.forms import NoNul, strip, today
from caseload.l10n import lazy_gettext as _l
from caseload.principles.home import PHASE_LABELS
from caseload.principles.listing import (
    SHOWN_MAX,
    Filters,
    client_list,
    specialist_choices,
    team_choices,
)

bp = Blueprint("directory", __name__)
STATE_LABELS = {"open": _l("Open cases"), "closed": _l("Closed cases"), "all": _l("Open and closed cases")}


class ClientSearchForm(FlaskForm):
    q = SearchField(
        _l("Name or ref"),
        validators=[Optional(), Length(max=200), NoNul()],
        filters=[strip],
        render_kw={"autocomplete": "off"},
    )
    phase = SelectField(_l("Phase"), choices=[], default="")
    specialist = SelectField(_l("Specialist"), coerce=int, choices=[], default=0)
    team = SelectField(_l("Treatment team"), coerce=int, choices=[], default=0)
    state = SelectField(_l("Open or closed"), choices=list(STATE_LABELS.items()), default="open")


def _search_form() -> ClientSearchForm:
    form = ClientSearchForm()
    form.phase.choices = [("", _l("Any phase"))] + list(PHASE_LABELS.items())
    form.specialist.choices = [(0, _l("Any specialist"))] + specialist_choices(db.session, current_user)
    form.team.choices = [(0, _l("Any team"))] + team_choices(db.session, current_user)
    if current_user.role == "specialist":  # a specialist's scope is their own caseload
        form.specialist.choices = form.specialist.choices[:1]
    return form


@bp.route("/clients", methods=["GET", "POST"])
@roles_required("specialist", "supervisor", "clinician")
def clients():
    """The clients in the person's scope, narrowed by the search (POST) or in the page."""
    form = _search_form()
    filters, status = Filters(), 200
    if form.is_submitted():
        if form.validate():
            filters = Filters(
                form.q.data or "",
                form.phase.data or "",
                form.specialist.data,
                form.team.data,
                form.state.data,
            )
        else:
            status = 422
    rows = client_list(db.session, current_user, today(), filters)
    shown = rows[:SHOWN_MAX]
    audit(db.session, action="view_client_list", target=f"{len(shown)} clients", shown=[r.ref for r in shown])
    html = render_template(
        "principles/client_list.html",
        form=form,
        rows=shown,
        total=len(rows),
        searched=form.is_submitted(),
        with_phase=current_user.role != "clinician",
    )
    db.session.commit()
    return html, status
