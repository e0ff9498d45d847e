"""Reading and checking a bundle: the sample parses clean, planted problems are each reported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.exchange.checks import lookup_from
from caseload.exchange.parse import parse_bundle
from tests.exchange.bundles import (
    SAMPLE_COUNTS,
    append_row,
    copy_sample,
    edit_lines,
    set_cell,
    workbook_from,
    zip_folder,
)
from tests.sample_rows import SAMPLE

GEIR = "geir.iversen@demo-ips.example.org"


def test_sample_bundle_parses_without_problems_and_counts_match():
    result = parse_bundle(SAMPLE)
    assert [str(p) for p in result.problems] == []
    assert result.counts() == SAMPLE_COUNTS


def test_sample_values_are_typed():
    job = parse_bundle(SAMPLE).rows("jobs.csv")[0]
    assert job["start_date"] == date(2024, 5, 17)
    assert job["hours_per_week"] == Decimal("25.0")
    assert job["set_aside"] is False
    staff = {row["email"]: row for row in parse_bundle(SAMPLE).rows("staff.csv")}
    assert staff["sindre.rasmussen@demo-ips.example.org"]["treatment_team_refs"] == (
        "DEMO-T1",
        "DEMO-T2",
    )
    assert staff[GEIR]["active"] is None  # empty cell: no value (the default applies on import)


def _set(name, line, column, value):
    return lambda folder: set_cell(folder, name, line, column, value)


def _bad_bytes(folder: Path) -> None:
    path = folder / "employers.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Eik", b"Ei\x81")  # undefined in Windows-1252 too
    path.write_bytes(b"\n".join(lines))


def _extra_column(folder: Path) -> None:
    edit_lines(folder, "programs.csv", lambda ls: ["ref,name,colour\n", "DEMO,Demo,blue\n"])


def _drop_name_column(folder: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        return [",".join(cells[:1] + cells[2:]) for cells in (line.split(",") for line in lines)]

    edit_lines(folder, "employers.csv", edit)


def _hours_before_start(folder: Path) -> None:
    row = {"job_ref": "J-000002", "effective_from": "2025-02-02", "hours_per_week": "20.0"}
    append_row(folder, "job_hours.csv", row)


def _short_row(folder: Path) -> None:
    edit_lines(folder, "treatment_teams.csv", lambda ls: [*ls[:2], "DEMO-T2,DEMO\n"])


def _open_quote(folder: Path) -> None:
    edit_lines(folder, "employers.csv", lambda ls: [*ls[:5], 'E-0005,"Bad "quote,,\n'])


PLANTED = {
    "unknown code": (
        _set("clients.csv", 3, "status_at_entry", "retired"),
        ("clients.csv", 3, "status_at_entry", "unknown code"),
    ),
    "bad date": (
        _set("jobs.csv", 4, "start_date", "2025-02-30"),
        ("jobs.csv", 4, "start_date", "not a calendar date"),
    ),
    "date in year 1": (
        _set("clients.csv", 7, "birth_date", "0001-01-01"),
        ("clients.csv", 7, "birth_date", "out of range (1900-01-01 to 2100-12-31)"),
    ),
    "date in another format": (
        _set("benefits_sessions.csv", 5, "session_date", "03/05/2024"),
        ("benefits_sessions.csv", 5, "session_date", "expected YYYY-MM-DD or dd.mm.yyyy"),
    ),
    "Norwegian date that is no calendar date": (
        _set("benefits_sessions.csv", 5, "session_date", "31.02.2024"),
        ("benefits_sessions.csv", 5, "session_date", "not a calendar date"),
    ),
    "hours out of range": (
        _set("jobs.csv", 5, "hours_per_week", "0"),
        ("jobs.csv", 5, "hours_per_week", "out of range (> 0 and ≤ 80)"),
    ),
    "fte out of range": (
        _set("staff.csv", 3, "fte", "1.6"),
        ("staff.csv", 3, "fte", "out of range"),
    ),
    "decimal with a thousands separator": (
        _set("jobs.csv", 7, "hourly_wage", "1 234,5"),
        ("jobs.csv", 7, "hourly_wage", "not a decimal number (such as 37.5 or 37,5)"),
    ),
    "odi score out of range": (
        _set("outcome_measures.csv", 4, "odi_3", "6"),
        ("outcome_measures.csv", 4, "odi_3", "out of range"),
    ),
    "negative minutes": (
        _set("client_contacts.csv", 10, "minutes", "-5"),
        ("client_contacts.csv", 10, "minutes", "out of range"),
    ),
    "bad boolean": (
        _set("jobs.csv", 3, "set_aside", "maybe"),
        ("jobs.csv", 3, "set_aside", "not a boolean"),
    ),
    "week start not a Monday": (
        _set("weekly_reviews.csv", 2, "week_start", "2024-02-13"),
        ("weekly_reviews.csv", 2, "week_start", "Tuesday, not a Monday"),
    ),
    "reviewer not a supervisor": (
        _set("weekly_reviews.csv", 6, "reviewer_email", "vigdis.mathisen@demo-ips.example.org"),
        ("weekly_reviews.csv", 6, "reviewer_email", "clinician, not a supervisor"),
    ),
    "declined without reason": (
        _set("referrals.csv", 2, "decision", "declined"),
        ("referrals.csv", 2, "reason", "required when the decision is declined"),
    ),
    "closed without reason": (
        _set("clients.csv", 5, "closed_on", "2025-06-01"),
        ("clients.csv", 5, "closure_reason", "required with closed_on"),
    ),
    "ended without reason": (
        _set("jobs.csv", 3, "end_date", "2025-06-01"),
        ("jobs.csv", 3, "end_reason", "required with end_date"),
    ),
    "unknown client in a list": (
        _set("employer_contacts.csv", 8, "client_refs", "C-000001;C-999999"),
        ("employer_contacts.csv", 8, "client_refs", "unknown client 'C-999999'"),
    ),
    "unknown specialist": (
        _set("clients.csv", 6, "specialist_email", "nobody@demo-ips.example.org"),
        ("clients.csv", 6, "specialist_email", "unknown staff member"),
    ),
    "unknown employer": (
        _set("jobs.csv", 2, "employer_ref", "E-9999"),
        ("jobs.csv", 2, "employer_ref", "unknown employer"),
    ),
    "hours change on the start date": (
        _hours_before_start,
        ("job_hours.csv", 2, "effective_from", "not after the job's start_date 2025-02-02"),
    ),
    "duplicate ref": (
        _set("employers.csv", 4, "ref", "E-0002"),
        ("employers.csv", 4, "ref", "duplicate of line 3"),
    ),
    "required value empty": (
        _set("clients.csv", 4, "name", ""),
        ("clients.csv", 4, "name", "required"),
    ),
    "unknown column": (_extra_column, ("programs.csv", 1, "colour", "unknown column")),
    "required column missing": (
        _drop_name_column,
        ("employers.csv", 1, "name", "required column missing"),
    ),
    "neither UTF-8 nor Windows-1252": (
        _bad_bytes,
        ("employers.csv", 4, "-", "neither UTF-8 nor Windows-1252 text"),
    ),
    "wrong number of fields": (_short_row, ("treatment_teams.csv", 3, "-", "2 fields")),
    "broken quoting": (_open_quote, ("employers.csv", 6, "-", "malformed CSV")),
    "NUL in text": (
        _set("benefits_sessions.csv", 3, "notes", "a\x00b"),
        ("benefits_sessions.csv", 3, "notes", "control character"),
    ),
    "bad email": (
        _set("staff.csv", 4, "email", "tone.kristensen"),
        ("staff.csv", 4, "email", "not an email address"),
    ),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_each_planted_problem_is_reported_with_its_file_and_line(tmp_path, case):
    plant, (name, line, column, fragment) = PLANTED[case]
    folder = copy_sample(tmp_path / "bundle")
    plant(folder)
    problems = parse_bundle(folder).problems
    assert [(p.file, p.line, p.column) for p in problems] == [(name, line, column)]
    assert fragment in problems[0].message
    assert str(problems[0]).startswith(f"{name}:{line}: {column}: ")


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    # Problems that lose a key hide unknown references to that file's records (next test).
    cases = [c for c in PLANTED.values() if c[1][0] not in ("employers.csv", "programs.csv")]
    cases.remove(PLANTED["bad email"])
    for plant, _expected in cases:
        plant(folder)
    found = {(p.file, p.line, p.column) for p in parse_bundle(folder).problems}
    assert {expected[:3] for _plant, expected in cases} <= found


def test_a_lost_key_hides_unknown_references_to_its_file(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "staff.csv", 2, "email", "geir.iversen")
    assert [(p.file, p.line) for p in parse_bundle(folder).problems] == [("staff.csv", 2)]


def test_problems_come_in_file_then_line_order(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "jobs.csv", 5, "set_aside", "x")
    set_cell(folder, "jobs.csv", 3, "set_aside", "x")
    set_cell(folder, "clients.csv", 9, "name", "")
    assert [(p.file, p.line) for p in parse_bundle(folder).problems] == [
        ("clients.csv", 9),
        ("jobs.csv", 3),
        ("jobs.csv", 5),
    ]


def test_references_outside_the_bundle_are_looked_up(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "job_hours.csv").write_text(
        "job_ref,effective_from,hours_per_week\nJ-7,2025-03-01,20.0\nJ-8,2025-01-01,10\n"
    )
    assert [p.column for p in parse_bundle(folder).problems] == ["job_ref", "job_ref"]
    existing = lookup_from({"job": {"J-7": date(2025, 1, 1), "J-8": date(2025, 1, 1)}})
    problems = parse_bundle(folder, existing).problems
    assert [(p.line, p.column) for p in problems] == [(3, "effective_from")]


def test_the_bundle_wins_over_the_database_for_facts(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    existing = lookup_from({"staff": {"tone.kristensen@demo-ips.example.org": "clinician"}})
    assert parse_bundle(folder, existing).ok


def test_absent_files_are_fine_and_lenient_forms_are_read(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "programs.csv").write_bytes(b"\xef\xbb\xbfname,ref\r\nDemo,DEMO\r\n\r\n")
    (folder / "README.txt").write_text("not part of the bundle")
    result = parse_bundle(folder)
    assert result.ok
    assert result.rows("programs.csv") == [{"ref": "DEMO", "name": "Demo", "full_time_hours": None}]


def test_an_unknown_file_is_refused(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    (folder / "client.csv").write_text("ref\nC-1\n")
    assert [str(p) for p in parse_bundle(folder).problems] == [
        "client.csv:1: -: unknown file (not part of the exchange format)"
    ]


def test_codes_and_booleans_accept_other_spellings(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "jobs.csv", 2, "open_to_anyone", "Yes")
    set_cell(folder, "jobs.csv", 2, "set_aside", "0")
    set_cell(folder, "jobs.csv", 2, "end_reason", "Quit_No_Plan")
    job = parse_bundle(folder).rows("jobs.csv")[0]
    assert (job["open_to_anyone"], job["set_aside"], job["end_reason"]) == (
        True,
        False,
        "quit_no_plan",
    )


@pytest.mark.parametrize("inner", ["", "sample-bundle"])
def test_a_zip_parses_the_same_as_the_folder(tmp_path, inner):
    archive = zip_folder(SAMPLE, tmp_path / "bundle.zip", inner)
    folder, zipped = parse_bundle(SAMPLE), parse_bundle(archive)
    assert zipped.problems == []
    assert zipped.records == folder.records


def test_a_workbook_parses_the_same_as_the_folder(tmp_path):
    book = workbook_from(SAMPLE, tmp_path / "bundle.xlsx")
    folder, workbook = parse_bundle(SAMPLE), parse_bundle(book)
    assert workbook.problems == []
    assert workbook.records == folder.records


def test_a_workbook_reports_problems_by_sheet_row(tmp_path):
    folder = copy_sample(tmp_path / "bundle")
    set_cell(folder, "jobs.csv", 4, "start_date", "2025-02-30")
    set_cell(folder, "clients.csv", 3, "status_at_entry", "retired")
    from_folder = [str(p) for p in parse_bundle(folder).problems]
    book = workbook_from(folder, tmp_path / "bundle.xlsx")
    assert [str(p) for p in parse_bundle(book).problems] == from_folder


def test_something_that_is_not_a_bundle_is_refused(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"not a zip")
    assert parse_bundle(path).problems[0].file == "bundle.zip"
    assert not parse_bundle(tmp_path / "missing.txt").ok


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.lists(st.sampled_from(['"', ",", "\n", "\r", "C-1", "yes", "\x00", "é", ";"])).map(
            lambda parts: ("ref,client_ref,session_date,kind\n" + "".join(parts)).encode()
        ),
    )
)
def test_any_bytes_give_problems_never_an_exception(tmp_path, data):
    folder = tmp_path / "hostile"
    folder.mkdir(exist_ok=True)
    (folder / "benefits_sessions.csv").write_bytes(data)
    result = parse_bundle(folder)
    assert all(isinstance(p.line, int) and p.line >= 1 for p in result.problems)
