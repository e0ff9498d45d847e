"""Referrals, the client record, closure and reassignment."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.clients import views
    from caseload.clients.forms import CLOSURE_LABELS, DECISION_LABELS, STATUS_LABELS
    from caseload.clients.scoping import audit_refused

    app.register_blueprint(views.bp)
    app.after_request(audit_refused)
    app.add_template_filter(lambda code: DECISION_LABELS.get(code, code), "decision_label")
    app.add_template_filter(lambda code: CLOSURE_LABELS.get(code, code), "closure_label")
    app.add_template_filter(lambda code: STATUS_LABELS.get(code, code), "status_label")
