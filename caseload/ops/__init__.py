"""Operations: backup and restore, and the retention of closed clients' records (anonymisation)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.nav import nav_register
    from caseload.ops import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav_register(app, "ops.retention", _l("Retention"), ("supervisor",))
