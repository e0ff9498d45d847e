"""The eight IPS principles: panels for a client and a programme, and each person's home."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.principles import clinician, directory, due, views
    from caseload.prompts.sweep import on_program_swept
    from caseload.writes import on_client_changed, on_clients_written

    app.register_blueprint(views.bp)
    app.register_blueprint(clinician.bp)
    app.register_blueprint(directory.bp)
    # The stored due items the home reads go stale with any change to a client's records.
    due.listen()
    on_client_changed(app, due.client_changed_hook)
    on_clients_written(app, due.invalidate)
    on_program_swept(app, due.program_swept_hook)
