"""The second sign-in step, two-step enrolment, password change, and the admin's reset."""

from __future__ import annotations

import secrets
import time

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from caseload.auth.access import roles_required
from caseload.auth.models import User
from caseload.auth.views import sign_in
from caseload.extensions import db
from caseload.redirects import local_path
from caseload.security import services
from caseload.security.forms import CodeForm, PasswordChangeForm, TwoStepForm
from caseload.security.throttle import code_throttle
from caseload.security.totp import enrolment_secret, grouped, provisioning_uri
from caseload.writes import DomainError

bp = Blueprint("security", __name__, url_prefix="/security")
PENDING_SECONDS = 300


def _status(form) -> int:
    return 422 if form.errors else 200


def _field_error(form, err: DomainError) -> None:
    getattr(form, err.field or "code").errors.append(str(err))


def _pending_user() -> User | None:
    pending = session.get("pending_2fa") or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("id", 0))
    if user is None or not user.active or user.session_version != pending.get("sv"):
        return None
    return user if user.totp_secret else None


@bp.route("/code", methods=["GET", "POST"])
@code_throttle
def code():
    """Second sign-in step: the code from the person's authenticator app."""
    user = _pending_user()
    if user is None:
        session.pop("pending_2fa", None)
        flash(_("Please sign in again."))
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if services.code_accepted(user.id, services.totp_secret_of(user), form.code.data, time.time()):
            after = local_path(session.get("after_sign_in"))
            sign_in(user)
            return redirect(after or url_for("principles.home"))
        form.code.errors.append(_("The code is wrong or was used already."))
    return render_template("security/code.html", form=form), _status(form)


@bp.get("/account")
@login_required
def account():
    """The person's sign-in settings."""
    return render_template("security/account.html")


def _enrolment_secret() -> str:
    nonce = session.setdefault("totp_nonce", secrets.token_urlsafe(16))
    return enrolment_secret(current_app.config["SECRET_KEY"], current_user.id, nonce)


def _renew_session(user: User) -> None:
    """The person's other sessions ended; keep this one under the new session version."""
    login_at = session.get("login_at")
    login_user(user)
    session["login_at"] = login_at


@bp.route("/two-step", methods=["GET", "POST"])
@login_required
def two_step():
    """Turn two-step sign-in on (secret shown as text and as an otpauth URI) or off."""
    form, user, now = TwoStepForm(), current_user._get_current_object(), time.time()
    if form.validate_on_submit():
        try:
            if user.totp_secret:
                if current_app.config.get("REQUIRE_ADMIN_TOTP") and user.role == "admin":
                    raise DomainError("Administrators must keep two-step sign-in.", "code")
                services.two_step_disable(
                    db.session, user=user, password=form.password.data, code=form.code.data, now=now
                )
            else:
                services.two_step_enable(
                    db.session,
                    user=user,
                    secret=_enrolment_secret(),
                    password=form.password.data,
                    code=form.code.data,
                    now=now,
                )
        except DomainError as err:
            _field_error(form, err)
        else:
            db.session.commit()
            session.pop("totp_nonce", None)
            _renew_session(user)
            flash(_("Two-step sign-in is on.") if user.totp_secret else _("Two-step sign-in is off."))
            return redirect(url_for("security.account"))
    secret = None if user.totp_secret else _enrolment_secret()
    return render_template(
        "security/two_step.html",
        form=form,
        secret=grouped(secret) if secret else None,
        uri=provisioning_uri(secret, user.email) if secret else None,
    ), _status(form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; every session of the person ends, this one too."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.password_change(
                db.session, user=current_user, current=form.current.data, new=form.new.data
            )
        except DomainError as err:
            _field_error(form, err)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Password changed. Please sign in with the new password."))
            return redirect(url_for("auth.login"))
    return render_template("security/password.html", form=form), _status(form)


@bp.post("/people/<int:user_id>/two-step/reset")
@roles_required("admin")
def two_step_reset(user_id: int):
    """Remove a person's lost second factor (they enrol again after signing in)."""
    user = db.get_or_404(User, user_id)
    services.two_step_reset(db.session, user=user, by_id=current_user.id)
    db.session.commit()
    flash(_("Two-step sign-in removed for %(name)s.", name=user.name))
    return redirect(url_for("auth.person_edit", user_id=user.id))
