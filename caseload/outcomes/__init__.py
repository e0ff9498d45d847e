"""Quarterly outcomes, the 12-month employment outcome and patient-reported outcomes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.outcomes import cli, stored, views
    from caseload.outcomes.queries import measure_dates
    from caseload.prompts.loading import on_rule_rows
    from caseload.writes import on_clients_written

    app.register_blueprint(views.bp)
    cli.init_app(app)
    on_rule_rows(app, measures=measure_dates)
    # The programme page's stored quarter goes stale with any change to the records it reads.
    stored.listen()
    on_clients_written(app, stored.clients_written_hook)
