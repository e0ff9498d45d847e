"""Referrals, the client record, closure and reassignment."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.clients import views

    app.register_blueprint(views.bp)
