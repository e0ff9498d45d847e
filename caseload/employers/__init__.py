"""Employers, their contact people, the job development log (principle 7) and its weekly review."""

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.employers import log_views, views  # noqa: F401 - log_views adds its routes to views.bp
    from caseload.nav import nav_register

    app.register_blueprint(views.bp)
    nav_register(app, "employers.index", _l("Employers"), ("specialist", "supervisor"))
    nav_register(app, "employers.log", _l("Job development log"), ("specialist", "supervisor"))
