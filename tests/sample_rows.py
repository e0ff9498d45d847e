"""The sample bundle read straight into plain rows, for checks without a database."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientRow,
    EmployerContactRow,
    HoursChangeRow,
    JobRow,
    MeasureRow,
    ProgramData,
    ReferralRow,
    StaffRow,
    WeeklyReviewRow,
)

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "sample-bundle"
EXPECTED = SAMPLE.parent / "sample-bundle-expected"


def _read(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _d(v: str) -> date | None:
    return date.fromisoformat(v) if v else None


def _b(v: str, default: bool = False) -> bool:
    return v.lower() in ("true", "yes", "1") if v else default


def _list(v: str) -> tuple[str, ...]:
    return tuple(x for x in v.split(";") if x) if v else ()


def _int(v: str) -> int | None:
    return int(v) if v else None


def sample_program_data() -> ProgramData:
    """Read ../shared/data/sample-bundle into a ProgramData for programme DEMO."""
    data = ProgramData(program_ref="DEMO")
    data.staff = [
        StaffRow(
            r["email"],
            r["role"],
            Decimal(r["fte"] or "1.0"),
            _b(r["active"], True),
            _list(r["treatment_team_refs"]),
        )
        for r in _read("staff.csv")
    ]
    data.clients = [
        ClientRow(
            r["ref"],
            _d(r["entry_date"]),
            r["specialist_email"],
            r["status_at_entry"],
            _d(r["closed_on"]),
            _d(r["profile_started_on"]),
            treatment_team_ref=r["treatment_team_ref"] or None,
            closure_reason=r["closure_reason"] or None,
            preferred_job_types=_list(r["preferred_job_types"]),
            trial_arm=r["trial_arm"] or None,
        )
        for r in _read("clients.csv")
    ]
    data.referrals = [
        ReferralRow(r["ref"], _d(r["received_on"]), r["decision"], r["reason"] or None)
        for r in _read("referrals.csv")
    ]
    data.employer_contacts = [
        EmployerContactRow(
            r["ref"],
            _d(r["contact_date"]),
            r["mode"],
            _list(r["client_refs"]),
            specialist_email=r["specialist_email"],
            employer_ref=r["employer_ref"],
            job_type=r["job_type"] or None,
            minutes=int(r["minutes"] or 0),
        )
        for r in _read("employer_contacts.csv")
    ]
    data.weekly_reviews = [
        WeeklyReviewRow(r["specialist_email"], _d(r["week_start"]), _d(r["reviewed_on"]))
        for r in _read("weekly_reviews.csv")
    ]
    hours: dict[str, list[HoursChangeRow]] = {}
    for r in _read("job_hours.csv"):
        hours.setdefault(r["job_ref"], []).append(
            HoursChangeRow(_d(r["effective_from"]), Decimal(r["hours_per_week"]))
        )
    comp = ("open_to_anyone", "min_wage_or_above", "paid_by_employer", "integrated_setting")
    data.jobs = [
        JobRow(
            r["ref"],
            r["client_ref"],
            _d(r["start_date"]),
            _d(r["end_date"]),
            employer_ref=r["employer_ref"],
            hours_per_week=Decimal(r["hours_per_week"]),
            competitive=all(_b(r[c]) for c in comp) and not _b(r["set_aside"]) and not _b(r["time_limited"]),
            job_type=r["job_type"] or None,
            hours_changes=tuple(sorted(hours.get(r["ref"], []), key=lambda h: h.effective_from)),
        )
        for r in _read("jobs.csv")
    ]
    data.benefits_sessions = [
        BenefitsSessionRow(
            r["ref"], r["client_ref"], _d(r["session_date"]), trained_planner=_b(r["trained_planner"])
        )
        for r in _read("benefits_sessions.csv")
    ]
    data.client_contacts = [
        ClientContactRow(
            r["ref"],
            r["client_ref"],
            _d(r["contact_date"]),
            r["mode"],
            r["purpose"],
            staff_email=r["staff_email"],
            location=r["location"] or ("office" if r["mode"] == "face_to_face" else "remote"),
            minutes=int(r["minutes"] or 0),
        )
        for r in _read("client_contacts.csv")
    ]
    data.measures = [
        MeasureRow(
            r["ref"],
            r["client_ref"],
            _d(r["measured_on"]),
            r["timepoint"],
            odi=tuple(_int(r[f"odi_{i}"]) for i in range(1, 11)),
            eq_vas=_int(r["eq_vas"]),
            pain_nrs=_int(r["pain_nrs"]),
        )
        for r in _read("outcome_measures.csv")
    ]
    return data
