"""Small builders of plain rows for the fidelity unit tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientRow,
    EmployerContactRow,
    JobRow,
    MeasureRow,
    ProgramData,
    ReferralRow,
    StaffRow,
    WeeklyReviewRow,
)

ES = "es@example.org"
ES2 = "es2@example.org"
_seq = count(1)


def d(iso: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(iso)


def plus(day: date, n: int) -> date:
    """``day`` + n days."""
    return day + timedelta(days=n)


def staff(email: str = ES, fte: str = "1.0", teams=("T1",), role="specialist", active=True):
    """A staff row."""
    return StaffRow(email, role, Decimal(fte), active, tuple(teams))


def client(ref: str, entry: date, specialist: str = ES, **kw) -> ClientRow:
    """A client row, status unemployed, team T1 unless told."""
    status = kw.pop("status_at_entry", "unemployed")
    closed, started = kw.pop("closed_on", None), kw.pop("profile_started_on", None)
    kw = {
        "treatment_team_ref": "T1",
        "closure_reason": None,
        "preferred_job_types": (),
        "trial_arm": None,
    } | kw
    return ClientRow(ref, entry, specialist, status, closed, started, **kw)


def job(
    client_ref: str, start: date, *, end=None, employer="E1", job_type="9412", competitive=True, ref=None
):
    """A job row, with a fresh ref unless told."""
    return JobRow(
        ref or f"J-{next(_seq):06d}",
        client_ref,
        start,
        end,
        employer_ref=employer,
        hours_per_week=Decimal("20"),
        competitive=competitive,
        job_type=job_type,
        hours_changes=(),
    )


def employer_contact(day: date, *, specialist=ES, clients=(), mode="face_to_face", **kw):
    """An employer contact with a fresh ref."""
    ref = f"EC-{next(_seq):06d}"
    kw = {"employer_ref": kw.pop("employer", "E1"), "job_type": None, "minutes": 0} | kw
    return EmployerContactRow(ref, day, mode, tuple(clients), specialist_email=specialist, **kw)


def client_contact(client_ref: str, day: date, *, staff_email=ES, mode="face_to_face", **kw):
    """A client contact with a fresh ref, purpose follow_along unless told."""
    ref = f"CC-{next(_seq):06d}"
    purpose = kw.pop("purpose", "follow_along")
    kw = {"location": "office", "minutes": 0} | kw
    return ClientContactRow(ref, client_ref, day, mode, purpose, staff_email=staff_email, **kw)


def benefits(client_ref: str, day: date, trained: bool = False) -> BenefitsSessionRow:
    """A benefits session with a fresh ref."""
    return BenefitsSessionRow(f"BS-{next(_seq):06d}", client_ref, day, trained_planner=trained)


def measure(client_ref: str, day: date, timepoint: str) -> MeasureRow:
    """An outcome measure with a fresh ref and no answers."""
    return MeasureRow(
        f"M-{next(_seq):06d}", client_ref, day, timepoint, odi=(None,) * 10, eq_vas=None, pain_nrs=None
    )


def referral(ref: str, day: date, decision: str, reason=None) -> ReferralRow:
    """A referral row."""
    return ReferralRow(ref, day, decision, reason)


def review(week_start: date, specialist: str = ES) -> WeeklyReviewRow:
    """A weekly review of one specialist's week."""
    return WeeklyReviewRow(specialist, week_start, plus(week_start, 8))


def program(**rows) -> ProgramData:
    """A ProgramData with one specialist unless staff is given."""
    rows.setdefault("staff", [staff()])
    return ProgramData("P1", **rows)
