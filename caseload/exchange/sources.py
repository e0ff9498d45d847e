"""Reading a bundle's raw tables from a folder, a ``.zip`` of CSV files or an ``.xlsx`` workbook.

Every table comes out as text cells with the line (or sheet row) each record starts on, so the
checks of ``parse.py`` are the same whatever the bundle's form.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.schema import BY_STEM, FileSpec

MAX_BUNDLE_BYTES = 512 * 1024 * 1024  # uncompressed; refuses zip bombs


@dataclass(slots=True)
class RawTable:
    """One file of the bundle as text: its header cells and its records with their line numbers."""

    spec: FileSpec
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class RawBundle:
    """The tables found in a bundle, by file name, and the problems met while reading them."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_bundle(path: Path) -> RawBundle:
    """Read the folder, ``.zip`` or ``.xlsx`` at ``path`` into raw tables."""
    bundle = RawBundle()
    suffix = path.suffix.lower()
    try:
        if path.is_dir():
            _read_files(bundle, ((p.name, p.read_bytes) for p in sorted(path.iterdir())))
        elif suffix == ".zip":
            _read_zip(bundle, path)
        elif suffix == ".xlsx":
            _read_workbook(bundle, path)
        else:
            _fail(bundle, path.name, "not a folder, a .zip or an .xlsx workbook")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        _fail(bundle, path.name, f"cannot be read ({exc.__class__.__name__}: {exc})")
    return bundle


def _fail(bundle: RawBundle, name: str, message: str) -> None:
    bundle.problems.append(Problem(name, 1, WHOLE_ROW, message))


def _spec_for(bundle: RawBundle, name: str) -> FileSpec | None:
    """The file spec a file or sheet called ``name`` stands for, or None after a problem."""
    spec = BY_STEM.get(name.strip().lower().removesuffix(".csv"))
    if spec is None:
        _fail(bundle, name, "unknown file (not part of the exchange format)")
    elif spec.name in bundle.tables:
        _fail(bundle, name, f"{spec.name} given twice")
        return None
    return spec


def _read_files(bundle: RawBundle, files) -> None:
    for name, read in files:
        if name.lower().endswith(".csv") and not name.startswith("."):
            spec = _spec_for(bundle, name)
            if spec is not None:
                bundle.tables[spec.name] = _read_csv(bundle, spec, read())


def _read_zip(bundle: RawBundle, path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [
            info
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX/")
        ]
        if sum(info.file_size for info in members) > MAX_BUNDLE_BYTES:
            _fail(bundle, path.name, "too large once unpacked")
            return
        folders = {PurePosixPath(info.filename).parent for info in members}
        if len(folders) > 1:
            _fail(bundle, path.name, "the CSV files must sit together in one folder of the zip")
            return
        files = [(PurePosixPath(i.filename).name, _reader(archive, i.filename)) for i in members]
        _read_files(bundle, files)


def _reader(archive: zipfile.ZipFile, name: str):
    return lambda: archive.read(name)


def _decode(bundle: RawBundle, name: str, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        for number, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bundle.problems.append(Problem(name, number, WHOLE_ROW, "not UTF-8 text"))
        return data.decode("utf-8", errors="replace")


def _read_csv(bundle: RawBundle, spec: FileSpec, data: bytes) -> RawTable:
    reader = csv.reader(io.StringIO(_decode(bundle, spec.name, data), newline=""), strict=True)
    table = RawTable(spec, header=[])
    try:
        start = 1
        for record in reader:
            _add_csv_record(bundle, table, start, record)
            start = reader.line_num + 1
    except csv.Error as exc:
        bundle.problems.append(
            Problem(spec.name, reader.line_num, WHOLE_ROW, f"malformed CSV (RFC 4180): {exc}")
        )
    if start == 1:
        bundle.problems.append(Problem(spec.name, 1, WHOLE_ROW, "empty file: no header row"))
    return table


def _add_csv_record(bundle: RawBundle, table: RawTable, line: int, record: list[str]) -> None:
    if line == 1:
        table.header = [cell.strip() for cell in record]
        if not record:
            bundle.problems.append(Problem(table.spec.name, 1, WHOLE_ROW, "no header row"))
    elif "".join(record).strip():
        if len(record) != len(table.header):
            message = f"{len(record)} fields, but the header has {len(table.header)}"
            bundle.problems.append(Problem(table.spec.name, line, WHOLE_ROW, message))
        else:
            table.rows.append((line, record))


def _read_workbook(bundle: RawBundle, path: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            spec = _spec_for(bundle, sheet.title)
            if spec is not None:
                rows = sheet.iter_rows(min_row=1, values_only=True)
                bundle.tables[spec.name] = _read_sheet(bundle, spec, rows)
    finally:
        workbook.close()


def _read_sheet(bundle: RawBundle, spec: FileSpec, rows) -> RawTable:
    table = RawTable(spec, header=[])
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(value) for value in values]
        if number == 1:
            while cells and not cells[-1].strip():
                cells.pop()
            table.header = [cell.strip() for cell in cells]
            continue
        width = len(table.header)
        if any(cell.strip() for cell in cells[width:]):
            message = "a value to the right of the last column of the header"
            bundle.problems.append(Problem(spec.name, number, WHOLE_ROW, message))
        elif any(cell.strip() for cell in cells):
            table.rows.append((number, (cells + [""] * width)[:width]))
    if not table.header:
        bundle.problems.append(Problem(spec.name, 1, WHOLE_ROW, "no header row"))
    return table


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV file would hold (native dates, numbers and booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
