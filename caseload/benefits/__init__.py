"""Benefits (work-incentives) counselling sessions (principle 5)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.benefits import views

    app.register_blueprint(views.bp)
