"""Quarterly outcomes, the 12-month employment outcome and patient-reported outcomes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.metrics.numbers import display
    from caseload.outcomes import cli, views

    app.register_blueprint(views.bp)
    app.add_template_filter(display, "decimal1")
    cli.init_app(app)
