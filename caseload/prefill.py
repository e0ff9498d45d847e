"""A new record's form pre-filled from the link that opened it: refs, codes and dates only.

Prompts link to the one form that satisfies them (``?purpose=follow_along&mode=face_to_face``).
Only a GET pre-fills; each parameter is checked against its code list or shape, and anything
unknown, malformed or out of range is ignored, so a link can never put bad data in a form.
Names and notes never travel in a URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date

from flask import request

MAX_LENGTH = 60
REF = re.compile(r"^[A-Z]{1,4}-\d{1,9}$")

Parse = Callable[[str], object | None]


def prefill(params: Mapping[str, tuple[str, Parse]]) -> dict[str, object]:
    """Form data from the query string: ``{param: (field, parse)}`` → ``{field: value}``.

    Empty on anything but GET; a parameter that ``parse`` refuses (None) is left out.
    """
    if request.method != "GET":
        return {}
    found: dict[str, object] = {}
    for param, (name, parse) in params.items():
        raw = request.args.get(param)
        if raw is None or len(raw) > MAX_LENGTH:
            continue
        value = parse(raw)
        if value is not None:
            found[name] = value
    return found


def code_in(codes: Collection[str]) -> Parse:
    """A parser that accepts only a code of ``codes``."""

    def parse(raw: str) -> str | None:
        return raw if raw in codes else None

    return parse


def ref(raw: str) -> str | None:
    """A record's ref such as ``C-000012``."""
    return raw if REF.match(raw) else None


def day_up_to(last: Callable[[], date]) -> Parse:
    """A parser for an ISO date between 1900-01-01 and ``last()`` (e.g. today)."""

    def parse(raw: str) -> date | None:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return None
        return day if date(1900, 1, 1) <= day <= last() and len(raw) == 10 else None

    return parse
