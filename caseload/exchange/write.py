"""Writing records as a bundle: every file, every column in the spec's order, rows sorted by key,
``\\n`` line ends, booleans ``true``/``false``, text that a spreadsheet could run as a formula
behind an apostrophe, decimals in their shortest form with at least one
decimal (``25.0``, ``0.5``, ``194.47``). Files are written row by row as the rows come (a folder,
or a ``.zip`` compressed as it is written), so a bundle of any size is never held in memory.
Pure apart from the files written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from operator import methodcaller
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from caseload.csvcells import neutralise
from caseload.exchange.schema import FILES, LIST_KINDS, Column, FileSpec, Kind

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Row = Mapping[str, object]


def format_decimal(value: Decimal | int) -> str:
    """The shortest plain form of ``value`` with at least one decimal: 25 → ``25.0``."""
    text = format(Decimal(value).normalize(), "f")
    return text if "." in text else f"{text}.0"


def cell_writer(column: Column) -> Callable[[Any], str]:
    """A function writing cells of ``column`` as export writes them (empty for no value)."""
    write: Callable[[Any], str]  # the column's kind decides the type of its values
    if column.kind in LIST_KINDS:
        write = _list
    elif column.kind is Kind.BOOL:
        write = _bool
    elif column.kind is Kind.DECIMAL:
        write = format_decimal
    elif column.kind is Kind.DATE:
        write = methodcaller("isoformat")
    elif column.kind is Kind.TIMESTAMP:
        write = _timestamp
    elif column.kind is Kind.TEXT:
        write = neutralise
    else:
        write = str
    return lambda value: "" if value is None else write(value)


def _list(value: Iterable[object]) -> str:
    return ";".join(str(item) for item in value)


def _timestamp(value: datetime) -> str:
    """A stored (naive UTC) time stamp as ``2026-03-01T10:15:00Z``, microseconds when it has them."""
    return f"{value.isoformat()}Z"


def _bool(value: object) -> str:
    return "true" if value else "false"


def sort_key(spec: FileSpec, row: Row) -> tuple:
    """The order rows are written in: by ref (staff by email, reviews and hours by their key)."""
    return tuple(row[name] for name in spec.key)


def write_rows(spec: FileSpec, rows: Iterable[Sequence[object]], stream: TextIO) -> int:
    """Write the header and ``rows`` (values in the spec's column order, rows in the order given)
    to ``stream``; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(spec.column_names)
    writers = [cell_writer(column) for column in spec.columns]
    count = 0
    for values in rows:
        writer.writerow([write(value) for write, value in zip(writers, values)])
        count += 1
    return count


def _in_order(spec: FileSpec, rows: Iterable[Row]) -> Iterator[tuple]:
    """Records as values in the spec's column order, sorted by the file's key."""
    for row in sorted(rows, key=lambda r: sort_key(spec, r)):
        yield tuple(row.get(column.name) for column in spec.columns)


def render_file(spec: FileSpec, rows: Iterable[Row]) -> bytes:
    """The bytes of one file of the bundle holding ``rows``."""
    buffer = io.StringIO(newline="")
    write_rows(spec, _in_order(spec, rows), buffer)
    return buffer.getvalue().encode("utf-8")


def render_bundle(records: Mapping[str, Iterable[Row]]) -> dict[str, bytes]:
    """Every file of the bundle by name; a file without records is written with its header."""
    return {spec.name: render_file(spec, records.get(spec.name, ())) for spec in FILES}


def write_bundle(records: Mapping[str, Iterable[Row]], dest: Path) -> None:
    """Write records (by file name, in any order) to ``dest`` as ``stream_bundle`` does."""
    stream_bundle(lambda spec: _in_order(spec, records.get(spec.name, ())), Path(dest))


def stream_bundle(rows: Callable[[FileSpec], Iterable[Sequence[object]]], dest: Path | BinaryIO) -> int:
    """Write every file of the bundle, one after the other, with the rows ``rows(spec)`` gives
    (values in column order, rows in the order written), to ``dest``: a ``.zip`` when its name says
    so or when it is an open binary file, else a folder. Returns the number of rows written."""
    if isinstance(dest, Path) and dest.suffix.lower() != ".zip":
        dest.mkdir(parents=True, exist_ok=True)
        total = 0
        for spec in FILES:
            with (dest / spec.name).open("w", encoding="utf-8", newline="") as stream:
                total += write_rows(spec, rows(spec), stream)
        return total
    return _stream_zip(rows, dest)


def _stream_zip(rows: Callable[[FileSpec], Iterable[Sequence[object]]], dest: Path | BinaryIO) -> int:
    total = 0
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in FILES:
            info = zipfile.ZipInfo(spec.name, _ZIP_TIME)  # a fixed time: the same records, the same zip
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member, io.TextIOWrapper(member, "utf-8", newline="") as text:
                total += write_rows(spec, rows(spec), text)
    return total
