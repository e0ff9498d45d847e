"""IPS-25 fidelity: items computed from the records, reviews by supervisors, the logs they need."""

from __future__ import annotations

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.fidelity import cli, present, views
    from caseload.fidelity.queries import final_review_totals
    from caseload.nav import nav_register
    from caseload.prompts.loading import on_rule_rows

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.fidelity_cli)
    on_rule_rows(app, final_reviews=final_review_totals)
    nav_register(app, "fidelity.index", _l("Fidelity"), ("specialist", "supervisor"))
    app.jinja_env.globals.update(present.TEMPLATE_GLOBALS)
