"""Quarterly outcomes, the 12-month employment outcome and patient-reported outcomes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.outcomes import cli, views
    from caseload.outcomes.numbers import fmt

    app.register_blueprint(views.bp)
    app.add_template_filter(fmt, "decimal1")
    cli.init_app(app)
