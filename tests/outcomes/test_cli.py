"""`outcomes quarterly|employment|measures` and `report quarterly` (cli.md)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.outcomes.compare import compare
from tests.outcomes.world import BENEFITS_NOTE, build
from tests.sample_rows import EXPECTED, SAMPLE


@pytest.fixture
def world(db):
    return build(db.session)


def test_quarterly_json(runner, world):
    result = runner.invoke(
        args=["outcomes", "quarterly", "--program", world.program.ref, "--quarter", "2025Q1", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["quarter"], data["start"], data["end"]) == ("2025Q1", "2025-01-01", "2025-03-31")
    assert (data["clients_served"], data["clients_working"], data["referrals_received"]) == (3, 1, 1)
    assert abs(data["employment_rate"] - 33.333333) < 1e-6


def test_quarterly_text(runner, world):
    result = runner.invoke(
        args=["outcomes", "quarterly", "--program", world.program.ref, "--quarter", "2025Q1"]
    )
    assert result.exit_code == 0
    assert "Clients served: 3" in result.output and "33.3" in result.output


def test_employment_and_measures_json(runner, world):
    result = runner.invoke(
        args=["outcomes", "employment", "--program", world.program.ref, "--as-of", "2025-03-31", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["as_of"] == "2025-03-31" and len(data["clients"]) == 3
    # None of the three has 12 months behind them yet: left out of the summary, counted apart.
    assert (data["summary"]["all"]["n"], data["summary"]["all"]["n_incomplete"]) == (0, 3)
    assert data["summary"]["by_arm"] == {}
    result = runner.invoke(args=["outcomes", "measures", "--program", world.program.ref, "--json"])
    assert json.loads(result.stdout) == {"program": world.program.ref, "measures": []}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["outcomes", "quarterly", "--program", "NOPE", "--quarter", "2025Q1"],
            "no programme 'NOPE'",
        ),
        (["outcomes", "quarterly", "--program", "P-0001", "--quarter", "2025-Q1"], "not a quarter"),
        (
            ["outcomes", "employment", "--program", "P-0001", "--as-of", "31.03.2025"],
            "--as-of must be a date",
        ),
        (["report", "quarterly", "--program", "P-0001", "--quarter", "Q1", "-o", "x.pdf"], "not a quarter"),
    ],
)
def test_user_errors_are_one_line_and_non_zero(runner, world, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_report_quarterly_writes_a_pdf_with_the_rate_and_counts(runner, world, tmp_path):
    out = tmp_path / "q.pdf"
    args = ["report", "quarterly", "--program", world.program.ref, "--quarter", "2025Q1", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "33.3" in text and "Clients served" in text and "Referrals received" in text
    assert "2024Q2" in text and "2025Q1" in text  # the eight quarters
    assert BENEFITS_NOTE not in text


def test_report_to_an_unwritable_place_fails_cleanly(runner, world, tmp_path):
    args = ["report", "quarterly", "--program", world.program.ref, "--quarter", "2025Q1"]
    result = runner.invoke(args=[*args, "-o", str(tmp_path / "missing" / "q.pdf")])
    assert result.exit_code != 0 and "cannot write" in result.output


def _expected(pattern: str) -> list:
    return sorted(EXPECTED.glob(pattern))


@pytest.mark.slow
def test_the_commands_on_the_imported_sample_bundle_match_the_expected_files(runner, db):
    result = runner.invoke(args=["exchange", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    for path in _expected("quarterly_*.json"):
        want = json.loads(path.read_text(encoding="utf-8"))
        args = ["outcomes", "quarterly", "--program", "DEMO", "--quarter", want["quarter"], "--json"]
        assert compare(want, json.loads(runner.invoke(args=args).stdout)) == [], path.name
    for path in _expected("employment_*.json"):
        want = json.loads(path.read_text(encoding="utf-8"))
        args = ["outcomes", "employment", "--program", "DEMO", "--as-of", want["as_of"], "--json"]
        assert compare(want, json.loads(runner.invoke(args=args).stdout)) == [], path.name
    for path in _expected("measures_*.json"):
        want = json.loads(path.read_text(encoding="utf-8"))
        args = ["outcomes", "measures", "--program", "DEMO", "--json"]
        assert compare(want, json.loads(runner.invoke(args=args).stdout)) == [], path.name
