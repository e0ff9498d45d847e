"""Sign in, sign out, language, and the admin's people pages."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.forms import LanguageForm, LoginForm, PersonForm
from caseload.auth.models import User
from caseload.auth.passwords import verify_password
from caseload.auth.services import user_create, user_update
from caseload.db import utcnow
from caseload.extensions import db
from caseload.security.throttle import login_throttle
from caseload.teams.models import Program, TreatmentTeam
from caseload.writes import DomainError

bp = Blueprint("auth", __name__, url_prefix="/auth")


def sign_in(user: User) -> None:
    """Start a fresh session for ``user`` (after the password and, if enrolled, the second step)."""
    session.clear()
    login_user(user)
    session["login_at"] = session["seen_at"] = utcnow().timestamp()
    user.last_login_at = utcnow()
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@login_throttle
def login():
    """Sign in with e-mail and password (then the code, for people with two-step sign-in)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user and user.active and verify_password(user.password_hash, form.password.data):
            if user.totp_secret:
                session.clear()
                session["pending_2fa"] = {"id": user.id, "sv": user.session_version, "at": time.time()}
                return redirect(url_for("security.code"))
            sign_in(user)
            return redirect(url_for("principles.home"))
        form.password.errors.append(_("E-mail or password is wrong."))
    return render_template("auth/login.html", form=form), 422 if request.method == "POST" else 200


@bp.post("/logout")
@login_required
def logout():
    """Sign out everywhere: bump the session version, ending every session of this person."""
    current_user.session_version += 1
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.post("/language")
@login_required
def language():
    """Choose the interface language."""
    form = LanguageForm()
    if form.validate_on_submit():
        current_user.language = form.language.data
        db.session.commit()
    return redirect(request.referrer or url_for("principles.home"))


def _person_form(user: User | None = None) -> PersonForm:
    form = PersonForm(obj=user)
    form.program_id.choices = [
        (p.id, p.name) for p in db.session.scalars(select(Program).order_by(Program.name))
    ]
    form.team_ids.choices = [
        (t.id, f"{t.name} ({t.ref})")
        for t in db.session.scalars(select(TreatmentTeam).order_by(TreatmentTeam.ref))
    ]
    if user is not None and request.method == "GET":
        form.team_ids.data = [t.id for t in user.teams]
        form.language.data = user.language or ""
    return form


@bp.get("/people")
@roles_required("admin")
def people():
    """Everyone with access, by programme."""
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("auth/people.html", users=users)


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required("admin")
def person_new():
    """Add a person."""
    form = _person_form()
    if form.validate_on_submit():
        try:
            user_create(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                program_id=form.program_id.data,
                fte=form.fte.data,
                password=form.password.data,
                teams=_teams(form.team_ids.data),
            )
        except DomainError as err:
            getattr(form, err.field or "email").errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Person added."))
            return redirect(url_for("auth.people"))
    return render_template("auth/person_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def person_edit(user_id: int):
    """Change a person's role, FTE, teams, password; deactivate."""
    user = db.get_or_404(User, user_id)
    form = _person_form(user)
    del form.email  # the login identity does not change
    if form.validate_on_submit():
        user_update(
            db.session,
            user=user,
            name=form.name.data,
            role=form.role.data,
            program_id=form.program_id.data,
            fte=form.fte.data,
            active=form.active.data,
            teams=_teams(form.team_ids.data),
            language=form.language.data or None,
            password=form.password.data,
        )
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for("auth.people"))
    return render_template("auth/person_form.html", form=form, user=user), 422 if form.errors else 200


def _teams(ids: list[int]) -> list[TreatmentTeam]:
    return list(db.session.scalars(select(TreatmentTeam).where(TreatmentTeam.id.in_(ids or []))))
