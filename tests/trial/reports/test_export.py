"""The analysis export: rows, codebook, checksum, labelled .dta/.sav, and the outcome numbers
recomputed from it independently."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date, timedelta

import pyreadstat
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from caseload.trial.export import CSV_NOTE, canonical_csv, write_export
from caseload.trial.reports.outcomes import trial_outcomes
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, TrialData
from tests.trial.reports.generated import ARMS, TIMEPOINTS, generated_trial

AS_OF = date(2026, 6, 1)


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def recompute(rows: list[dict]) -> dict:
    """The primary outcome from the export's rows alone, the way a statistician would."""
    by_person: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_person.setdefault(row["participant"], {})[row["timepoint"]] = row
    result: dict = {}
    for person in by_person.values():
        arm = person["baseline"]["arm"]
        counts = result.setdefault(arm, {"randomised": 0, "assessed_12m": 0, "employed_12m": 0})
        counts["randomised"] += 1
        if person["12m"]["status"] != "assessed":
            continue
        counts["assessed_12m"] += 1
        if any(person[t]["employed_since_last"] == "1" or person[t]["job_now"] == "1" for t in ("6m", "12m")):
            counts["employed_12m"] += 1
    return result


@pytest.mark.parametrize("seed", [1, 7, 2024, 99991])
def test_the_outcome_numbers_equal_an_independent_computation_from_the_export(seed):
    data = generated_trial(seed, 80)
    outcomes = trial_outcomes(data, AS_OF)
    again = recompute(_rows(canonical_csv(data, AS_OF)))
    for code, arm in outcomes["arms"].items():
        mine = {k: arm[k] for k in ("randomised", "assessed_12m", "employed_12m")}
        assert mine == again.get(code, {"randomised": 0, "assessed_12m": 0, "employed_12m": 0})
    ips, tau = again.get("ips"), again.get("tau")
    if outcomes["difference"] is not None:
        low, high = confint_proportions_2indep(
            ips["employed_12m"],
            ips["assessed_12m"],
            tau["employed_12m"],
            tau["assessed_12m"],
            method="newcomb",
        )
        assert outcomes["difference"]["ci95"] == [pytest.approx(100 * low), pytest.approx(100 * high)]


def _tricky() -> TrialData:
    people = (ParticipantRow("P-0001", "ips", date(2025, 1, 2), stratum="site=oslo"),)
    rows = (
        AssessmentRow("P-0001", "baseline", date(2025, 1, 2), mode="in_person", eq_vas=40, odi=(1,) * 10),
        AssessmentRow(
            "P-0001", "6m", date(2025, 7, 3), employed_since_last=True, hours=37.5, benefits=("=cmd",)
        ),
    )
    return TrialData(
        "TR-001",
        "T",
        ARMS,
        TIMEPOINTS,
        10,
        "NCT02697656",
        (),
        people,
        rows,
        date(2026, 1, 1),
        (("AS-1", "2026-02-01", "typo"),),
    )


def test_the_csv_writes_text_as_it_is_and_the_manifest_carries_lock_checksum_and_corrections(tmp_path):
    info = write_export(_tricky(), AS_OF, tmp_path, "csv")
    data = (tmp_path / "trial.csv").read_bytes()
    assert info["sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads((tmp_path / "manifest.json").read_text()) == info
    assert info["locked_on"] == "2026-01-01" and info["rows"] == 4
    assert info["corrections"] == [{"record": "AS-1", "on": "2026-02-01", "reason": "typo"}]
    rows = _rows(data)
    assert [r["timepoint"] for r in rows] == ["baseline", "6m", "12m", "24m"]
    assert rows[1]["benefits"] == "=cmd" and rows[1]["hours"] == "37.5"
    assert rows[0]["odi_percent"] == "20.0" and rows[0]["assessed_on"] == "2025-01-02"
    assert rows[2]["status"] == "lost" and rows[2]["not_done_reason"] == "no_assessment"
    codebook = (tmp_path / "codebook.csv").read_text()
    assert CSV_NOTE in codebook
    assert (
        "arm,Arm allocated (intention to treat),category,ips=IPS + treatment as usual; tau=Treatment as usual"
        in codebook
    )


@pytest.mark.parametrize("fmt", ["dta", "sav"])
def test_stata_and_spss_files_carry_variable_and_value_labels(tmp_path, fmt):
    write_export(_tricky(), AS_OF, tmp_path, fmt)
    reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
    frame, meta = reader(str(tmp_path / f"trial.{fmt}"), apply_value_formats=True)
    assert meta.column_names_to_labels["arm"] == "Arm allocated (intention to treat)"
    assert list(frame["arm"]) == ["IPS + treatment as usual"] * 4
    assert list(frame["timepoint"]) == ["baseline", "6m", "12m", "24m"]
    assert frame["employed_since_last"][1] == "yes"
    assert frame["hours"][1] == 37.5
    assert frame["stratum"][0] == "site=oslo"
    assert str(frame["enrolled_on"][0])[:10] == "2025-01-02"


def test_rows_follow_the_as_of_day():
    data = generated_trial(5, 40)
    early = _rows(canonical_csv(data, date(2024, 6, 1)))
    late = _rows(canonical_csv(data, date(2024, 6, 1) + timedelta(days=900)))
    assert len(early) <= len(late)
    assert len(late) == 4 * sum(1 for p in data.participants if p.enrolled_on <= date(2026, 11, 18))
