"""Programmes, treatment teams and the logs of team meetings, NAV contacts and supervision."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.teams import views

    app.register_blueprint(views.bp)
