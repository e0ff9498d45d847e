"""Reading one cell of a bundle: text in, a typed value or a message out (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from caseload.csvcells import restore
from caseload.exchange.schema import EARLIEST_DATE, LATEST_DATE, LIST_KINDS, Column, Kind, Value


class CellError(ValueError):
    """A cell's value breaks the format; the message says how."""


def text_of(value: Value) -> str | None:
    """The value of a text, ref, e-mail or code cell (None when empty)."""
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected text, not {value!r}")


def key_of(value: Value) -> str:
    """The value of a required text cell, such as a key."""
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, not {value!r}")


def items_of(value: Value) -> tuple[str, ...]:
    """The items of a list cell (``a;b``)."""
    if isinstance(value, tuple):
        return value
    raise TypeError(f"expected a list, not {value!r}")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # dd.mm.yyyy, as Norwegian Excel writes
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 37,5
_INT = re.compile(r"[+-]?\d+")
_REF = re.compile(r"[\w.:+-]+")
_EMAIL = re.compile(r"[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[^@\s;,<>\"]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Norwegian Excel writes TRUE and FALSE as SANN and USANN; people type ja and nei.
_TRUE = frozenset({"true", "yes", "1", "sann", "ja"})
_FALSE = frozenset({"false", "no", "0", "usann", "nei"})


def read_cell(column: Column, text: str) -> Value:
    """The typed value of ``text`` in ``column`` (None for an empty cell); raises CellError."""
    return cell_reader(column)(text)


def empty_value(column: Column) -> Value:
    """A column's value for an empty cell: None, or an empty tuple for a list."""
    return () if column.kind in LIST_KINDS else None


def cell_reader(column: Column) -> Callable[[str], Value]:
    """A function reading cells of ``column`` (chosen once per column, used for every row)."""
    empty, required = empty_value(column), column.required
    convert: Callable[[str], Value]
    if column.kind is Kind.TEXT:
        convert = partial(_text, column)
    elif column.kind in LIST_KINDS:
        convert = partial(_list, column)
    else:
        convert = partial(_READERS[column.kind], column)
    is_text = column.kind is Kind.TEXT

    def read(text: str) -> Value:
        if is_text:  # the apostrophe that kept a formula-like text from running in a spreadsheet
            text = restore(text)
        stripped = text.strip()
        if not stripped:
            if required:
                raise CellError("required, but empty")
            return empty
        if _CONTROL.search(text):
            raise CellError("contains a control character (such as NUL)")
        return convert(text if is_text else stripped)

    return read


def _text(column: Column, text: str) -> str:
    if len(text) > column.max_length:
        raise CellError(f"longer than {column.max_length} characters")
    return text


def _list(column: Column, text: str) -> tuple[str, ...]:
    if len(text) > column.max_length:
        raise CellError(f"longer than {column.max_length} characters")
    read_item = _ref if column.kind is Kind.REFS else _own_code
    items: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if part and part not in items:
            items.append(read_item(column, part))
    return tuple(items)


def _ref(_column: Column, text: str) -> str:
    if len(text) > 40:
        raise CellError("a ref is at most 40 characters")
    if not _REF.fullmatch(text):
        raise CellError(f"{text!r} is not a valid ref (letters, digits and . _ - : + only)")
    return text


def _own_code(_column: Column, text: str) -> str:
    if len(text) > 40:
        raise CellError("a code is at most 40 characters")
    if ";" in text:
        raise CellError("a code cannot contain ';'")
    return text


def _email(column: Column, text: str) -> str:
    if len(text) > column.max_length or not _EMAIL.fullmatch(text):
        raise CellError(f"{text!r} is not an email address")
    return text.lower()


def _code(column: Column, text: str) -> str:
    code = text.lower()
    if code not in column.codes:
        raise CellError(f"unknown code {text!r} (expected one of: {', '.join(column.codes)})")
    return code


def _date(_column: Column, text: str) -> date:
    norwegian = _NORWEGIAN_DATE.fullmatch(text)
    if not norwegian and not _DATE.fullmatch(text):
        raise CellError(f"{text!r} is not a date (expected YYYY-MM-DD or dd.mm.yyyy)")
    try:
        if norwegian:
            day, month, year = (int(part) for part in norwegian.groups())
            value = date(year, month, day)
        else:
            value = date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a calendar date") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise CellError(f"{text} is out of range ({EARLIEST_DATE} to {LATEST_DATE})")
    return value


def _timestamp(_column: Column, text: str) -> datetime:
    """A UTC instant as export writes it (``2026-03-01T10:15:00Z``); an offset is converted to UTC,
    a time without zone is refused (it could be any zone's). Stored as a naive UTC datetime."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a time stamp (expected YYYY-MM-DDTHH:MM:SSZ)") from None
    if value.tzinfo is None:
        raise CellError(f"{text!r} has no time zone (expected UTC, such as 2026-03-01T10:15:00Z)")
    value = value.astimezone(UTC).replace(tzinfo=None)
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise CellError(f"{text} is out of range ({EARLIEST_DATE} to {LATEST_DATE})")
    return value


def _bool(_column: Column, text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(f"{text!r} is not a boolean (expected true or false; sann or usann)")


def _decimal(column: Column, text: str) -> Decimal:
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    elif not _DECIMAL.fullmatch(text):
        raise CellError(f"{text!r} is not a decimal number (such as 37.5 or 37,5)")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise CellError(f"{text!r} is not a decimal number") from None
    _check_range(column, value)
    if value != round(value, column.places):
        raise CellError(f"{text} has more than {column.places} decimals")
    return value


def _int(column: Column, text: str) -> int:
    if not _INT.fullmatch(text):
        raise CellError(f"{text!r} is not a whole number")
    value = int(text)
    _check_range(column, Decimal(value))
    return value


def _check_range(column: Column, value: Decimal) -> None:
    low, high = column.low, column.high
    too_low = low is not None and (value <= low if column.low_open else value < low)
    if too_low or (high is not None and value > high):
        raise CellError(f"{value} is out of range ({describe_range(column)})")


def describe_range(column: Column) -> str:
    """The allowed range of a numeric column in words, e.g. '> 0 and ≤ 80'."""
    parts = []
    if column.low is not None:
        parts.append(f"{'>' if column.low_open else '≥'} {column.low}")
    if column.high is not None:
        parts.append(f"≤ {column.high}")
    return " and ".join(parts)


_READERS: dict[Kind, Callable[[Column, str], Value]] = {
    Kind.REF: _ref,
    Kind.EMAIL: _email,
    Kind.OWN_CODE: _own_code,
    Kind.CODE: _code,
    Kind.DATE: _date,
    Kind.TIMESTAMP: _timestamp,
    Kind.BOOL: _bool,
    Kind.DECIMAL: _decimal,
    Kind.INT: _int,
}


# A UTF-8 character read as Windows-1252 or Latin-1: a lead byte ("Ã", "Â", "â"…) and its
# continuation bytes read the same way, the mark of UTF-8 opened as another encoding
# ("GrÃ¼nerlÃ¸kka").
_CONTINUATION = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}|[\u00f0-\u00f4]{_CONTINUATION}{{3}}"
)


def _repaired(match: re.Match[str]) -> str:
    for encoding in ("cp1252", "latin-1"):
        try:
            return match.group().encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return match.group()


def misdecoded(text: str) -> str | None:
    """What ``text`` reads as when it holds UTF-8 that a program decoded as Windows-1252 or
    Latin-1 (mojibake: "GrÃ¼nerlÃ¸kka" for "Grünerløkka"), or None when it does not look so."""
    if not _MOJIBAKE.search(text):
        return None
    repaired = _MOJIBAKE.sub(_repaired, text)
    return repaired if repaired != text else None
