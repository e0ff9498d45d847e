"""Reading a bundle's raw tables from a folder, a ``.zip`` of CSV files, a single CSV file (named
after its table, e.g. ``clients.csv``) or an ``.xlsx`` workbook.

Every table comes out as text cells with the line (or sheet row) each record starts on, so the
checks of ``parse.py`` are the same whatever the bundle's form. Tables are streamed: each call of
``RawTable.rows`` reads the file again from the start, row by row, so memory does not grow with
the bundle. An archive is judged on the sizes its central directory declares (which ``zipfile``
then enforces while inflating) before anything is inflated: a compression ratio above 100:1 or an
unpacked total above the cap is refused. Workbook XML declaring entities is refused (defusedxml).

CSV files as Norwegian Excel saves them are read too: each file's encoding is judged first (UTF-8,
or else Windows-1252, which a notice says; UTF-16 is refused with its cause), then its separator
(``;`` when the header row holds more semicolons than commas), before any row is read.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import ParseError

from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.schema import BY_STEM, FileSpec

MAX_UNPACKED = 1024**3  # default cap of a bundle's unpacked size (CASELOAD_IMPORT_MAX_UNPACKED)
MAX_RATIO = 100  # unpacked : packed, above which an archive member is taken for a bomb
RATIO_FROM = 1024 * 1024  # members smaller than this cannot hurt, whatever their ratio
MAX_WORKBOOK_PART = 50 * 1024 * 1024  # a workbook part read whole (shared strings, styles…)
MAX_LINE = 1024 * 1024  # bytes of one line of a CSV file
_SHEETS = "xl/worksheets/"  # workbook parts streamed row by row

Record = tuple[int, list[str]]
"""A record of a file: the line (or sheet row) it starts on, and its cells' text."""
Records = Callable[[list[Problem]], Generator[Record, None, None]]
Opener = Callable[[], IO[bytes]]
"""Opens a file of the bundle for reading (each call opens it again)."""


@dataclass(slots=True)
class RawTable:
    """One file of the bundle as text: its header cells, and its records with their line numbers
    as often as they are asked for."""

    spec: FileSpec
    header: list[str]
    records: Records  # every record, the header first, problems met appended to the list given
    sheet: bool = False

    def rows(self, problems: list[Problem]) -> Iterator[Record]:
        """The records after the header, each as wide as the header (problems otherwise)."""
        records = self.records(problems)
        next(records, None)  # the header, read when the bundle was opened
        width, name = len(self.header), self.spec.name
        for line, cells in records:
            if self.sheet:
                if any(cell.strip() for cell in cells[width:]):
                    message = "a value to the right of the last column of the header"
                    problems.append(Problem(name, line, WHOLE_ROW, message))
                elif any(cell.strip() for cell in cells):
                    yield line, (cells + [""] * width)[:width]
            elif "".join(cells).strip():
                if len(cells) != width:
                    message = f"{len(cells)} fields, but the header has {width}"
                    problems.append(Problem(name, line, WHOLE_ROW, message))
                else:
                    yield line, cells


@dataclass(slots=True)
class RawBundle:
    """The tables found in a bundle, by file name, and the problems met while opening it."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # worth saying, not in the way of an import


@contextmanager
def open_bundle(path: Path, max_unpacked: int = MAX_UNPACKED) -> Iterator[RawBundle]:
    """The folder, ``.zip``, ``.csv`` or ``.xlsx`` at ``path`` as raw tables, readable while open."""
    bundle = RawBundle()
    suffix = path.suffix.lower()
    with ExitStack() as stack:
        try:
            if path.is_dir():
                for file in sorted(path.iterdir()):
                    _add_csv(bundle, file.name, _opener(file))
            elif suffix == ".zip":
                _open_zip(bundle, stack.enter_context(zipfile.ZipFile(path)), path.name, max_unpacked)
            elif suffix == ".xlsx":
                _open_workbook(bundle, stack, path, max_unpacked)
            elif suffix == ".csv" and path.is_file():
                _add_csv(bundle, path.name, _opener(path))
            else:
                _fail(bundle, path.name, "not a folder, a .zip, a .csv file or an .xlsx workbook")
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError, ParseError) as exc:
            bundle.tables.clear()
            _fail(bundle, path.name, f"cannot be read ({exc.__class__.__name__}: {exc})")
        yield bundle


def _opener(path: Path) -> Opener:
    """Opens the file at ``path`` for reading bytes."""
    return lambda: path.open("rb")


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


def _too_big(infos: list[zipfile.ZipInfo], max_unpacked: int) -> str | None:
    """Why the declared sizes of ``infos`` are refused, or None."""
    if sum(info.file_size for info in infos) > max_unpacked:
        return f"too large once unpacked (more than {max_unpacked // 1024**2} MB): refused"
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * packed:
            ratio = info.file_size // packed
            return f"{info.filename} is compressed {ratio}:1 (more than {MAX_RATIO}:1): refused"
    return None


def _open_zip(bundle: RawBundle, archive: zipfile.ZipFile, name: str, max_unpacked: int) -> None:
    members = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX/")
    ]
    refused = _too_big(members, max_unpacked)
    if refused:
        _fail(bundle, name, refused)
        return
    if len({PurePosixPath(info.filename).parent for info in members}) > 1:
        _fail(bundle, name, "the CSV files must sit together in one folder of the zip")
        return
    for info in members:
        _add_csv(bundle, PurePosixPath(info.filename).name, partial(archive.open, info))


def _add_csv(bundle: RawBundle, name: str, open_file: Opener) -> None:
    if not name.lower().endswith(".csv") or name.startswith("."):
        return
    spec = _spec_for(bundle, name)
    if spec is None:
        return
    try:
        form = _text_form(open_file)
    except _Unreadable as exc:
        _fail(bundle, spec.name, str(exc))
        return
    if form.encoding != "utf-8":
        bundle.notices.append(Problem(spec.name, 1, WHOLE_ROW, CP1252_NOTICE))
    table = RawTable(spec, [], lambda problems: _csv_records(spec.name, open_file, form, problems))
    first, unreadable = _first(table)
    if first is None and not unreadable:
        _fail(bundle, spec.name, "empty file: no header row")
    elif first is not None:
        table.header = [cell.strip() for cell in first]
        if not first:
            _fail(bundle, spec.name, "no header row")
    bundle.tables[spec.name] = table


CP1252_NOTICE = (
    'not UTF-8: read as Windows-1252 (as Excel saves "CSV" files); check that letters such as '
    "æ, ø and å came out right"
)


class _Unreadable(Exception):
    """A file whose text cannot be read at all; the message says why, once."""


@dataclass(frozen=True, slots=True)
class TextForm:
    """How a CSV file's bytes are text: its encoding and its separator."""

    encoding: str = "utf-8"
    delimiter: str = ","


def _text_form(open_file: Opener) -> TextForm:
    """The file's encoding (UTF-8 when every byte of it is, else Windows-1252) and separator (that
    of its header row). A damaged archive member reads as UTF-8 here: reading its rows says why."""
    try:
        encoding = _encoding(open_file)
        with open_file() as stream:
            header = stream.readline(MAX_LINE + 1).removeprefix(codecs.BOM_UTF8)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return TextForm()
    text = header.decode(encoding, errors="replace")
    return TextForm(encoding, ";" if text.count(";") > text.count(",") else ",")


def _encoding(open_file: Opener) -> str:
    with open_file() as stream:
        start = stream.read(2)
        if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise _Unreadable(
                'UTF-16 text (Excel\'s "Unicode text"): save the sheet as "CSV UTF-8" or "CSV" instead'
            )
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = start
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = stream.read(1024 * 1024)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _first(table: RawTable) -> tuple[list[str] | None, bool]:
    """The first record of ``table`` (None for none), and whether reading it met a problem (which
    reading the table's rows will report)."""
    problems: list[Problem] = []
    records = table.records(problems)
    first = next(records, None)
    records.close()
    return (None if first is None else first[1]), bool(problems)


def _csv_records(
    name: str, open_file: Opener, form: TextForm, problems: list[Problem]
) -> Generator[Record, None, None]:
    with open_file() as stream:
        lines = _text_lines(name, stream, form.encoding, problems)
        reader = csv.reader(lines, delimiter=form.delimiter, strict=True)
        start = 1
        try:
            for record in reader:
                yield start, record
                start = reader.line_num + 1
        except csv.Error as exc:
            message = f"malformed CSV (RFC 4180): {exc}"
            problems.append(Problem(name, max(reader.line_num, 1), WHOLE_ROW, message))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # a damaged archive
            message = f"cannot be read ({exc.__class__.__name__}: {exc})"
            problems.append(Problem(name, reader.line_num + 1, WHOLE_ROW, message))


def _text_lines(name: str, stream: IO[bytes], encoding: str, problems: list[Problem]) -> Iterator[str]:
    """The lines of a CSV file as text (a leading BOM dropped); a line that is not in the file's
    encoding is a problem, and a line too long to be a record ends the reading."""
    number = 0
    while raw := stream.readline(MAX_LINE + 1):
        number += 1
        if len(raw) > MAX_LINE:
            message = f"a line longer than {MAX_LINE // 1024} KB: the rest of the file is not read"
            problems.append(Problem(name, number, WHOLE_ROW, message))
            return
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            message = "not UTF-8 text" if encoding == "utf-8" else "neither UTF-8 nor Windows-1252 text"
            problems.append(Problem(name, number, WHOLE_ROW, message))
            yield raw.decode(encoding, errors="replace")


def _open_workbook(bundle: RawBundle, stack: ExitStack, path: Path, max_unpacked: int) -> None:
    import openpyxl
    from openpyxl import load_workbook

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned requirement
        _fail(bundle, path.name, "workbooks cannot be read safely here (defusedxml is missing)")
        return
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        refused = _too_big(infos, max_unpacked) or _large_part(infos, _shared_strings(archive))
    if refused:
        _fail(bundle, path.name, refused)
        return
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a hostile workbook
        _fail(bundle, path.name, _xml_problem(exc))
        return
    stack.callback(workbook.close)
    for sheet in workbook.worksheets:
        spec = _spec_for(bundle, sheet.title)
        if spec is not None:
            records = _sheet_reader(spec.name, sheet)
            table = RawTable(spec, [], records, sheet=True)
            _add_sheet_header(bundle, table)
            bundle.tables[spec.name] = table


def _shared_strings(archive: zipfile.ZipFile) -> set[str]:
    """The names of the workbook's shared-strings parts (read whole by openpyxl), as
    ``[Content_Types].xml`` declares them."""
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]  # no stubs

    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_WORKBOOK_PART:
        raise ValueError("[Content_Types].xml is too large")
    types = fromstring(archive.read(info))
    return {
        (element.get("PartName") or "").lstrip("/")
        for element in types
        if (element.get("ContentType") or "").endswith("sharedStrings+xml")
    }


def _large_part(infos: list[zipfile.ZipInfo], shared: set[str]) -> str | None:
    """Why a part that openpyxl reads whole is refused (sheets are streamed), or None."""
    for info in infos:
        if info.file_size > MAX_WORKBOOK_PART and (
            info.filename in shared or not info.filename.startswith(_SHEETS)
        ):
            return (
                f"{info.filename} is too large to be read safely (more than "
                f"{MAX_WORKBOOK_PART // 1024**2} MB unpacked); save the sheets as CSV files in a .zip"
            )
    return None


def _add_sheet_header(bundle: RawBundle, table: RawTable) -> None:
    first, unreadable = _first(table)
    cells = list(first or [])
    while cells and not cells[-1].strip():
        cells.pop()
    table.header = [cell.strip() for cell in cells]
    if not table.header and not unreadable:
        _fail(bundle, table.spec.name, "no header row")


def _sheet_reader(name: str, sheet) -> Records:
    def records(problems: list[Problem]) -> Generator[Record, None, None]:
        number = 0
        try:
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                yield number, [cell_text(value) for value in values]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a hostile sheet
            problems.append(Problem(name, number + 1, WHOLE_ROW, _xml_problem(exc)))

    return records


def _xml_problem(exc: BaseException) -> str:
    """A workbook that cannot be read, in words (never a traceback)."""
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]  # no stubs

    while exc.__cause__ is not None:  # openpyxl wraps what its XML parser raised
        exc = exc.__cause__
    if isinstance(exc, DefusedXmlException):
        return "the workbook declares XML entities or a DTD (never needed in a spreadsheet): refused"
    if isinstance(exc, ParseError):
        return f"the workbook's XML is malformed or cut short ({exc})"
    return f"the workbook cannot be read ({exc.__class__.__name__}: {exc})"


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
