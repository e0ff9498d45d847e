"""The table of rule cases the rule tests run: one row per rule (and per block of a job rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from caseload.rows import (
    BenefitsFact,
    ClientFact,
    ContactFact,
    FinalReviewRow,
    JobFact,
    MeasureFact,
    RuleData,
    StaffRow,
    VisitFact,
    WeeklyReviewRow,
)

SPEC = "spec@example.org"
SUP = "sup@example.org"
ENTRY = date(2025, 1, 6)  # a Monday
START = date(2025, 3, 3)  # the job's start, a Monday
LAST_CONTACT = date(2025, 2, 3)  # the only contact that counts, for the outreach case
WEEK = date(2025, 2, 3)  # the reviewed week, for the weekly_log_review case


def d(n: int) -> timedelta:
    return timedelta(days=n)


def base(*, job: bool = False, ended: date | None = None, contact: bool = False) -> RuleData:
    """A specialist, a supervisor, a client entered on ENTRY; optionally a job and a contact."""
    data = RuleData(program_ref="P", first_entry=ENTRY)
    data.staff = [
        StaffRow(SPEC, "specialist", Decimal("1.0"), True),
        StaffRow(SUP, "supervisor", Decimal("1.0"), True),
    ]
    data.clients = [ClientFact("C1", ENTRY, SPEC, "unemployed")]
    if job:
        data.jobs = [JobFact("J1", "C1", START, ended)]
    if contact:
        data.client_contacts = [contact_row("X0", LAST_CONTACT, "phone", "engagement")]
    return data


def contact_row(ref: str, day: date, mode: str = "face_to_face", purpose: str = "follow_along"):
    return ContactFact(ref, "C1", day, mode, purpose)


def add_contact(mode: str = "face_to_face", purpose: str = "follow_along"):
    def add(data: RuleData, day: date) -> None:
        data.client_contacts.append(contact_row("X1", day, mode, purpose))

    return add


def add_employer_contact(data: RuleData, day: date) -> None:
    data.employer_contacts.append(VisitFact("EC1", day, "face_to_face", ("C1",)))


def add_benefits(data: RuleData, day: date) -> None:
    data.benefits_sessions.append(BenefitsFact("B1", "C1", day))


def add_measure(timepoint: str):
    def add(data: RuleData, day: date) -> None:
        data.measures.append(MeasureFact("M1", "C1", day, timepoint))

    return add


def start_profile(data: RuleData, day: date) -> None:
    data.clients = [replace(data.clients[0], profile_started_on=day)]


def add_weekly_review(data: RuleData, day: date) -> None:
    data.weekly_reviews.append(WeeklyReviewRow(SPEC, WEEK, day))


def add_final_review(data: RuleData, day: date) -> None:
    data.final_reviews.append(FinalReviewRow(day, 90))


@dataclass(frozen=True)
class Case:
    """A rule instance, how to build its data, satisfy it, and un-satisfy it by a date change."""

    rule: str
    due: date
    data: Callable[[], RuleData]
    satisfy: Callable[[RuleData, date], None]
    good: date  # a satisfying record dated here satisfies the instance
    bad: date  # the same record dated here does not (sweeps run on due + 5)
    first_seen: int = -7  # the earliest t, relative to due, whose sweep creates the prompt
    expires: bool = True  # not prompted any more 31 days after due
    job_end_kills: date | None = None  # a job end on this day makes the instance void
    job_end_keeps: date | None = None  # a job end on this day keeps it

    @property
    def id(self) -> str:
        return f"{self.rule}@{self.due.isoformat()}"


def _job() -> RuleData:
    return base(job=True)


def _weekly(k: int) -> Case:
    lo = START + d(7 * k)
    return Case(
        "weekly_followup",
        lo + d(6),
        _job,
        add_contact(),
        lo + d(3),
        lo - d(1),
        job_end_kills=lo - d(1),
        job_end_keeps=lo,
    )


def _monthly(m: int) -> Case:
    hi = START + d(27 + 30 * m)
    return Case(
        "monthly_followup",
        hi,
        _job,
        add_contact("face_to_face"),
        hi - d(29),
        hi - d(30),
        job_end_kills=hi + d(4),  # ended before the sweep on due + 5: not ongoing
        job_end_keeps=hi + d(5),
    )


CASES: list[Case] = [
    Case(
        "first_contact",
        ENTRY + d(3),
        base,
        add_contact("phone", "engagement"),
        ENTRY,
        ENTRY - d(1),
        first_seen=-3,  # the client is in scope from entry on
    ),
    Case("career_profile", ENTRY + d(14), base, start_profile, ENTRY + d(2), ENTRY + d(20)),
    Case("rapid_job_search", ENTRY + d(21), base, add_employer_contact, ENTRY, ENTRY - d(1)),
    Case("disclosure", ENTRY + d(60), base, add_contact("phone", "disclosure"), ENTRY, ENTRY - d(1)),
    Case(
        "outreach",
        LAST_CONTACT + d(14),
        lambda: base(contact=True),
        add_contact("video", "engagement"),
        LAST_CONTACT + d(16),
        LAST_CONTACT,
        first_seen=1,
    ),
    Case("outcome_baseline", ENTRY, base, add_measure("baseline"), ENTRY, ENTRY + d(6), first_seen=0),
    Case("outcome_6m", ENTRY + d(182), base, add_measure("6m"), ENTRY, ENTRY + d(188)),
    Case("outcome_12m", ENTRY + d(365), base, add_measure("12m"), ENTRY, ENTRY + d(371)),
    Case(
        "benefits_before_start",
        START - d(7),
        _job,
        add_benefits,
        START - d(3),
        ENTRY - d(1),
        job_end_keeps=START,
    ),
    Case(
        "pre_start_contact",
        START - d(7),
        _job,
        add_contact(),
        START - d(3),
        START - d(8),
        job_end_keeps=START,
    ),
    Case(
        "start_followup",
        START + d(3),
        _job,
        add_contact(),
        START + d(3),
        START + d(4),
        job_end_keeps=START,
    ),
    _weekly(1),
    _weekly(2),
    _weekly(3),
    _monthly(1),
    _monthly(2),
    Case(
        "job_loss_contact",
        START + d(40 + 3),
        lambda: base(job=True, ended=START + d(40)),
        add_contact("phone"),
        START + d(40),
        START + d(39),
    ),
    Case(
        "weekly_log_review",
        WEEK + d(7),
        base,
        add_weekly_review,
        WEEK + d(8),
        WEEK + d(13),
        first_seen=0,
    ),
    Case(
        "fidelity_review",
        ENTRY + d(90),
        base,
        add_final_review,
        ENTRY + d(60),
        ENTRY + d(96),
        expires=False,
    ),
]
