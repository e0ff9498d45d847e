"""Language and time zone of the signed-in person."""

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """The person's chosen language, else the browser's best match, else the default."""
    if current_user and current_user.is_authenticated and current_user.language:
        return current_user.language
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["CASELOAD_TIMEZONE"]
