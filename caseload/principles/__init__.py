"""The eight IPS principles: panels for a client and a programme, and each person's home."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.principles import clinician, directory, views

    app.register_blueprint(views.bp)
    app.register_blueprint(clinician.bp)
    app.register_blueprint(directory.bp)
