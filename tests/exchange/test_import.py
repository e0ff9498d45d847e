"""Importing and exporting against the database: counts, round trip, idempotence, all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseload.auth.audit import audit_verify
from caseload.auth.models import AuditEvent, RecordRevision, User
from caseload.clients.models import Client
from caseload.db import next_ref
from caseload.exchange.schema import FILES
from caseload.exchange.services import bundle_import
from caseload.exchange.tables import TARGETS
from caseload.jobs.models import JobHours
from tests.exchange.bundles import (
    SAMPLE_COUNTS,
    append_row,
    copy_sample,
    set_cell,
    workbook_from,
    zip_folder,
)
from tests.exchange.test_parse import PLANTED
from tests.sample_rows import SAMPLE


def _counts(db) -> dict[str, int]:
    return {t.spec.name: db.session.scalar(select(func.count()).select_from(t.table)) for t in TARGETS}


def _snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, in id order."""
    snapshot = {}
    for table in db.metadata.sorted_tables:
        key = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
        snapshot[table.name] = db.session.execute(select(table).order_by(*key)).all()
    return snapshot


def _empty_database(db) -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _import(runner, path):
    return runner.invoke(args=["exchange", "import", str(path)])


def _export(runner, path):
    result = runner.invoke(args=["exchange", "export", str(path)])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_the_sample_bundle_imports_with_its_row_counts(runner, db):
    result = _import(runner, SAMPLE)
    assert result.exit_code == 0, result.output
    assert _counts(db) == SAMPLE_COUNTS
    assert "clients.csv: 12 created, 0 updated, 0 unchanged" in result.stdout


def test_export_import_into_an_empty_database_export_is_byte_identical(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    first = _export(runner, tmp_path / "first")
    assert len(first) == len(FILES)  # the caseload's 13 files and the trial's
    _empty_database(db)
    assert _import(runner, tmp_path / "first").exit_code == 0
    assert _export(runner, tmp_path / "second") == first


def test_export_differs_from_the_sample_only_by_defaults_and_staff_order(runner, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    exported = _export(runner, tmp_path / "out")
    for name in ("treatment_teams.csv", "clients.csv", "employers.csv"):
        assert exported[name] == (SAMPLE / name).read_bytes(), name
    for name in ("referrals.csv", "weekly_reviews.csv", "outcome_measures.csv"):  # + the void columns
        header, *rows = (SAMPLE / name).read_bytes().splitlines()
        lines = [header + b",voided_on,void_reason", *(row + b",," for row in rows)]
        assert exported[name] == b"\n".join(lines) + b"\n", name
    assert exported["programs.csv"] == b"ref,name,full_time_hours\nDEMO,Demo Pain Clinic IPS,37.5\n"
    assert (
        b"geir.iversen@demo-ips.example.org,Geir Iversen,specialist,DEMO,1.0,DEMO-T1,true\n"
        in (exported["staff.csv"])
    )


def test_a_second_import_changes_nothing(runner, db):
    assert _import(runner, SAMPLE).exit_code == 0
    before = _snapshot(db)
    result = _import(runner, SAMPLE)
    assert result.exit_code == 0
    assert "clients.csv: 0 created, 0 updated, 12 unchanged" in result.stdout
    db.session.expire_all()
    assert _snapshot(db) == before


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_a_planted_problem_is_listed_and_nothing_is_written(runner, db, tmp_path, case):
    plant, (name, line, column, _fragment) = PLANTED[case]
    folder = copy_sample(tmp_path / "bundle")
    plant(folder)
    result = _import(runner, folder)
    assert result.exit_code != 0
    lines = [ln for ln in result.stderr.splitlines() if not ln.startswith("warning: ")]
    assert lines[0].startswith(f"{name}:{line}: {column}: ")
    assert lines[-1] == "1 problem(s): nothing was imported"
    assert set(_counts(db).values()) == {0}


def test_a_bad_bundle_leaves_existing_data_untouched(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    before = _snapshot(db)
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "clients.csv", 2, "name", "A New Name")
    set_cell(folder, "jobs.csv", 3, "hours_per_week", "99")
    result = _import(runner, folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("jobs.csv:3: hours_per_week: 99 is out of range (> 0 and ≤ 80)")
    db.session.expire_all()
    assert _snapshot(db) == before


def test_a_changed_row_is_updated_with_a_new_version_and_its_history_kept(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "clients.csv", 2, "name", "Hege Berge-Lie")
    set_cell(folder, "employer_contacts.csv", 8, "client_refs", "C-000002")
    result = _import(runner, folder)
    assert "clients.csv: 0 created, 1 updated, 11 unchanged" in result.stdout
    assert "employer_contacts.csv: 0 created, 1 updated, 524 unchanged" in result.stdout
    client = db.session.scalar(select(Client).where(Client.ref == "C-000001"))
    assert (client.name, client.version) == ("Hege Berge-Lie", 2)
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "clients"))
    assert '"name": "Hege Berge"' in revision.data


def test_references_to_records_already_in_the_database_are_accepted(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    folder = tmp_path / "hours"
    folder.mkdir()
    (folder / "job_hours.csv").write_text(
        "job_ref,effective_from,hours_per_week\nJ-000002,2025-03-01,20.0\nJ-000002,2025-02-02,9\n"
    )
    result = _import(runner, folder)
    assert result.stderr.splitlines()[0] == (
        "job_hours.csv:3: effective_from: 2025-02-02 is not after the job's start_date 2025-02-02"
    )
    (folder / "job_hours.csv").write_text("job_ref,effective_from,hours_per_week\nJ-000002,2025-03-01,20.0\n")
    assert _import(runner, folder).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(JobHours)) == 1


def test_imported_refs_are_kept_and_new_refs_follow_them(runner, db):
    assert _import(runner, SAMPLE).exit_code == 0
    assert next_ref(db.session, Client) == "C-000013"


def test_imported_staff_have_no_password_and_deactivation_ends_sessions(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    geir = db.session.scalar(select(User).where(User.email == "geir.iversen@demo-ips.example.org"))
    assert geir.password_hash is None
    assert (geir.fte, geir.active, geir.session_version) == (1, True, 1)
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "staff.csv", 2, "active", "no")
    assert _import(runner, folder).exit_code == 0
    db.session.refresh(geir)
    assert (geir.active, geir.session_version) == (False, 2)


def test_imports_and_exports_are_audited_per_client(runner, db, tmp_path):
    assert _import(runner, SAMPLE).exit_code == 0
    imported = db.session.scalars(
        select(AuditEvent.target).where(AuditEvent.action == "exchange_import")
    ).all()
    assert sorted(imported) == [f"C-{n:06d}" for n in range(1, 13)]
    _export(runner, tmp_path / "out")
    exported = select(func.count()).where(AuditEvent.action == "exchange_export")
    assert db.session.scalar(exported) == 12
    assert audit_verify(db.session) == []


@pytest.mark.parametrize("form", ["zip", "xlsx"])
def test_a_zip_or_workbook_imports_like_the_folder(runner, db, tmp_path, form):
    if form == "zip":
        path = zip_folder(SAMPLE, tmp_path / "bundle.zip")
    else:
        path = workbook_from(SAMPLE, tmp_path / "bundle.xlsx")
    assert _import(runner, path).exit_code == 0
    assert _counts(db) == SAMPLE_COUNTS
    assert _import(runner, SAMPLE).stdout.count(" 0 created, 0 updated") == 12


def test_the_service_reports_progress_and_never_commits(db, tmp_path):
    seen = []
    report = bundle_import(db.session, path=SAMPLE, progress=lambda d, t: seen.append((d, t)))
    assert report.ok
    assert seen[-1] == (926, 926)
    db.session.rollback()
    assert set(_counts(db).values()) == {0}


def test_a_new_row_with_awkward_text_round_trips(runner, db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    notes = 'Said "no", then yes;\nsecond line, with commas  <b>bold</b> 😀'
    append_row(
        folder,
        "benefits_sessions.csv",
        {"ref": "BS-9", "client_ref": "C-000001", "session_date": "2025-01-01", "kind": "annual"}
        | {"notes": notes},
    )
    assert _import(runner, folder).exit_code == 0
    exported = _export(runner, tmp_path / "out")
    _empty_database(db)
    assert _import(runner, tmp_path / "out").exit_code == 0
    assert _export(runner, tmp_path / "again") == exported


def test_export_refuses_a_workbook_or_a_file_in_the_way(runner, tmp_path):
    result = runner.invoke(args=["exchange", "export", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 1
    assert result.stderr == "Error: export writes a folder or a .zip, not a workbook\n"
    (tmp_path / "file").write_text("x")
    assert runner.invoke(args=["exchange", "export", str(tmp_path / "file")]).exit_code == 1


def test_a_missing_bundle_is_one_problem(runner, tmp_path):
    result = _import(runner, tmp_path / "missing.zip")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("missing.zip:1: -: cannot be read")
