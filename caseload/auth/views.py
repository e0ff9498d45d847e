"""Sign in, sign out, language, and the admin's people pages."""

from __future__ import annotations

import logging
import smtplib
import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.forms import LanguageForm, LoginForm, PersonForm, SetPasswordForm
from caseload.auth.models import User
from caseload.auth.notices import flash_account_changes, password_link_mail
from caseload.auth.passwords import hash_password, needs_rehash, verify_password
from caseload.auth.services import (
    password_link_issue,
    password_link_use,
    password_link_user,
    user_create,
    user_update,
)
from caseload.db import utcnow
from caseload.extensions import db
from caseload.mail import app_url, mail_configured, send
from caseload.pages import done
from caseload.redirects import local_path
from caseload.security.throttle import login_throttle
from caseload.teams.models import Program, TreatmentTeam
from caseload.writes import DomainError, submit

bp = Blueprint("auth", __name__, url_prefix="/auth")
log = logging.getLogger("caseload.auth")


def sign_in(user: User) -> None:
    """Start a fresh session for ``user`` (after the password and, if enrolled, the second step);
    tell them what administrators changed in their account since."""
    session.clear()
    login_user(user)
    session["login_at"] = session["seen_at"] = utcnow().timestamp()
    user.last_login_at = utcnow()
    flash_account_changes(db.session, user)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@login_throttle
def login():
    """Sign in with e-mail and password (then the code, for people with two-step sign-in)."""
    form, after = LoginForm(), local_path(request.args.get("next"))
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user and user.active and verify_password(user.password_hash, form.password.data):
            if needs_rehash(user.password_hash):  # made with other argon2 parameters: replace it
                user.password_hash = hash_password(form.password.data)
                db.session.commit()
            if user.totp_secret:
                session.clear()
                session["pending_2fa"] = {"id": user.id, "sv": user.session_version, "at": time.time()}
                session["after_sign_in"] = after
                return redirect(url_for("security.code"))
            sign_in(user)
            return redirect(after or url_for("principles.home"))
        form.password.errors.append(_("E-mail or password is wrong."))
    page = render_template("auth/login.html", form=form, after=after)
    return page, 422 if request.method == "POST" else 200


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
    teams = db.session.execute(
        select(TreatmentTeam.id, TreatmentTeam.name, TreatmentTeam.ref, Program.name.label("program"))
        .join(Program, Program.id == TreatmentTeam.program_id)
        .order_by(Program.name, TreatmentTeam.ref)
    )
    grouped: dict[str, list[tuple[int, str]]] = {}  # shown by programme (one <optgroup> each)
    for t in teams:
        grouped.setdefault(t.program, []).append((t.id, f"{t.name} ({t.ref})"))
    form.team_ids.choices = grouped
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
    outcome = submit(
        form,
        lambda: user_create(
            db.session,
            email=form.email.data,
            created_by_id=current_user.id,
            **_person_fields(form),
        ),
    )
    if outcome.ok:
        return _hand_over_link(outcome.result, invitation=True)
    return render_template("auth/person_form.html", form=form, user=None), 422 if form.errors else 200


def _person_fields(form: PersonForm) -> dict:
    """What the admin sets of a person on either form (the e-mail is set once, when added)."""
    return {
        "name": form.name.data,
        "role": form.role.data,
        "program_id": form.program_id.data,
        "fte": form.fte.data,
        "teams": _teams(form.team_ids.data),
        "language": form.language.data or None,
    }


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def person_edit(user_id: int):
    """Change a person's role, programme, FTE, teams, language; deactivate."""
    user = db.get_or_404(User, user_id)
    form = _person_form(user)
    del form.email  # the login identity does not change
    outcome = submit(
        form,
        lambda: user_update(
            db.session,
            **_person_fields(form),
            user=user,
            active=form.active.data,
            changed_by_id=current_user.id,
        ),
    )
    if outcome.ok:
        return done(_("Saved."), url_for("auth.people"))
    return render_template("auth/person_form.html", form=form, user=user), 422 if form.errors else 200


@bp.post("/people/<int:user_id>/password-link")
@roles_required("admin")
def password_link(user_id: int):
    """Issue a one-time set-password link for a person (earlier links stop working)."""
    return _hand_over_link(db.get_or_404(User, user_id))


def _hand_over_link(user: User, *, invitation: bool = False):
    """Issue a link for ``user``, commit, and e-mail it (SMTP configured) or show it once here;
    for a new person the link is their invitation."""
    token = password_link_issue(db.session, user=user, issued_by_id=current_user.id, now=utcnow())
    db.session.commit()
    url = app_url(url_for("auth.set_password", token=token))
    mailed = False
    if mail_configured():
        try:
            mailed = send([password_link_mail(user, url, invitation=invitation)]) == 1
        except (smtplib.SMTPException, OSError) as err:
            log.warning("set-password mail for user %s not sent: %s", user.id, type(err).__name__)
    return render_template(
        "auth/link_issued.html",
        user=user,
        url=None if mailed else url,
        mailed=mailed,
        mail=mail_configured(),
        invitation=invitation,
    )


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The page of a one-time set-password link (no sign-in needed)."""
    form = SetPasswordForm()
    try:
        password_link_user(db.session, token=token, now=utcnow())
        if form.validate_on_submit():
            password_link_use(db.session, token=token, password=form.new.data, now=utcnow())
            db.session.commit()
            flash(_("Your password is set. Please sign in."))
            return redirect(url_for("auth.login"))
    except DomainError as err:
        db.session.rollback()
        return render_template("auth/set_password.html", form=None, refused=str(err)), 404
    return render_template("auth/set_password.html", form=form, refused=None), 422 if form.errors else 200


def _teams(ids: list[int]) -> list[TreatmentTeam]:
    return list(db.session.scalars(select(TreatmentTeam).where(TreatmentTeam.id.in_(ids or []))))
