"""CSV files as Norwegian Excel saves them: semicolons, Windows-1252, dd.mm.yyyy, decimal commas,
SANN/USANN; one clear cause when a file's separator or encoding cannot be read; mojibake warned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from caseload.exchange.cells import misdecoded, read_cell
from caseload.exchange.parse import parse_bundle
from caseload.exchange.schema import BY_NAME
from caseload.exchange.sources import CP1252_NOTICE
from tests.exchange.bundles import SAMPLE_COUNTS, copy_sample, norwegian_copy, set_cell, zip_folder
from tests.exchange.test_import import _empty_database, _export, _import
from tests.sample_rows import SAMPLE

NON_ASCII = {"clients.csv", "client_contacts.csv", "employers.csv"}  # the sample's files with é, ø, å


def _column(name: str, column: str):
    return BY_NAME[name].column(column)


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        (("jobs.csv", "start_date"), "05.03.2024", date(2024, 3, 5)),
        (("jobs.csv", "start_date"), "5.3.2024", date(2024, 3, 5)),
        (("jobs.csv", "hours_per_week"), "37,5", Decimal("37.5")),
        (("jobs.csv", "hourly_wage"), "194,47", Decimal("194.47")),
        (("jobs.csv", "set_aside"), "SANN", True),
        (("jobs.csv", "set_aside"), "usann", False),
        (("jobs.csv", "set_aside"), "Ja", True),
        (("jobs.csv", "set_aside"), "nei", False),
    ],
)
def test_norwegian_dates_decimals_and_booleans_are_read(column, text, value):
    assert read_cell(_column(*column), text) == value


def test_a_decimal_comma_still_obeys_the_columns_decimals_and_range():
    with pytest.raises(ValueError, match="more than 2 decimals"):
        read_cell(_column("jobs.csv", "hourly_wage"), "1,005")
    with pytest.raises(ValueError, match="out of range"):
        read_cell(_column("jobs.csv", "hours_per_week"), "80,5")


@pytest.mark.parametrize(
    ("text", "meant"),
    [("GrÃ¼nerlÃ¸kka", "Grünerløkka"), ("Ã¸", "ø"), ("Ã¥", "å"), ("BjÃ¸rn Ã…se", "Bjørn Åse")],
)
def test_mojibake_is_recognised_with_the_text_it_stands_for(text, meant):
    assert misdecoded(text) == meant


@pytest.mark.parametrize("text", ["Grünerløkka", "Ærlig Åse", "café", "Ãx", "plain"])
def test_ordinary_text_is_not_taken_for_mojibake(text):
    assert misdecoded(text) is None


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_the_sample_saved_by_norwegian_excel_parses_to_the_same_records(tmp_path, encoding):
    folder = norwegian_copy(SAMPLE, tmp_path / "nb", encoding)
    assert b";" in (folder / "jobs.csv").read_bytes().splitlines()[0]
    result = parse_bundle(folder)
    assert [str(p) for p in result.problems] == []
    assert result.counts() == SAMPLE_COUNTS
    canonical = parse_bundle(SAMPLE)
    for name in SAMPLE_COUNTS:
        assert result.rows(name) == canonical.rows(name), name
    noticed = {w.file for w in result.warnings if w.message == CP1252_NOTICE}
    assert noticed == (NON_ASCII if encoding == "cp1252" else set())
    assert [w for w in result.warnings if w.message != CP1252_NOTICE] == []


def test_the_sample_saved_by_norwegian_excel_imports_to_the_same_database(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    canonical = _export(runner, tmp_path / "canonical")
    _empty_database(db)
    folder = norwegian_copy(SAMPLE, tmp_path / "nb")
    assert (folder / "clients.csv").read_bytes() != (SAMPLE / "clients.csv").read_bytes()
    result = _import(runner, folder)
    assert result.exit_code == 0, result.output
    assert "warning: clients.csv:1: -: not UTF-8: read as Windows-1252" in result.stderr
    assert _export(runner, tmp_path / "from-nb") == canonical


def test_a_single_csv_file_imports_as_its_table(runner, db, tmp_path):
    path = norwegian_copy(SAMPLE, tmp_path / "nb") / "programs.csv"
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert "programs.csv: 1 created, 0 updated, 0 unchanged" in result.stdout


def test_a_csv_file_named_after_no_table_is_refused(tmp_path):
    path = tmp_path / "klienter.csv"
    path.write_text("ref;name\r\n")
    problems = [str(p) for p in parse_bundle(path).problems]
    assert problems == ["klienter.csv:1: -: unknown file (not part of the exchange format)"]


def test_a_file_with_another_separator_is_one_problem_with_its_cause(tmp_path):
    folder = copy_sample(tmp_path / "b")
    text = (folder / "clients.csv").read_text(encoding="utf-8")
    (folder / "clients.csv").write_text(text.replace(",", "\t"), encoding="utf-8")
    problems = parse_bundle(folder).problems
    assert len(problems) == 1, [str(p) for p in problems]
    assert (problems[0].file, problems[0].line, problems[0].column) == ("clients.csv", 1, "-")
    assert "names no column of clients.csv" in problems[0].message
    assert "separated by commas or semicolons" in problems[0].message


def test_a_utf16_file_is_one_problem_with_its_cause(tmp_path):
    folder = copy_sample(tmp_path / "b")
    text = (folder / "employers.csv").read_text(encoding="utf-8")
    (folder / "employers.csv").write_bytes(text.replace(",", "\t").encode("utf-16"))
    problems = [str(p) for p in parse_bundle(folder).problems]
    assert problems == [
        'employers.csv:1: -: UTF-16 text (Excel\'s "Unicode text"): '
        'save the sheet as "CSV UTF-8" or "CSV" instead'
    ]


def test_mojibake_is_warned_with_its_file_row_and_column(tmp_path):
    folder = copy_sample(tmp_path / "b")
    set_cell(folder, "employers.csv", 3, "name", "GrÃ¼nerlÃ¸kka Kafé AS")
    result = parse_bundle(folder)
    assert result.problems == []
    [warning] = result.warnings
    assert (warning.file, warning.line, warning.column) == ("employers.csv", 3, "name")
    assert "'GrÃ¼nerlÃ¸kka Kafé AS' may be 'Grünerløkka Kafé AS'" in warning.message  # é was right
    assert "looks mis-decoded" in warning.message


def test_a_file_of_mojibake_is_warned_row_by_row(tmp_path):
    folder = copy_sample(tmp_path / "b")
    set_cell(folder, "clients.csv", 4, "name", "Ã˜yvind StrÃ¸m")
    [warning] = parse_bundle(folder).warnings
    assert str(warning).startswith("clients.csv:4: name: looks mis-decoded: 'Ã˜yvind StrÃ¸m' may be")
    assert "'Øyvind Strøm'" in warning.message


def test_a_norwegian_zip_parses_like_the_folder(tmp_path):
    folder = norwegian_copy(SAMPLE, tmp_path / "nb")
    result = parse_bundle(zip_folder(folder, tmp_path / "nb.zip"))
    assert result.problems == []
    assert result.counts() == SAMPLE_COUNTS


def test_norwegian_files_are_recognised_by_their_header_not_their_name(tmp_path: Path):
    folder = norwegian_copy(SAMPLE, tmp_path / "nb", "utf-8")
    assert parse_bundle(folder).rows("jobs.csv")[0]["open_to_anyone"] is True
