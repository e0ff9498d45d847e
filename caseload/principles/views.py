"""Each person's home, a client's page and a programme's page."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.clients.models import Client
from caseload.clients.scoping import client_for, scoped_clients
from caseload.extensions import db
from caseload.forms import today
from caseload.principles.panels import client_panels
from caseload.principles.queries import caseload_counts, client_records
from caseload.principles.timeline import client_timeline
from caseload.teams.models import Program

bp = Blueprint("principles", __name__)
CASELOAD_TARGET = 20


@bp.get("/")
@login_required
def home():
    """The signed-in person's home."""
    role = current_user.role
    if role == "supervisor":
        return redirect(url_for("principles.program_page", ref=current_user.program.ref))
    if role == "admin":
        return redirect(url_for("auth.people"))
    if role == "clinician":
        return clinician_home()
    clients = db.session.scalars(
        scoped_clients(current_user).where(Client.closed_on.is_(None)).order_by(Client.name)
    ).all()
    return render_template("principles/specialist_home.html", clients=clients, target=CASELOAD_TARGET)


def clinician_home():
    clients = db.session.scalars(
        scoped_clients(current_user).where(Client.closed_on.is_(None)).order_by(Client.name)
    ).all()
    return render_template("principles/clinician_home.html", clients=clients)


@bp.get("/clients/<ref>")
@login_required
def client_page(ref: str):
    """A client's page: one panel per IPS principle, and the timeline."""
    client = client_for(db.session, current_user, ref)
    records = client_records(db.session, client)
    db.session.commit()
    clinician = current_user.role == "clinician"
    return render_template(
        "principles/client.html",
        client=client,
        records=records,
        panels=client_panels(records, today()),
        timeline=client_timeline(records, clinician=clinician),
    )


@bp.get("/programs/<ref>")
@roles_required("supervisor")
def program_page(ref: str):
    """The programme's page: caseload per specialist."""
    program = db.session.scalar(select(Program).where(Program.ref == ref))
    if program is None or program.id != current_user.program_id:
        abort(404)
    return render_template(
        "principles/program.html",
        program=program,
        caseloads=caseload_counts(db.session, program.id),
        target=CASELOAD_TARGET,
    )
