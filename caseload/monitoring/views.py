"""``/healthz`` and ``/readyz``: JSON, no sign-in, no session, no client data, never cached."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from caseload.db import utcnow
from caseload.extensions import db
from caseload.monitoring.checks import readiness

bp = Blueprint("monitoring", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up (no database access)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """200 when the app can serve (database, migrations, scheduler), else 503; the checks as JSON."""
    state = readiness(db.session, current_app._get_current_object(), utcnow())  # type: ignore[attr-defined]
    return jsonify(state.as_json()), 200 if state.ready else 503
