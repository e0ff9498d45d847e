"""Writing records as a bundle: every file, every column in the spec's order, rows sorted by key,
``\\n`` line ends, booleans ``true``/``false``, decimals in their shortest form with at least one
decimal (``25.0``, ``0.5``, ``194.47``). Pure apart from ``write_bundle``'s files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from caseload.exchange.schema import FILES, LIST_KINDS, Column, FileSpec, Kind

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed time stamp, so the same records give the same zip

Row = Mapping[str, object]


def format_decimal(value: Decimal | int) -> str:
    """The shortest plain form of ``value`` with at least one decimal: 25 → ``25.0``."""
    text = format(Decimal(value).normalize(), "f")
    return text if "." in text else f"{text}.0"


def format_value(column: Column, value: object) -> str:
    """One cell as written on export (empty for no value)."""
    if value is None:
        return ""
    if column.kind in LIST_KINDS:
        return ";".join(str(item) for item in value)
    if column.kind is Kind.BOOL:
        return "true" if value else "false"
    if column.kind is Kind.DECIMAL:
        return format_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sort_key(spec: FileSpec, row: Row) -> tuple:
    """The order rows are written in: by ref (staff by email, reviews and hours by their key)."""
    return tuple(row[name] for name in spec.key)


def render_file(spec: FileSpec, rows: Iterable[Row]) -> bytes:
    """The bytes of one file of the bundle holding ``rows``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.column_names)
    for row in sorted(rows, key=lambda r: sort_key(spec, r)):
        writer.writerow([format_value(column, row.get(column.name)) for column in spec.columns])
    return buffer.getvalue().encode("utf-8")


def render_bundle(records: Mapping[str, Iterable[Row]]) -> dict[str, bytes]:
    """Every file of the bundle by name; a file without records is written with its header."""
    return {spec.name: render_file(spec, records.get(spec.name, ())) for spec in FILES}


def bundle_zip(records: Mapping[str, Iterable[Row]]) -> bytes:
    """The bundle as the bytes of a ``.zip`` holding every file (the same records, the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in render_bundle(records).items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_bundle(records: Mapping[str, Iterable[Row]], dest: Path) -> None:
    """Write the bundle to ``dest``: a ``.zip`` when its name says so, else a folder."""
    dest = Path(dest)
    if dest.suffix.lower() == ".zip":
        dest.write_bytes(bundle_zip(records))
        return
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in render_bundle(records).items():
        (dest / name).write_bytes(data)
