"""Reports: the fidelity report downloads and commands (rendering itself is ``caseload.rendering``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.rendering import charts
    from caseload.reports import cli, fidelity, views

    app.register_blueprint(views.bp)
    cli.report_group(app).add_command(cli.fidelity_report)
    # Templates of any feature draw charts through these, without importing this package.
    app.jinja_env.globals.update(
        line_chart=charts.line_chart,
        bar_chart=charts.bar_chart,
        chart_series=charts.series,
        fidelity_total_chart=fidelity.total_chart,
        fidelity_item_chart=fidelity.item_chart,
    )
