"""Text cells of the CSV files the app writes, safe to open in a spreadsheet.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or an apostrophe
is written with one extra leading apostrophe, so a spreadsheet shows it as text and never runs it
as a formula (OWASP's advice against CSV injection); the exchange import removes that one
apostrophe again, so values round-trip unchanged (../shared/spec/exchange-format.md).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(text: str) -> str:
    """``text`` as written to a CSV text cell: with a leading apostrophe when a spreadsheet could
    take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """A CSV text cell as the value it stands for: one leading apostrophe removed."""
    return text[1:] if text.startswith("'") else text


def extract_cell(value: object) -> object:
    """A cell of a report extract: empty for no value, text neutralised, numbers as they are."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value
