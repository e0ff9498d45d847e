"""Monitoring: ``/healthz`` (the process answers) and ``/readyz`` (it can serve: database,
migrations, scheduler), for load balancers and the hospital's monitoring; no sign-in, no client data."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.monitoring import views

    app.register_blueprint(views.bp)
