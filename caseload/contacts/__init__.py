"""Client contacts: engagement, follow-along support, outreach, disclosure (principles 3 and 8)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.contacts import views

    app.register_blueprint(views.bp)
