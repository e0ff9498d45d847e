"""Operations: backup and restore, and the retention of closed clients' records (anonymisation)."""

from __future__ import annotations

from flask import Flask, current_app

from caseload.l10n import lazy_gettext as _l


def client_may_be_anonymised(client) -> bool:
    """For templates: the client's retention period has passed (show the supervisor's button)."""
    from caseload.forms import today
    from caseload.ops.retention import may_anonymise

    years = int(current_app.config["RETENTION_YEARS"])
    return may_anonymise(client.closed_on, client.anonymised, today(), years)


def init_app(app: Flask) -> None:
    from caseload.nav import nav_register
    from caseload.ops import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
    app.jinja_env.globals["client_may_be_anonymised"] = client_may_be_anonymised
    nav_register(app, "ops.retention", _l("Retention"), ("supervisor",))
