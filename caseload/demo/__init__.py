"""Demo data: `demo seed`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
