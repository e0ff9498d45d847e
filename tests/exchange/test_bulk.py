"""Import and export at any size: statements per file, not per row; rows streamed in the bundle's
order; the zip and the folder hold the same bytes."""

from __future__ import annotations

import csv
import io
import zipfile
from contextlib import contextmanager

from sqlalchemy import event, select, text

from caseload.auth.models import User
from caseload.employers.models import Employer
from caseload.exchange import queries
from caseload.exchange.export import bundle_export
from caseload.exchange.schema import FILES
from caseload.exchange.services import bundle_import
from tests import factories
from tests.exchange.bundles import append_row, copy_sample, set_cell
from tests.sample_rows import SAMPLE


@contextmanager
def _statements(db):
    """Counts the SQL statements sent while the block runs (a list holding one number)."""
    count = [0]

    def seen(*_args) -> None:
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _sample_row(name: str, line: int) -> dict[str, str]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[line - 2]


def _bigger_sample(folder, extra: int):
    """The sample with ``extra`` more client contacts and employer contacts (naming clients)."""
    copy_sample(folder)
    contact, employer_contact = _sample_row("client_contacts.csv", 2), _sample_row("employer_contacts.csv", 2)
    for n in range(extra):
        append_row(folder, "client_contacts.csv", contact | {"ref": f"CC-X{n:05d}"})
        refs = "C-000001;C-000002" if n % 2 else ""
        append_row(
            folder, "employer_contacts.csv", employer_contact | {"ref": f"EC-X{n:05d}", "client_refs": refs}
        )
    return folder


def _import_counting(db, path) -> tuple[int, int]:
    """Statements of a first and of a second import of ``path`` into an empty database."""
    counts = []
    for _ in range(2):
        with _statements(db) as count:
            assert bundle_import(db.session, path=path).ok
        db.session.commit()
        counts.append(count[0])
    return counts[0], counts[1]


def _empty(db) -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_import_statements_do_not_grow_with_the_number_of_rows(db, tmp_path):
    small = _import_counting(db, SAMPLE)
    _empty(db)
    bigger = _import_counting(db, _bigger_sample(tmp_path / "bigger", 300))
    assert bigger == small


def _export_counting(db, dest):
    with _statements(db) as count:
        report = bundle_export(db.session, dest=dest)
    db.session.rollback()
    return count[0], report


def test_export_sends_one_statement_per_file_whatever_the_size(db, tmp_path):
    assert bundle_import(db.session, path=SAMPLE).ok
    db.session.commit()
    small, _report = _export_counting(db, tmp_path / "small")
    _empty(db)
    assert bundle_import(db.session, path=_bigger_sample(tmp_path / "bigger", 300)).ok
    db.session.commit()
    bigger, report = _export_counting(db, tmp_path / "out")
    assert small == bigger <= len(FILES) + 1  # one query per file (and SQLite's BEGIN)
    written = sum(len((tmp_path / "out" / spec.name).read_bytes().splitlines()) - 1 for spec in FILES)
    assert report.records == written
    assert report.client_refs == [f"C-{n:06d}" for n in range(1, 13)]


def test_export_sorts_refs_and_lists_as_python_does(db, tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    client = _sample_row("clients.csv", 2)
    refs = ["C-b", "C-B", "C-a", "C-_1", "C-10", "C-9", "c-1", "C-Ø", "C-é", "C.1"]
    for ref in refs:
        append_row(folder, "clients.csv", client | {"ref": ref})
    set_cell(folder, "employer_contacts.csv", 2, "client_refs", "C-b;C-B;C-a;C-Ø;C-9")
    assert bundle_import(db.session, path=folder).ok
    db.session.commit()
    bundle_export(db.session, dest=tmp_path / "out")
    with (tmp_path / "out" / "clients.csv").open(encoding="utf-8", newline="") as fh:
        exported = [row["ref"] for row in csv.DictReader(fh)]
    assert exported == sorted(exported)
    assert set(refs) <= set(exported)
    with (tmp_path / "out" / "employer_contacts.csv").open(encoding="utf-8", newline="") as fh:
        lists = [row["client_refs"] for row in csv.DictReader(fh)]
    assert ";".join(sorted(["C-b", "C-B", "C-a", "C-Ø", "C-9"])) in lists


def test_the_zip_holds_the_folders_files_compressed_as_a_whole(db, tmp_path):
    assert bundle_import(db.session, path=SAMPLE).ok
    db.session.commit()
    bundle_export(db.session, dest=tmp_path / "out")
    bundle_export(db.session, dest=tmp_path / "out.zip")
    whole = io.BytesIO()  # every file written in one piece, as export did before it streamed
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in FILES:
            info = zipfile.ZipInfo(spec.name, (1980, 1, 1, 0, 0, 0))
            archive.writestr(info, (tmp_path / "out" / spec.name).read_bytes(), zipfile.ZIP_DEFLATED)
    assert (tmp_path / "out.zip").read_bytes() == whole.getvalue()


def test_bulk_inserts_fill_defaults_per_row(db):
    assert bundle_import(db.session, path=SAMPLE).ok
    db.session.commit()
    people = db.session.execute(select(User.feed_token, User.created_at, User.version)).all()
    assert len({token for token, _at, _version in people}) == len(people) == 6
    assert all(at is not None and version == 1 for _token, at, version in people)


def test_a_large_import_refreshes_the_planners_statistics(runner, db, tmp_path):
    folder = _bigger_sample(tmp_path / "bigger", 1000)  # 1,224 client contacts
    assert runner.invoke(args=["exchange", "import", str(folder)]).exit_code == 0
    if db.engine.dialect.name == "postgresql":
        stats = text("SELECT reltuples FROM pg_class WHERE relname = 'client_contacts'")
    else:
        stats = text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'client_contacts'")
    assert db.session.scalar(stats) > 0


def test_many_keys_are_found_in_one_pass_with_the_same_answer(db, monkeypatch):
    for name in ("Rema", "Kiwi", "Posten", "Coop"):
        factories.employer(db.session, name=name)
    db.session.commit()
    table = Employer.__table__
    refs = [*db.session.scalars(select(Employer.ref)), "E-999999"]
    by_lists = queries.ids_by_key(db.session, table, "ref", refs)
    monkeypatch.setattr(queries, "WHOLE_TABLE_FROM", 2)
    with _statements(db) as count:
        in_one_pass = queries.ids_by_key(db.session, table, "ref", refs)
    assert in_one_pass == by_lists and len(by_lists) == 4 and count == [1]
