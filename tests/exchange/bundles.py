"""Copies of the sample bundle, with planted problems, as a folder, a zip or a workbook."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from caseload.exchange.jobs import import_jobs_wait
from caseload.exchange.schema import BY_NAME, Kind
from caseload.extensions import db
from tests.sample_rows import SAMPLE

SAMPLE_COUNTS = {
    "programs.csv": 1,
    "treatment_teams.csv": 2,
    "staff.csv": 6,
    "referrals.csv": 15,
    "clients.csv": 12,
    "employers.csv": 14,
    "employer_contacts.csv": 525,
    "weekly_reviews.csv": 94,
    "jobs.csv": 6,
    "job_hours.csv": 0,
    "benefits_sessions.csv": 12,
    "client_contacts.csv": 224,
    "outcome_measures.csv": 15,
}


def copy_sample(dest: Path) -> Path:
    """A fresh copy of the sample bundle folder at ``dest``."""
    shutil.copytree(SAMPLE, dest)
    return dest


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def edit_lines(folder: Path, name: str, edit) -> None:
    """Rewrite file ``name`` of ``folder`` through ``edit(list of lines) -> list of lines``."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(edit(lines)), encoding="utf-8")


def set_cell(folder: Path, name: str, line: int, column: str, value: str) -> None:
    """Set one cell of the (single-line) record on ``line`` of file ``name``."""

    def edit(lines: list[str]) -> list[str]:
        header = next(csv.reader([lines[0]]))
        cells = next(csv.reader([lines[line - 1]]))
        cells[header.index(column)] = value
        lines[line - 1] = _csv_line(cells)
        return lines

    edit_lines(folder, name, edit)


def append_row(folder: Path, name: str, values: dict[str, str]) -> int:
    """Append a record to file ``name``; returns the line it starts on."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(_csv_line([values.get(column, "") for column in header]))
    return len(lines) + 1


def zip_folder(folder: Path, dest: Path, inner: str = "") -> Path:
    """Zip the CSV files of ``folder`` into ``dest`` (under the folder ``inner`` when given)."""
    with zipfile.ZipFile(dest, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{inner}/{path.name}" if inner else path.name)
    return dest


def _native(kind: Kind, text: str) -> object:
    """A cell as Excel would hold it: dates, numbers and booleans native, the rest as text."""
    if text == "":
        return None
    try:
        return _converted(kind, text)
    except ValueError:
        return text  # a planted bad value stays text


def _converted(kind: Kind, text: str) -> object:
    if kind is Kind.DATE:
        return date.fromisoformat(text)
    if kind is Kind.BOOL and text in ("true", "false"):
        return text == "true"
    if kind is Kind.INT:
        return int(text)
    if kind is Kind.DECIMAL:
        return float(Decimal(text)) if "," not in text else text
    if kind is Kind.OWN_CODE and text.isdigit():
        return int(text)
    return text


def workbook_from(folder: Path, dest: Path) -> Path:
    """An .xlsx workbook with one sheet per CSV file of ``folder``, cells typed natively."""
    book = Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        spec = BY_NAME[path.name]
        sheet = book.create_sheet(spec.stem)
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        sheet.append(rows[0])
        kinds = [spec.column(name).kind for name in rows[0]]
        for row in rows[1:]:
            sheet.append([_native(kind, text) for kind, text in zip(kinds, row, strict=True)])
    book.save(dest)
    return dest


def wait_for_imports() -> None:
    """Wait for the background imports the web page started, after ending the test's transaction
    (on SQLite the import's thread would wait for its lock)."""
    db.session.rollback()
    import_jobs_wait()


def _norwegian_cell(kind: Kind, text: str) -> str:
    """A cell as Norwegian Excel saves it: dd.mm.yyyy, decimal commas (no ",0"), SANN/USANN."""
    if text == "":
        return text
    if kind is Kind.DATE:
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    if kind is Kind.DECIMAL:
        return format(Decimal(text).normalize(), "f").replace(".", ",")
    if kind is Kind.BOOL:
        return {"true": "SANN", "false": "USANN"}.get(text, text)
    return text


def norwegian_copy(folder: Path, dest: Path, encoding: str = "cp1252") -> Path:
    """The CSV files of ``folder`` rewritten at ``dest`` as Norwegian Excel saves them: ``;``
    separators, CRLF line ends, Windows-1252 ("CSV") or UTF-8 with a BOM ("CSV UTF-8")."""
    dest.mkdir()
    for path in sorted(folder.glob("*.csv")):
        spec = BY_NAME[path.name]
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        kinds = [spec.column(name).kind for name in rows[0]]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(rows[0])
        for row in rows[1:]:
            writer.writerow([_norwegian_cell(kind, text) for kind, text in zip(kinds, row, strict=True)])
        (dest / path.name).write_bytes(buffer.getvalue().encode(encoding))
    return dest
