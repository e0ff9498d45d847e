"""Bulk exchange: the CSV bundle of ../shared/spec/exchange-format.md, in and out."""

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from caseload.exchange import cli, views
    from caseload.nav import nav_register

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.exchange_cli)
    nav_register(app, "exchange.index", _l("Import and export"), views.ROLES)
