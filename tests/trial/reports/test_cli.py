"""`trial consort|outcomes|export|lock` on a trial in the database."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pyreadstat
from sqlalchemy import func, select
from statsmodels.stats.proportion import confint_proportions_2indep

from caseload.auth.models import AuditEvent
from caseload.trial.models import TrialLock
from tests.trial.reports.world import trial_world

AS_OF = "2025-09-01"


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_consort_json_adds_up_and_names_the_excluded(db, runner):
    trial, *_ = trial_world(db.session)
    db.session.commit()
    flow = _json(runner.invoke(args=["trial", "consort", "--json", "--as-of", AS_OF, "--trial", trial.ref]))
    assert flow["screened"] == 26 and flow["randomised"] == 24
    assert flow["excluded"] == {"n": 2, "reasons": {"declined": 1, "not_eligible": 1}}
    assert sum(arm["allocated"] for arm in flow["arms"].values()) == 24
    for arm in flow["arms"].values():
        for tp in arm["timepoints"].values():
            assert (
                tp["assessed"] + sum(tp["lost"].values()) + tp["discontinued"] + tp["not_due"]
                == arm["allocated"]
            )
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "trial_consort")) == 1


def _recompute(rows: list[dict]) -> dict:
    """The primary outcome from the export alone."""
    people: dict[str, dict[str, dict]] = {}
    for row in rows:
        people.setdefault(row["participant"], {})[row["timepoint"]] = row
    counts: dict[str, list[int]] = {}
    for person in people.values():
        n = counts.setdefault(person["baseline"]["arm"], [0, 0, 0])
        n[0] += 1
        if person["12m"]["status"] == "assessed":
            n[1] += 1
            n[2] += any(
                "1" in (person[t]["employed_since_last"], person[t]["job_now"]) for t in ("6m", "12m")
            )
    return counts


def test_outcomes_json_equals_an_independent_computation_from_the_export(db, runner, tmp_path):
    trial, *_ = trial_world(db.session, people=30, seed=11)
    db.session.commit()
    outcomes = _json(runner.invoke(args=["trial", "outcomes", "--json", "--as-of", AS_OF]))
    info = _json(runner.invoke(args=["trial", "export", str(tmp_path), "--as-of", AS_OF]))
    data = (tmp_path / "trial.csv").read_bytes()
    assert info["sha256"] == hashlib.sha256(data).hexdigest()
    counts = _recompute(list(csv.DictReader(io.StringIO(data.decode()))))
    for code, arm in outcomes["arms"].items():
        assert [arm["randomised"], arm["assessed_12m"], arm["employed_12m"]] == counts[code]
        assert arm["pct_employed_12m"] == (
            100 * counts[code][2] / counts[code][1] if counts[code][1] else None
        )
    (a, b), (ips, tau) = outcomes["difference"]["arms"], (counts["ips"], counts["tau"])
    assert (a, b) == ("ips", "tau")
    low, high = confint_proportions_2indep(ips[2], ips[1], tau[2], tau[1], method="newcomb")
    assert outcomes["difference"]["ci95"] == [100 * low, 100 * high]


def test_export_writes_a_labelled_dta_and_sav(db, runner, tmp_path):
    trial_world(db.session, people=6)
    db.session.commit()
    for fmt in ("dta", "sav"):
        _json(runner.invoke(args=["trial", "export", str(tmp_path / fmt), "--format", fmt, "--as-of", AS_OF]))
        reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
        frame, meta = reader(str(tmp_path / fmt / f"trial.{fmt}"), apply_value_formats=True)
        assert len(frame) == 6 * 4
        assert set(frame["arm"]) <= {"IPS + treatment as usual", "Treatment as usual"}
        assert meta.column_names_to_labels["status"] == "Follow-up state at the export date"


def test_lock_by_the_statistician_carries_into_the_export_and_a_second_lock_is_refused(db, runner, tmp_path):
    trial, _prog, statistician, manager = trial_world(db.session, people=4)
    db.session.commit()
    refused = runner.invoke(args=["trial", "lock", "--by", manager.email, "--on", "2025-06-30"])
    assert refused.exit_code != 0 and "not a statistician" in refused.output
    locked = _json(runner.invoke(args=["trial", "lock", "--by", statistician.email, "--on", "2025-06-30"]))
    assert locked["locked_on"] == "2025-06-30" and len(locked["sha256"]) == 64
    again = runner.invoke(args=["trial", "lock", "--by", statistician.email, "--on", "2025-07-30"])
    assert again.exit_code != 0 and "already locked" in again.output
    assert db.session.scalar(select(func.count()).select_from(TrialLock)) == 1
    info = _json(runner.invoke(args=["trial", "export", str(tmp_path)]))
    assert info["locked_on"] == "2025-06-30" and info["as_of"] == "2025-06-30"
    assert info["sha256"] == locked["sha256"]


def test_commands_fail_in_one_line_on_a_bad_date_or_no_trial(db, runner):
    assert "no trial" in runner.invoke(args=["trial", "consort", "--json"]).output
    trial_world(db.session, people=1)
    db.session.commit()
    bad = runner.invoke(args=["trial", "outcomes", "--json", "--as-of", "yesterday"])
    assert bad.exit_code != 0 and "--as-of must be a date" in bad.output and "Traceback" not in bad.output
