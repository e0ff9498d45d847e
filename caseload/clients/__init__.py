"""Referrals, the client record, closure and reassignment."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.clients import views
    from caseload.clients.scoping import audit_refused
    from caseload.labels import label

    app.register_blueprint(views.bp)
    app.after_request(audit_refused)
    app.add_template_filter(lambda code: label(code, "decision"), "decision_label")
    app.add_template_filter(lambda code: label(code, "closure"), "closure_label")
    app.add_template_filter(lambda code: label(code, "status"), "status_label")
