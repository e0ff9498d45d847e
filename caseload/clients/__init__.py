"""Referrals, the client record, closure and reassignment."""

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.clients import views
    from caseload.clients.scoping import audit_refused
    from caseload.labels import label
    from caseload.nav import nav_register

    app.register_blueprint(views.bp)
    # The list is composed in principles/ (it shows each client's phase); first in the menu.
    nav_register(app, "directory.clients", _l("Clients"), ("specialist", "supervisor", "clinician"))
    app.after_request(audit_refused)
    app.add_template_filter(lambda code: label(code, "decision"), "decision_label")
    app.add_template_filter(lambda code: label(code, "closure"), "closure_label")
    app.add_template_filter(lambda code: label(code, "status"), "status_label")
