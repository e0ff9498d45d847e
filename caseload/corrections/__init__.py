"""Corrections of any record: void with a reason, move to the right client, history of changes."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.corrections import views
    from caseload.corrections.present import describe, kind_name

    app.register_blueprint(views.bp)
    app.add_template_global(describe, "describe_record")
    app.add_template_global(kind_name, "record_kind_name")
