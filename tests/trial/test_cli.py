"""`flask trial screen|enrol`: bulk entry from CSV, JSON on stdout, all or nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from caseload.trial.models import Participant, Screening
from tests import factories
from tests.trial import builders


def _setup(db):
    prog = factories.program(db.session)
    factories.user(db.session, role="trial_manager", prog=prog, email="tm@example.test")
    t = builders.trial(db.session, prog=prog)
    db.session.commit()
    return t


def test_screen_and_enrol_from_csv_files(db, runner, tmp_path):
    t = _setup(db)
    screens = tmp_path / "screen.csv"
    screens.write_text(
        "screened_on,person_name,criteria_met,consent_on,exclusion_reasons,exclusion_note\n"
        "2026-01-05,Kari Nordmann,age;chronic_pain;consent,2026-01-05,,\n"
        "2026-01-06,,age,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["trial", "screen", t.ref, str(screens), "--by", "tm@example.test"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["screened"] == 2 and out["screenings"][1]["excluded"] == ["not_eligible"]
    first = out["screenings"][0]["ref"]
    enrol = tmp_path / "enrol.csv"
    enrol.write_text(
        f"screening,name,phone,enrolled_on,status\n{first},Kari Nordmann,+47 400,2026-01-05,other\n"
    )
    result = runner.invoke(args=["trial", "enrol", t.ref, str(enrol), "--by", "tm@example.test"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["participants"][0]["participant"] == "P-0001"
    assert "ips" not in result.output and "tau" not in result.output  # the arm is on the trial's pages
    assert db.session.scalar(select(Participant)).stratum == "status=other"


def test_a_bad_line_writes_nothing_and_names_the_line(db, runner, tmp_path):
    t = _setup(db)
    screens = tmp_path / "screen.csv"
    screens.write_text(
        "screened_on,person_name,criteria_met,consent_on,exclusion_reasons,exclusion_note\n"
        "2026-01-05,A,age,,,\n"
        "2026-01-06,B,age,,nonsense,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["trial", "screen", t.ref, str(screens), "--by", "tm@example.test"])
    assert result.exit_code != 0 and "line 3" in result.output
    assert db.session.scalar(select(func.count()).select_from(Screening)) == 0


def test_only_a_trial_manager_may_enter(db, runner, tmp_path):
    t = _setup(db)
    factories.user(db.session, role="assessor", prog=t.program, email="as@example.test")
    db.session.commit()
    screens = tmp_path / "screen.csv"
    screens.write_text("screened_on,person_name,criteria_met\n2026-01-05,A,age\n", encoding="utf-8")
    result = runner.invoke(args=["trial", "screen", t.ref, str(screens), "--by", "as@example.test"])
    assert result.exit_code != 0
