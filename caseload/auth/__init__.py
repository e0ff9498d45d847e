"""People, roles, sign-in, sessions and the audit log."""

from __future__ import annotations

from flask import Flask, current_app, session
from flask_login import current_user, logout_user

from caseload.db import utcnow
from caseload.extensions import db, login_manager
from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.auth import cli, views
    from caseload.auth.passwords import hasher
    from caseload.labels import ROLE_LABELS

    hasher(app.config["ARGON2_MEMORY_KIB"], app.config["ARGON2_TIME_COST"])  # refuses weak settings

    app.register_blueprint(views.bp)
    app.add_template_filter(lambda code: ROLE_LABELS.get(code, code), "role_label")
    cli.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(enforce_session_timeouts)


def load_user(identity: str):
    """Identity is ``<id>:<session version>``; an old version means the session was ended."""
    from caseload.auth.models import User

    try:
        user_id, version = (int(x) for x in identity.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def enforce_session_timeouts() -> None:
    """End a session idle for too long or older than the absolute limit."""
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["ABSOLUTE_TIMEOUT"].total_seconds()
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > absolute:
        logout_user()
        session.clear()
        return
    session["seen_at"] = now
