"""Each person's home, a client's page and a programme's page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.clients.scoping import client_for, client_scope
from caseload.corrections.queries import voided_records
from caseload.employers.queries import week_counts_for, week_face_to_face_count
from caseload.employers.rules import WEEKLY_TARGET
from caseload.extensions import db
from caseload.fidelity.queries import program_summary
from caseload.forms import today
from caseload.jobs.forms import END_REASON_LABELS, NOT_COMPETITIVE_LABELS
from caseload.labels import KIND_LABELS, LOCATION_LABELS, MODE_LABELS, PHASE_LABELS, PURPOSE_LABELS
from caseload.metrics.periods import monday_of
from caseload.metrics.trial import TRIAL_ROLES
from caseload.outcomes.pages import program_outcomes_context
from caseload.principles.clinician import clinician_client_page
from caseload.principles.due import caseload_todo
from caseload.principles.home import (
    FOLLOW_ALONG,
    JOB_SEARCH,
    WORKING,
    client_phase,
    home_rows,
    one_list,
)
from caseload.principles.panels import panels_for, support_due
from caseload.principles.queries import caseload_counts, client_records
from caseload.principles.timeline import timeline_for
from caseload.prompts.queries import inbox_for, resting_keys
from caseload.teams.access import program_for
from caseload.teams.models import TreatmentTeam

bp = Blueprint("principles", __name__)
CASELOAD_TARGET = 20
TIMELINE_SHOWN = 50  # the client page's latest events; the whole history is a link away
# The purpose a new contact most likely has, by the client's phase (the contact form's default).
PHASE_PURPOSE = {JOB_SEARCH: "job_search", WORKING: "follow_along", FOLLOW_ALONG: "follow_along"}


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
    if role in TRIAL_ROLES:
        return redirect(url_for("trial.home"))
    return specialist_home()


def specialist_home():
    """What to do today: each active client's phase, silence and overdue things (set-based reads)."""
    t = today()
    scope = (client_scope(current_user), Client.closed_on.is_(None))
    files, todo = caseload_todo(db.session, *scope, today=t)  # stored items, derived when stale
    rows = home_rows(files, t, todo)
    monday = monday_of(t)
    week = week_face_to_face_count(db.session, current_user.id, monday)
    since = min((x.due_on for r in rows for x in r.todo), default=t)
    resting = resting_keys(db.session, current_user, t, since)
    prompts = one_list(inbox_for(db.session, current_user, t), rows, resting, files)
    shown = [r.ref for r in rows] + [p.client_ref for p in prompts]
    audit(
        db.session,
        action="view_caseload",
        target=f"{len(rows)} clients",
        user_id=current_user.id,
        shown=shown,
    )
    html = render_template(
        "principles/specialist_home.html",
        prompts=prompts,
        rows=rows,
        phases={phase: str(label) for phase, label in PHASE_LABELS.items()},  # translated once
        target=CASELOAD_TARGET,
        week_count=week,
        week_target=WEEKLY_TARGET,
        monday=monday,
        today=t,
    )
    db.session.commit()
    return html


def clinician_home():
    """The clients of the clinician's treatment teams (the listing is audited as one read)."""
    # Narrow rows (ref, name, team, specialist), not client objects with their relationships.
    stmt = (
        select(
            Client.ref, Client.name, TreatmentTeam.name.label("team_name"), User.name.label("specialist_name")
        )
        .select_from(Client)
        .outerjoin(TreatmentTeam, TreatmentTeam.id == Client.treatment_team_id)
        .join(User, User.id == Client.specialist_id)
        .where(client_scope(current_user), Client.closed_on.is_(None))
        .order_by(Client.name)
    )
    clients = db.session.execute(stmt).all()
    audit(
        db.session,
        action="view_caseload",
        target=f"{len(clients)} clients",
        user_id=current_user.id,
        shown=[c.ref for c in clients],
    )
    html = render_template("principles/clinician_home.html", clients=clients)
    db.session.commit()
    return html


@bp.get("/clients/<ref>")
@login_required
def client_page(ref: str):
    """A client's page: one panel per IPS principle, the records, and the timeline."""
    client = client_for(db.session, current_user, ref)
    if current_user.role == "clinician":
        return clinician_client_page(client)
    records = client_records(db.session, client)
    t, file = today(), records.file
    whole = request.args.get("history") == "all"
    timeline = timeline_for(file, limit=None if whole else TIMELINE_SHOWN + 1)
    html = render_template(
        "principles/client.html",
        client=client,
        records=records,
        panels=panels_for(file, t),
        timeline=timeline[:TIMELINE_SHOWN] if not whole else timeline,
        more_history=len(timeline) > TIMELINE_SHOWN and not whole,
        jobs=[
            (job, line, support_due(line, file.contacts, t)[0]) for job, line in zip(records.jobs, file.jobs)
        ],
        benefits_before={
            line.row.ref: any(
                file.client.entry_date <= b.session_date <= line.row.start_date for b in file.benefits
            )
            for line in file.jobs
        },
        contact_purpose=PHASE_PURPOSE.get(
            client_phase(file.client, [j.row for j in file.jobs], file.employer_contacts, t),
            "engagement",
        ),
        voided=voided_records(db.session, client),
        labels={  # translated once per request, not once per record
            name: {code: str(label) for code, label in table.items()}
            for name, table in (
                ("kind", KIND_LABELS),
                ("mode", MODE_LABELS),
                ("location", LOCATION_LABELS),
                ("purpose", PURPOSE_LABELS),
                ("end", END_REASON_LABELS),
                ("why", NOT_COMPETITIVE_LABELS),
            )
        },
        today=t,
    )
    db.session.commit()  # the audit event of the read, after rendering from the loaded records
    return html


@bp.get("/programs/<ref>")
@roles_required("supervisor")
def program_page(ref: str):
    """The programme's page: caseload per specialist."""
    program = program_for(db.session, current_user, ref)
    t = today()
    monday = monday_of(t)
    caseloads = caseload_counts(db.session, program.id)
    html = render_template(
        "principles/program.html",
        program=program,
        caseloads=caseloads,
        target=CASELOAD_TARGET,
        week=week_counts_for(db.session, [s.id for s, _ in caseloads], monday),
        week_target=WEEKLY_TARGET,
        monday=monday,
        fidelity=program_summary(db.session, program, t, computed=False),
        **program_outcomes_context(db.session, program, t),
    )
    db.session.commit()  # the quarter's outcome, stored when it was stale (outcomes.stored)
    return html
