"""Entry point for `flask --app app` and WSGI servers."""

from caseload import create_app

app = create_app()
