"""Language and time zone of the signed-in person (the app factory's Babel selectors; below every feature)."""

from flask import current_app, has_request_context, request
from flask_login import current_user


def select_locale() -> str:
    """The person's chosen language, else the browser's best match, else the default (CLI too)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if current_user and current_user.is_authenticated and current_user.language:
        return current_user.language
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or default


def select_timezone() -> str:
    return current_app.config["CASELOAD_TIMEZONE"]
