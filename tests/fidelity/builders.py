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
    kw.setdefault("treatment_team_ref", "T1")
    return ClientRow(ref, entry, specialist, kw.pop("status_at_entry", "unemployed"), **kw)


def job(client_ref: str, start: date, *, end=None, employer="E1", job_type="9412", competitive=True):
    """A job row with a fresh ref."""
    return JobRow(
        f"J-{next(_seq):06d}",
        client_ref,
        employer,
        start,
        Decimal("20"),
        competitive,
        job_type,
        end,
    )


def employer_contact(day: date, *, specialist=ES, clients=(), mode="face_to_face", **kw):
    """An employer contact with a fresh ref."""
    ref = f"EC-{next(_seq):06d}"
    return EmployerContactRow(ref, day, specialist, kw.pop("employer", "E1"), mode, tuple(clients), **kw)


def client_contact(client_ref: str, day: date, *, staff_email=ES, mode="face_to_face", **kw):
    """A client contact with a fresh ref, purpose follow_along unless told."""
    ref = f"CC-{next(_seq):06d}"
    purpose = kw.pop("purpose", "follow_along")
    return ClientContactRow(ref, client_ref, staff_email, day, mode, purpose, **kw)


def benefits(client_ref: str, day: date, trained: bool = False) -> BenefitsSessionRow:
    """A benefits session with a fresh ref."""
    return BenefitsSessionRow(f"BS-{next(_seq):06d}", client_ref, day, trained)


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
