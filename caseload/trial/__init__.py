"""The randomised trial: set-up, screening, concealed allocation and masked assessment."""

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.nav import nav_register
    from caseload.prompts.loading import on_rule_rows
    from caseload.trial import assessor, cli, queries, report_views, services, views
    from caseload.writes import on_client_changed

    app.register_blueprint(views.bp)
    app.register_blueprint(assessor.bp)
    nav_register(app, "trial.home", _l("Trial"), views.TEAM)
    nav_register(app, "trial_assess.assessments", _l("Assessments"), assessor.ASSESSOR)
    on_client_changed(app, services.client_arm_fill)
    # The assessment prompts (prompts never import the trial: it hands them masked rows)
    on_rule_rows(app, participants=queries.assessor_schedule_rows)
    cli.init_app(app)
    report_views.init_app(app)
