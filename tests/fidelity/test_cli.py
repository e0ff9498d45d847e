"""`fidelity compute` and `report fidelity`; the database path gives the pure functions' numbers."""

from __future__ import annotations

import json

import pytest

from caseload.fidelity.scoring import compute_fidelity
from tests import factories
from tests.fidelity.compare import compare
from tests.fidelity.conftest import AS_OF, days_before
from tests.reference_rows import program_data
from tests.reports.test_pdf import pdf_text
from tests.sample_rows import EXPECTED, SAMPLE


def _compute(runner, *args):
    return runner.invoke(args=["fidelity", "compute", *args])


def test_compute_json_matches_the_pure_functions_on_every_record(runner, db, programme):
    old = factories.client(db.session, programme.spec, entry=days_before(900), name="Long-time Client")
    for n in (600, 500):  # disclosure talks long before the look-back of the other items
        factories.contact(db.session, old, programme.spec, on=days_before(n), purpose="disclosure")
    db.session.commit()
    out = _compute(runner, "--program", programme.program.ref, "--as-of", AS_OF.isoformat(), "--json")
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    full = compute_fidelity(program_data(db.session, programme.program), AS_OF).as_json()
    assert got == json.loads(json.dumps(full))
    assert got["evidence"]["V2"]["met"] >= 1


def test_compute_prints_a_readable_summary(runner, programme):
    out = _compute(runner, "--program", programme.program.ref, "--as-of", AS_OF.isoformat())
    assert out.exit_code == 0 and "S1" in out.output and "Caseload size" in out.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "NOPE"], "no programme 'NOPE'"),
        (["--program", "P-0001", "--as-of", "31.12.2026"], "--as-of"),
    ],
)
def test_compute_fails_in_one_line(runner, programme, args, message):
    out = _compute(runner, *args)
    assert out.exit_code != 0 and message in out.output and "Traceback" not in out.output


def test_report_fidelity_writes_the_pdf(runner, programme, tmp_path):
    target = tmp_path / "report.pdf"
    args = [
        "report",
        "fidelity",
        "--program",
        programme.program.ref,
        "--as-of",
        AS_OF.isoformat(),
        "-o",
        str(target),
    ]
    out = runner.invoke(args=args)
    assert out.exit_code == 0, out.output
    text = pdf_text(target.read_bytes(), tmp_path, layout=False)
    assert "S1 Caseload size" in text and "V14 Assertive engagement" in text


def test_report_fidelity_says_why_it_cannot_write(runner, programme, tmp_path):
    args = ["report", "fidelity", "--program", programme.program.ref, "-o", str(tmp_path / "no" / "x.pdf")]
    out = runner.invoke(args=args)
    assert out.exit_code != 0 and "cannot write" in out.output


@pytest.mark.parametrize("path", sorted(EXPECTED.glob("fidelity_*.json")), ids=lambda p: p.name)
def test_sample_bundle_after_import_matches_through_the_cli(runner, db, path):
    imported = runner.invoke(args=["exchange", "import", str(SAMPLE)])
    assert imported.exit_code == 0, imported.output
    expected = json.loads(path.read_text(encoding="utf-8"))
    out = _compute(runner, "--program", expected["program"], "--as-of", expected["as_of"], "--json")
    assert out.exit_code == 0, out.output
    assert compare(expected, json.loads(out.output)) == []
