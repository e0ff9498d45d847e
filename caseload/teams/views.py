"""The admin's programmes and treatment teams."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.extensions import db
from caseload.pages import done, fields_write
from caseload.teams.forms import ProgramForm, ProgramSettingsForm, TeamForm
from caseload.teams.models import Program, TreatmentTeam
from caseload.teams.services import program_create, program_settings_update, team_create
from caseload.writes import submit

bp = Blueprint("teams", __name__, url_prefix="/admin")


@bp.before_request
@roles_required("admin")
def _admin_only() -> None:
    """Every page here is the admin's: signed out, the sign-in page; anyone else, 404."""


@bp.get("/teams")
def index():
    """Programmes with their treatment teams."""
    programs = db.session.scalars(select(Program).order_by(Program.name)).all()
    return render_template("teams/index.html", programs=programs)


@bp.route("/programs/new", methods=["GET", "POST"])
def program_new():
    """Add a programme."""
    form = ProgramForm()
    return _audited_form(
        form,
        lambda: program_create(db.session, name=form.name.data),
        "program_create",
        _("Programme added."),
        _("New programme"),
    )


def _audited_form(form, write: Callable[[], Program | TreatmentTeam], action: str, message: str, title: str):
    """A programme's or a team's form: what ``write`` returns is audited by its ref."""
    outcome = submit(form, write)
    if outcome.ok:
        audit(db.session, action=action, target=outcome.result.ref)
        return done(message, url_for("teams.index"))
    return render_template("teams/form.html", form=form, title=title), 422 if form.errors else 200


def _program_choices() -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in db.session.scalars(select(Program).order_by(Program.name))]


@bp.route("/programs/<program_ref>/settings", methods=["GET", "POST"])
def program_settings(program_ref: str):
    """A programme's name and full-time week; its time zone is shown."""
    program = db.first_or_404(select(Program).where(Program.ref == program_ref))
    form = ProgramSettingsForm(obj=program)
    outcome = submit(
        form, fields_write(form, program_settings_update, "name", "full_time_hours", program=program)
    )
    if outcome.ok:
        return done(_("Settings of %(name)s saved.", name=program.name), url_for("teams.index"))
    return render_template(
        "teams/program_settings.html", form=form, program=program
    ), 422 if form.errors else 200


@bp.route("/teams/new", methods=["GET", "POST"])
def team_new():
    """Add a treatment team."""
    form = TeamForm()
    form.program_id.choices = _program_choices()
    return _audited_form(
        form,
        lambda: team_create(db.session, program_id=form.program_id.data, name=form.name.data),
        "team_create",
        _("Team added."),
        _("New treatment team"),
    )


@bp.route("/teams/<ref>", methods=["GET", "POST"])
def team_edit(ref: str):
    """Rename a treatment team or move it to another programme."""
    team = db.first_or_404(select(TreatmentTeam).where(TreatmentTeam.ref == ref))
    form = TeamForm(obj=team)
    form.program_id.choices = _program_choices()

    def write() -> TreatmentTeam:
        team.name, team.program_id = form.name.data, form.program_id.data
        return team

    return _audited_form(form, write, "team_update", _("Saved."), team.name)
