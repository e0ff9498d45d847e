"""Voided rows travel in the bundle: exported with voided_on / void_reason, imported and checked,
round-tripped byte for byte; an import never un-voids a row the database holds as voided."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from caseload.contacts.models import ClientContact
from caseload.db import voided_included
from caseload.jobs.models import Job
from tests.exchange.bundles import copy_sample, edit_lines
from tests.sample_rows import SAMPLE


def _void_first_row(folder, name: str, on: str, reason: str) -> str:
    """Give the first row of ``name`` a void; returns its ref."""
    found = {}

    def edit(lines: list[str]) -> list[str]:
        header, *rows = list(csv.reader(lines))
        found["ref"] = rows[0][header.index("ref")]
        rows[0] = [*rows[0], on, reason]
        rows = [rows[0], *([*row, "", ""] for row in rows[1:])]
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows([[*header, "voided_on", "void_reason"], *rows])
        return [buffer.getvalue()]

    edit_lines(folder, name, edit)
    return found["ref"]


def _export(runner, path):
    result = runner.invoke(args=["exchange", "export", str(path)])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def _empty_database(db) -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_voided_rows_import_export_and_round_trip(runner, db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    contact_ref = _void_first_row(folder, "client_contacts.csv", "2026-03-01", "Wrong client")
    job_ref = _void_first_row(folder, "jobs.csv", "2026-03-02", "Never started")
    result = runner.invoke(args=["exchange", "import", str(folder)])
    assert result.exit_code == 0, result.output

    with voided_included(db.session):
        contact = db.session.scalar(select(ClientContact).where(ClientContact.ref == contact_ref))
        job = db.session.scalar(select(Job).where(Job.ref == job_ref))
    assert (contact.voided_on, contact.void_reason) == (date(2026, 3, 1), "Wrong client")
    assert (job.voided_on, job.void_reason) == (date(2026, 3, 2), "Never started")
    # left out of every ordinary read
    assert db.session.scalar(select(ClientContact).where(ClientContact.ref == contact_ref)) is None

    first = _export(runner, tmp_path / "first")
    assert f"{contact_ref},".encode() in first["client_contacts.csv"]
    assert b",2026-03-01,Wrong client\n" in first["client_contacts.csv"]
    assert first["jobs.csv"].splitlines()[0].endswith(b",voided_on,void_reason")
    _empty_database(db)
    assert runner.invoke(args=["exchange", "import", str(tmp_path / "first")]).exit_code == 0
    assert _export(runner, tmp_path / "second") == first


def test_an_import_never_unvoids_a_row(runner, db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    ref = _void_first_row(folder, "client_contacts.csv", "2026-03-01", "Wrong client")
    assert runner.invoke(args=["exchange", "import", str(folder)]).exit_code == 0
    result = runner.invoke(args=["exchange", "import", str(SAMPLE)])  # the row without its void
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    with voided_included(db.session):
        contact = db.session.scalar(select(ClientContact).where(ClientContact.ref == ref))
    assert (contact.voided_on, contact.void_reason) == (date(2026, 3, 1), "Wrong client")


def test_a_void_without_its_reason_is_refused(runner, db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    _void_first_row(folder, "benefits_sessions.csv", "2026-03-01", "")
    _void_first_row(folder, "outcome_measures.csv", "", "A reason with no date")
    result = runner.invoke(args=["exchange", "import", str(folder)])
    assert result.exit_code != 0
    assert "benefits_sessions.csv:2: void_reason: required with voided_on" in result.output
    assert "outcome_measures.csv:2: voided_on: required with void_reason" in result.output
    assert db.session.scalar(select(ClientContact).limit(1)) is None
