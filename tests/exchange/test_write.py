"""Writing a bundle: every file and column, sorted rows, and a byte-identical round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caseload.exchange.parse import parse_bundle
from caseload.exchange.schema import BY_NAME, FILES, STAFF, VOIDABLE
from caseload.exchange.write import format_decimal, render_bundle, render_file, write_bundle
from tests.exchange.bundles import append_row, copy_sample
from tests.sample_rows import SAMPLE


def _records(result):
    return {name: result.rows(name) for name in result.records}


def _sorted_staff_sample() -> bytes:
    """The sample's staff.csv with its rows in email order, as the spec says export writes them."""
    header, *rows = (SAMPLE / "staff.csv").read_bytes().splitlines(keepends=True)
    return header + b"".join(sorted(rows))


def _programs_sample() -> bytes:
    """The sample's programs.csv, which leaves out the optional full_time_hours column: export
    writes every column of the spec, empty where the bundle gave nothing."""
    header, *rows = (SAMPLE / "programs.csv").read_bytes().splitlines()
    assert header == b"ref,name"
    return b"".join(line + b"\n" for line in [b"ref,name,full_time_hours", *(r + b"," for r in rows)])


def _employer_contacts_sample() -> bytes:
    """The sample's employer_contacts.csv, which leaves out the optional person_name column (the
    employer's person met) and the two void columns: export writes them, empty."""
    header, *rows = (SAMPLE / "employer_contacts.csv").read_bytes().splitlines()
    assert not header.endswith(b",person_name")
    extra = b",person_name,voided_on,void_reason"
    return b"".join(line + b"\n" for line in [header + extra, *(r + b",,," for r in rows)])


def _with_void_columns(name: str) -> bytes:
    """The sample's file of records with the two void columns it leaves out, empty."""
    header, *rows = (SAMPLE / name).read_bytes().splitlines()
    return b"".join(line + b"\n" for line in [header + b",voided_on,void_reason", *(r + b",," for r in rows)])


def test_parsing_and_writing_the_sample_gives_its_files_byte_for_byte():
    written = render_bundle(_records(parse_bundle(SAMPLE)))
    assert sorted(written) == sorted(spec.name for spec in FILES)
    special = {
        STAFF.name: _sorted_staff_sample,
        "programs.csv": _programs_sample,
        "employer_contacts.csv": _employer_contacts_sample,
    }
    for name, data in written.items():
        if not (SAMPLE / name).exists():  # the sample has no trial: its files hold their header only
            expected = ",".join(BY_NAME[name].column_names).encode() + b"\n"
        elif name in special:
            expected = special[name]()
        elif name in VOIDABLE:
            expected = _with_void_columns(name)
        else:
            expected = (SAMPLE / name).read_bytes()
        assert data == expected, name


def test_staff_are_written_by_email():
    lines = render_bundle(_records(parse_bundle(SAMPLE)))["staff.csv"].decode().splitlines()
    emails = [line.split(",")[0] for line in lines[1:]]
    assert emails == sorted(emails)
    assert emails[0] == "admin.khan@demo-ips.example.org"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("25"), "25.0"),
        (Decimal("25.00"), "25.0"),
        (Decimal("0.5"), "0.5"),
        (Decimal("194.470"), "194.47"),
        (Decimal("100"), "100.0"),
        (Decimal("0.00"), "0.0"),
        (12, "12.0"),
    ],
)
def test_decimals_are_written_in_their_shortest_form(value, text):
    assert format_decimal(value) == text


def test_a_file_without_records_is_written_with_its_header():
    assert render_file(STAFF, []) == b"email,name,role,program_ref,fte,treatment_team_refs,active\n"


def test_awkward_text_round_trips(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    notes = 'Said "no", then yes;\r\nsecond line, with commas\n  trailing space '
    line = append_row(
        folder,
        "benefits_sessions.csv",
        {"ref": "BS-9", "client_ref": "C-000001", "session_date": "2025-01-01", "kind": "annual"}
        | {"notes": notes, "planner_name": "Ærlig Øystein 😀"},
    )
    first = parse_bundle(folder)
    assert first.ok
    assert first.records["benefits_sessions.csv"][-1].line == line
    assert first.rows("benefits_sessions.csv")[-1]["notes"] == notes
    out = tmp_path / "out"
    write_bundle(_records(first), out)
    again = parse_bundle(out)
    assert again.ok
    assert render_bundle(_records(again)) == render_bundle(_records(first))


@pytest.mark.parametrize("name", ["out", "out.zip"])
def test_a_written_bundle_reads_back_the_same(tmp_path, name):
    records = _records(parse_bundle(SAMPLE))
    write_bundle(records, tmp_path / name)
    back = parse_bundle(tmp_path / name)
    assert back.ok
    assert _records(back) == {
        n: sorted(rows, key=lambda r: tuple(r[k] for k in spec.key))
        for spec in FILES
        for n, rows in [(spec.name, records.get(spec.name, []))]
    }


def test_writing_a_zip_twice_gives_the_same_bytes(tmp_path):
    records = _records(parse_bundle(SAMPLE))
    write_bundle(records, tmp_path / "a.zip")
    write_bundle(records, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
