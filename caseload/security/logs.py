"""Keep database values out of the logs: PostgreSQL's error DETAIL repeats the failing row or key,
and SQLAlchemy may add the statement's parameters; both can be health data."""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask
from flask.logging import default_handler

DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.M)
PARAMETERS = re.compile(r"\[parameters: .*?\]\n?", re.S)


def redact(text: str) -> str:
    """The text with DETAIL lines and SQL parameters replaced."""
    return PARAMETERS.sub("[parameters: redacted]\n", DETAIL.sub(r"\1 (redacted)", text))


class RedactDatabaseValues(logging.Filter):
    """Rewrites a record's message and traceback before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            record.exc_info = None
        message = record.getMessage()
        if redact(message) != message:
            record.msg, record.args = redact(message), ()
        return True


def install(app: Flask) -> None:
    """On the app's logger (its own records, Flask's unhandled errors) and on Flask's default handler
    (records of the caseload.* loggers that reach it)."""
    for target in (app.logger, default_handler):
        if not any(isinstance(f, RedactDatabaseValues) for f in target.filters):
            target.addFilter(RedactDatabaseValues())
