"""The pure outcome functions on the sample bundle give the independently computed numbers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from caseload.outcomes.employment import employment_json
from caseload.outcomes.proms import measures_json
from caseload.outcomes.quarterly import Quarter, quarterly_outcome
from tests.outcomes.compare import compare
from tests.sample_rows import EXPECTED, sample_program_data


def _files(pattern: str) -> list:
    files = sorted(EXPECTED.glob(pattern))
    assert files, f"no expected files {pattern}"
    return files


@pytest.mark.parametrize("path", _files("quarterly_*.json"), ids=lambda p: p.name)
def test_quarterly_matches_expected(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    actual = quarterly_outcome(sample_program_data(), Quarter.parse(expected["quarter"])).as_json()
    assert compare(expected, actual) == []


@pytest.mark.parametrize("path", _files("employment_*.json"), ids=lambda p: p.name)
def test_employment_matches_expected(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    actual = employment_json(sample_program_data(), date.fromisoformat(expected["as_of"]))
    assert compare(expected, actual) == []


@pytest.mark.parametrize("path", _files("measures_*.json"), ids=lambda p: p.name)
def test_measures_match_expected(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert compare(expected, measures_json(sample_program_data())) == []


def test_the_comparison_notices_a_wrong_number():
    expected = {"a": 1.0, "rows": [], "_skip": []}
    assert compare(expected, {"a": 1.2, "rows": []}) == ["a: expected 1.0, got 1.2"]
    assert compare({"n": 1}, {"n": True}) != []
    assert compare({"n": 1, "_skip": ["n"]}, {"n": 2}) == []
