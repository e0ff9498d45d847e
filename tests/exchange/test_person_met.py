"""employer_contacts.csv carries the optional ``person_name`` (the employer's person met): exported
as a text cell (formula-neutralised), imported back, and the round trip is byte-identical."""

from __future__ import annotations

from sqlalchemy import select

from caseload.employers.models import EmployerContact
from tests.exchange.bundles import copy_sample
from tests.exchange.test_import import _empty_database, _export, _import
from tests.sample_rows import SAMPLE


def test_person_met_round_trips_byte_identical(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    first, second = db.session.scalars(select(EmployerContact).order_by(EmployerContact.ref).limit(2)).all()
    first.person_name, second.person_name = "Kari Butikksjef, daglig leder", "=HYPERLINK(1)"
    db.session.commit()
    exported = _export(runner, tmp_path / "first")
    lines = exported["employer_contacts.csv"].decode().splitlines()
    assert lines[0].endswith(",outcome,person_name,voided_on,void_reason")
    assert lines[1].endswith(',"Kari Butikksjef, daglig leder",,')
    assert lines[2].endswith(",'=HYPERLINK(1),,")
    assert all(line.endswith(",,,") for line in lines[3:])
    _empty_database(db)
    assert _import(runner, tmp_path / "first").exit_code == 0
    names = db.session.scalars(select(EmployerContact.person_name).order_by(EmployerContact.ref)).all()
    assert names[:2] == ["Kari Butikksjef, daglig leder", "=HYPERLINK(1)"]
    assert _export(runner, tmp_path / "second") == exported


def test_a_bundle_without_the_column_imports_and_a_too_long_name_is_refused(runner, db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    assert b"person_name" not in (folder / "employer_contacts.csv").read_bytes()
    assert _import(runner, folder).exit_code == 0
    path = folder / "employer_contacts.csv"
    lines = path.read_text().splitlines()
    lines = [lines[0] + ",person_name", lines[1] + "," + "x" * 201, *(line + "," for line in lines[2:])]
    path.write_text("\n".join(lines) + "\n")
    result = _import(runner, folder)
    assert result.exit_code != 0
    assert "employer_contacts.csv:2: person_name" in result.output
