"""Log lines (below every feature): optional JSON lines, one line per request, secrets kept out.

With ``CASELOAD_LOG_FORMAT=json`` every record of the app's loggers is one JSON object per line,
and each request adds one line ``{"event": "request", "request_id", "method", "route", "status",
"duration_ms"}``: the route is the URL rule (``/clients/<ref>``), never the URL with its query
string, and no form value, header or cookie is ever logged. Whatever the format, the development
server's access lines lose the secrets some paths carry (calendar-feed and set-password tokens)
and every query string.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request
from flask.logging import default_handler

# Paths whose last part is a secret, and query strings (searches can name people).
SECRET_PATHS = (
    (re.compile(r"(/prompts/feed/)[^/\s\"?]+(\.ics)"), r"\1…\2"),
    (re.compile(r"(/auth/set-password/)[^/\s\"?]+"), r"\1…"),
    (re.compile(r"\?[^\s\"]*"), ""),
)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_FIELDS = ("request_id", "method", "route", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
request_log = logging.getLogger("caseload.request")


def redact_paths(text: str) -> str:
    """``text`` with secret path parts replaced by "…" and query strings removed."""
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactAccessLine(logging.Filter):
    """On the development server's logger: access lines without tokens or query strings; with JSON
    logs the access lines are dropped (the app's own request line replaces them)."""

    def __init__(self, *, drop: bool) -> None:
        super().__init__()
        self.drop = drop

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.drop and '"' in message and " HTTP/" in message:
            return False
        record.msg, record.args = redact_paths(message), ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and a request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= {key: getattr(record, key) for key in REQUEST_FIELDS if hasattr(record, key)}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def json_logs(app: Flask) -> bool:
    return app.config.get("CASELOAD_LOG_FORMAT") == "json"


def logs_install(app: Flask) -> None:
    """The format of the app's lines, the access-line filter, and (JSON) the request lines."""
    werkzeug = logging.getLogger("werkzeug")
    for old in [f for f in werkzeug.filters if isinstance(f, RedactAccessLine)]:
        werkzeug.removeFilter(old)
    werkzeug.addFilter(RedactAccessLine(drop=json_logs(app)))
    if not json_logs(app):
        return
    default_handler.setFormatter(JsonFormatter())
    app.before_request_funcs.setdefault(None, []).insert(0, _request_started)
    app.after_request(_request_line)


def process_logging(app: Flask) -> None:
    """For a process of its own (the scheduler): each record printed once, in the configured format.

    The records of the app's loggers reach Flask's handler on the ``caseload`` logger; a second
    handler on the root logger (``logging.basicConfig``) would print each of them twice.
    """
    default_handler.setFormatter(JsonFormatter() if json_logs(app) else logging.Formatter(TEXT_FORMAT))
    if default_handler not in app.logger.handlers and not logging.getLogger().handlers:
        app.logger.addHandler(default_handler)
    # Only the scheduler library's warnings, through the same handler.
    apscheduler = logging.getLogger("apscheduler")
    apscheduler.setLevel(logging.WARNING)
    if not logging.getLogger().handlers and default_handler not in apscheduler.handlers:
        apscheduler.addHandler(default_handler)


def _request_started() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _request_line(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:  # a request that failed before the first hook ran
        return response
    if request.blueprint == "monitoring" and response.status_code < 400:
        return response  # probes every few seconds: only their failures are news
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    fields = {
        "request_id": g.request_id,
        "method": request.method,
        "route": rule,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    request_log.info("request", extra=fields)
    response.headers["X-Request-ID"] = g.request_id
    return response
