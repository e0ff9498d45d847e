"""Helpers shared by the CLI commands: one-line errors, no tracebacks for user mistakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NoReturn, TypeVar

import click

T = TypeVar("T")


def fail(message: str) -> NoReturn:
    """Say why on stderr in one line and exit non-zero."""
    raise click.ClickException(message)


def parse_date(value: str | None, name: str = "date") -> date | None:
    return _parsed(value, date.fromisoformat, f"{name} must be a date YYYY-MM-DD, got {value!r}")


def parse_datetime(value: str | None, name: str = "--now") -> datetime | None:
    return _parsed(value, datetime.fromisoformat, f"{name} must be an ISO date-time, got {value!r}")


def _parsed(value: str | None, parse: Callable[[str], T], error: str) -> T | None:
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        fail(error)
