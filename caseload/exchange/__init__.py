"""Bulk exchange: the CSV bundle of ../shared/spec/exchange-format.md, in and out."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseload.exchange import cli

    app.cli.add_command(cli.exchange_cli)
