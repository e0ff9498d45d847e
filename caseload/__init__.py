"""The caseload manager: create_app() wires config, extensions, features and error handlers."""

from __future__ import annotations

import gc
import logging
from importlib import import_module

from flask import Flask, render_template, request
from flask_babel import get_locale

from caseload.config import Config
from caseload.db import configure_engine
from caseload.extensions import babel, csrf, db, login_manager, migrate
from caseload.logs import logs_install
from caseload.security.keys import keys_load

# Each feature package exposes init_app(app): its blueprint, CLI commands, context processors.
FEATURES = (
    "auth",
    "security",
    "teams",
    "clients",
    "employers",
    "jobs",
    "benefits",
    "contacts",
    "prompts",
    "fidelity",
    "outcomes",
    "trial",
    "corrections",
    "principles",
    "reports",
    "exchange",
    "demo",
    "ops",
    "monitoring",
)


GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings (tests)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(Config(app.instance_path).as_dict())
    if config:
        app.config.update(config)
    keys_load(app)  # SECRET_KEY and the keys kept outside the database
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    # The app's long-lived objects (models, templates, translations) leave the collector's scans:
    # loading a programme's rows would otherwise rescan them at every collection (~half its time).
    gc.freeze()
    # A page allocates tens of thousands of short-lived objects (rows, template output): with the
    # default first threshold (700) the collector ran 25 times for the programme page, ≈ 9 ms of it.
    gc.set_threshold(GC_THRESHOLD, 20, 20)
    return app


def register_extensions(app: Flask) -> None:
    import caseload.models  # noqa: F401 - every table in the metadata
    from caseload import l10n
    from caseload.locale import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals["get_locale"] = get_locale
    l10n.init_app(app)  # after Babel: wraps the templates' gettext
    logging.getLogger("caseload").setLevel(logging.INFO)
    logs_install(app)


def register_features(app: Flask) -> None:
    from caseload import nav

    nav.init_app(app)
    for name in FEATURES:
        init = getattr(import_module(f"caseload.{name}"), "init_app", None)
        if init is not None:
            init(app)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        return render_template("error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static":
            h["Cache-Control"] = "no-store"
        return response
