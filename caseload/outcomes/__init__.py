"""Quarterly outcomes, the 12-month employment outcome and patient-reported outcomes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.outcomes import cli, views
    from caseload.outcomes.queries import measure_dates
    from caseload.prompts.loading import on_rule_rows

    app.register_blueprint(views.bp)
    cli.init_app(app)
    on_rule_rows(app, measures=measure_dates)
