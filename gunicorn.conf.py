"""Gunicorn settings for the web workers: `gunicorn -c gunicorn.conf.py` (docs/deployment.md).

Everything that differs between installations comes from the environment. The scheduler is not
started here: it is its own process (`flask --app app scheduler run`).
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

wsgi_app = "app:app"
bind = os.environ.get("CASELOAD_BIND", "127.0.0.1:8000")  # behind the HTTPS proxy on the same host
# One sync worker per core this process may run on: a page is CPU-bound (its SQL is a small part of
# its time, docs/performance.md), so a worker beyond the cores only shares a core with another and
# stretches both requests; a sign-in's password hash holds one core for ≈ 25 ms (one argon2 lane).
# PostgreSQL, the scheduler and the proxy need some CPU too: on a host of its own give it the cores.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else multiprocessing.cpu_count()
workers = int(os.environ.get("CASELOAD_WORKERS") or os.environ.get("WEB_CONCURRENCY") or _cores)
threads = int(os.environ.get("CASELOAD_THREADS", "1"))
# Each worker imports the app itself: no database connection or lock is shared across a fork.
preload_app = False
timeout = int(os.environ.get("CASELOAD_WORKER_TIMEOUT", "120"))  # a large upload imports in ~1 min
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow a worker past its memory budget.
max_requests = int(os.environ.get("CASELOAD_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
limit_request_line = 4094
limit_request_fields = 100
control_socket_disable = True
proc_name = "caseload"
# With CASELOAD_LOG_FORMAT=json the app writes one JSON line per request itself (caseload/logs.py).
_json_logs = os.environ.get("CASELOAD_LOG_FORMAT") == "json"
accesslog = os.environ.get("CASELOAD_ACCESS_LOG", None if _json_logs else "-")
errorlog = os.environ.get("CASELOAD_ERROR_LOG", "-")
loglevel = os.environ.get("CASELOAD_LOG_LEVEL", "info")
# Path without the query string, no referrer (it carries other pages' URLs): searches and filters
# never reach the log. %(M)s is the time taken in milliseconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

FEED = re.compile(r"^(/prompts/feed/)[^/]+(\.ics)$")
SET_PASSWORD = re.compile(r"^(/auth/set-password/)[^/]+$")


class RedactingLogger(Logger):
    """Keeps calendar-feed tokens and set-password link tokens (secrets in the path) out of the
    access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = FEED.sub(r"\1…\2", atoms["U"] or "")
        atoms["U"] = SET_PASSWORD.sub(r"\1…", path)
        return atoms


logger_class = RedactingLogger
