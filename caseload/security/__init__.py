"""Hardening: sign-in throttling, two-step sign-in (TOTP), password change, proxy and HTTPS."""

from __future__ import annotations

from flask import Flask

from caseload.l10n import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from caseload.nav import nav_register
    from caseload.security import cli, logs, sessions, views
    from caseload.security.throttle import throttle_init

    throttle_init(app)
    logs.install(app)
    if app.config.get("CASELOAD_PROXY"):
        hops = int(app.config.get("CASELOAD_PROXY_HOPS", 1))
        # Flask's documented way to add WSGI middleware; its stubs declare wsgi_app a method.
        proxied = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    app.session_interface = sessions.CookieSessionInterface()
    app.before_request(sessions.require_admin_second_factor)
    app.after_request(sessions.transport_headers)
    app.register_blueprint(views.bp)
    cli.init_app(app)
    nav_register(app, "security.account", _l("Account"), ("specialist", "supervisor", "clinician", "admin"))
