"""Numbers in a PDF the way its language writes them: a decimal comma in Norwegian ("48,0").

The core writes numbers with a point (``caseload.metrics.numbers.display``); a PDF's templates pass
what they print through ``local_numbers``, which writes every decimal of a value or a sentence with
the locale's decimal sign. Dates (``2025-03-31``), refs and whole numbers are left alone.
"""

from __future__ import annotations

import re

from babel.numbers import get_decimal_symbol
from flask import has_app_context
from flask_babel import get_locale

# A decimal written with a point, not part of a longer run of digits and points (a version, an
# IP address) or of a word.
_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w]|\.\d)")


def with_decimal_sign(text: str, sign: str) -> str:
    """``text`` with each decimal written with ``sign`` instead of a point (pure)."""
    if sign == ".":
        return text
    return _DECIMAL.sub(lambda m: f"{m[1]}{sign}{m[2]}", text)


def decimal_sign() -> str:
    """The decimal sign of the language being rendered (``,`` for nb, ``.`` for en)."""
    locale = get_locale() if has_app_context() else None
    return get_decimal_symbol(locale) if locale is not None else "."


def local_numbers(value: object) -> str:
    """A value as a PDF prints it (plain text, which the template escapes): its decimals with the
    locale's sign."""
    return "" if value is None else with_decimal_sign(str(value), decimal_sign())
