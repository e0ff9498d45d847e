"""Jobs (principles 2 and 8): starts, corrections, changes of hours, ends; job-type codes."""

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.jobs import views
    from caseload.nav import nav_register

    app.register_blueprint(views.bp)
    nav_register(app, "jobs.job_types", _l("Job types"), ("specialist", "supervisor"))
