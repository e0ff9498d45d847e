"""Helpers shared by the CLI commands: one-line errors, no tracebacks for user mistakes."""

from __future__ import annotations

from datetime import date, datetime
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Say why on stderr in one line and exit non-zero."""
    raise click.ClickException(message)


def parse_date(value: str | None, name: str = "date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name} must be a date YYYY-MM-DD, got {value!r}")


def parse_datetime(value: str | None, name: str = "--now") -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name} must be an ISO date-time, got {value!r}")
