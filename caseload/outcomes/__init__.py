"""Quarterly outcomes, the 12-month employment outcome and patient-reported outcomes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.outcomes import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
