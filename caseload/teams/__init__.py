"""Programmes, treatment teams and the logs of team meetings, NAV contacts and supervision."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.extensions import db
    from caseload.teams import views
    from caseload.teams.queries import job_type_names

    app.register_blueprint(views.bp)
    # A client's preferred job types as words ("Cook, Cleaner"), not as codes: one query.
    app.add_template_filter(
        lambda client: job_type_names(db.session, client.program_id, client.job_type_list), "job_type_names"
    )
