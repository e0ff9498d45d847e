"""Hostile and very large bundles: refused on their declared sizes or their XML with a problem line
and nothing written, or imported whole, with the importing process's peak memory bounded.

The import runs as `flask --app app exchange import` in a child process, whose peak resident set
size is read from ``os.wait4``. The bombs are built once per session, streamed to disk.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from tests import factories
from tests.exchange.bigbundle import stream_big_bundle
from tests.exchange.bundles import zip_folder
from tests.exchange.test_import import _snapshot
from tests.sample_rows import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
PEAK_LIMIT_KB = 300 * 1024  # SECURITY.md: an import's peak resident set size stays under 300 MB
SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_ROW = b'<row><c t="inlineStr"><is><t>C-000001</t></is></c><c t="inlineStr"><is><t>DEMO</t></is></c></row>'
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + _HEAD[_HEAD.index(b"<worksheet") :]
    + b'<sheetData><row><c t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
_LOLS = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, 10)]
LAUGHS = (
    f'<?xml version="1.0"?>\n<!DOCTYPE worksheet [{"".join(_LOLS)}]>\n'.encode()
    + _HEAD[_HEAD.index(b"<worksheet") :]
    + b'<sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _small_workbook() -> bytes:
    """A workbook with one sheet, ``clients``, holding a header and a dozen rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "clients"
    sheet.append(["ref", "program_ref", "name"])
    for k in range(12):
        sheet.append([f"C-{k:06d}", "DEMO", f"Client {k}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(source: bytes, dest: Path, parts: dict[str, object]) -> Path:
    """A copy of the workbook ``source`` with ``parts`` replaced: bytes, or a function writing
    the part to an open member (streamed)."""
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            part = parts.get(info.filename, src.read(info))
            if callable(part):
                with out.open(info.filename, "w", force_zip64=True) as member:
                    part(member)
            else:
                out.writestr(info.filename, part)
    return dest


def _huge_sheet(size: int):
    def write(member) -> None:
        block = _ROW * (MB // len(_ROW))
        member.write(_HEAD + b"<sheetData>")
        for _ in range(size // len(block)):
            member.write(block)
        member.write(b"</sheetData></worksheet>")

    return write


def _zip_bomb(dest: Path, size: int) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        out.writestr("programs.csv", "ref,name\nDEMO,Demo\n")
        with out.open("clients.csv", "w", force_zip64=True) as member:
            member.write(b"ref,program_ref,name\n")
            for _ in range(size // MB):
                member.write(b"x" * MB)
    return dest


@pytest.fixture(scope="session")
def bombs(tmp_path_factory) -> dict[str, Path]:
    """The hostile bundles, built once, streamed to disk."""
    folder = tmp_path_factory.mktemp("bombs")
    book = _small_workbook()
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        sheet, workbook = z.read(SHEET), z.read("xl/workbook.xml")
    entity_in_workbook = b'<!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + workbook
    return {
        "600 MB sheet": _rewrite(book, folder / "sheet.xlsx", {SHEET: _huge_sheet(600 * MB)}),
        "zip at 1000:1": _zip_bomb(folder / "bomb.zip", 100 * MB),
        "truncated XML": _rewrite(book, folder / "truncated.xlsx", {SHEET: sheet[: len(sheet) // 2]}),
        "XXE in a sheet": _rewrite(book, folder / "xxe.xlsx", {SHEET: XXE}),
        "XXE in the workbook": _rewrite(
            book, folder / "xxe-book.xlsx", {"xl/workbook.xml": entity_in_workbook}
        ),
        "billion laughs": _rewrite(book, folder / "laughs.xlsx", {SHEET: LAUGHS}),
    }


@dataclass(frozen=True)
class Run:
    """How a child `exchange import` ended: exit code, output, peak resident set size (KB)."""

    code: int
    stdout: str
    stderr: str
    peak_kb: int


_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as peak:
    peak.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_import(database_url: str, bundle: Path, tmp_path: Path) -> Run:
    """Run `flask --app app exchange import BUNDLE` against the test database in a child of a
    small Python process, which reports its children's peak RSS (a child forked straight from
    the test process would count the test process's memory too)."""
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "bomb-test-key-" + "k" * 32}
    peak = tmp_path / "peak.txt"
    command = [sys.executable, "-m", "flask", "--app", "app", "exchange", "import", str(bundle)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(peak), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, int(peak.read_text()))


ENTITIES = "the workbook declares XML entities or a DTD"
REFUSALS = {  # the problem line each hostile bundle gets
    "600 MB sheet": r"sheet\.xlsx:1: -: xl/worksheets/sheet1\.xml is compressed \d+:1 \(more than 100:1\)",
    "zip at 1000:1": r"bomb\.zip:1: -: clients\.csv is compressed \d{4}:1 \(more than 100:1\)",
    "truncated XML": r"clients\.csv:\d+: -: the workbook's XML is malformed or cut short",
    "XXE in a sheet": rf"xxe\.xlsx:1: -: {ENTITIES}",
    "XXE in the workbook": rf"xxe-book\.xlsx:1: -: {ENTITIES}",
    "billion laughs": rf"laughs\.xlsx:1: -: {ENTITIES}",
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_hostile_bundle_is_refused_with_a_problem_line_and_nothing_written(
    case, bombs, database_url, db, tmp_path
):
    factories.client(db.session, factories.user(db.session, "specialist"))
    db.session.commit()
    before = _snapshot(db)
    db.session.rollback()
    run = run_import(database_url, bombs[case], tmp_path)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert re.search("^" + REFUSALS[case], run.stderr, re.MULTILINE), run.stderr
    assert run.stderr.endswith("problem(s): nothing was imported\n")
    assert run.peak_kb < PEAK_LIMIT_KB
    assert _snapshot(db) == before


@pytest.mark.slow
def test_a_valid_150_mb_bundle_imports_whole_within_the_memory_bound(database_url, db, tmp_path):
    bundle = stream_big_bundle(tmp_path / "big", clients=10_000, note_chars=700)
    assert sum(p.stat().st_size for p in bundle.iterdir()) > 150 * MB
    run = run_import(database_url, bundle, tmp_path)
    assert run.code == 0, run.stderr
    assert "client_contacts.csv: 200000 created, 0 updated, 0 unchanged" in run.stdout
    assert run.peak_kb < PEAK_LIMIT_KB, f"peak RSS {run.peak_kb // 1024} MB"
    assert db.session.scalar(select(func.count()).select_from(Client)) == 10_000
    assert db.session.scalar(select(func.count()).select_from(ClientContact)) == 200_000


def test_the_unpacked_cap_is_configurable(app, runner, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNPACKED", 64 * 1024)
    result = runner.invoke(args=["exchange", "import", str(zip_folder(SAMPLE, tmp_path / "b.zip"))])
    assert result.exit_code == 1
    assert result.stderr.startswith("b.zip:1: -: too large once unpacked (more than 0 MB): refused\n")
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0


def test_a_bomb_uploaded_on_the_page_is_a_problem_line_not_an_error(client, login_as, db, bombs):
    program = factories.program(db.session, "Demo")
    db.session.commit()
    login_as("supervisor", prog=program)
    pages = {"zip at 1000:1": "is compressed", "XXE in a sheet": ENTITIES, "truncated XML": "malformed"}
    for case, message in pages.items():
        path = bombs[case]
        data = {"bundle": (io.BytesIO(path.read_bytes()), path.name), "check": "x"}
        response = client.post("/exchange/import", data=data, content_type="multipart/form-data")
        assert response.status_code == 422, case
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0


def test_a_request_over_the_upload_limit_is_answered_413(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", MB)
    assert client.post("/auth/login", data={"email": "x" * (2 * MB)}).status_code == 413
    login_as("admin")
    body = b"--b\r\n" + b"0" * (2 * MB)  # refused on its Content-Length, before it is parsed
    response = client.post("/exchange/import", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is too large" in page
    assert "Uploads are limited to 1 MB. Nothing was stored." in page


def test_the_upload_limit_defaults_to_200_mb(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 200 * MB
    assert app.config["IMPORT_MAX_UNPACKED"] == 1024 * MB


def test_the_zip_bomb_is_compressed_more_than_1000_to_1(bombs):
    with zipfile.ZipFile(bombs["zip at 1000:1"]) as archive:
        info = archive.getinfo("clients.csv")
    assert info.file_size >= 100 * MB
    assert info.file_size > 1000 * info.compress_size
