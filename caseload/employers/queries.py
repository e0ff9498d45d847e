"""Reads of the employer directory and the job development log (no writes, no commits)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.clients.scoping import scoped_clients
from caseload.employers.models import Employer, EmployerContact, WeeklyReview
from caseload.employers.rules import FACE_TO_FACE
from caseload.metrics.periods import counts_by_week, recent_mondays, week_end
from caseload.teams.models import JobType

SEARCH_LIMIT = 100


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """One week of a specialist's log: face-to-face employer contacts and the review, if any."""

    monday: date
    count: int
    review: WeeklyReview | None


def week_counts_for(session: Session, specialist_ids: Iterable[int], monday: date) -> dict[int, int]:
    """Face-to-face employer contacts per specialist in the ISO week starting ``monday`` (one query)."""
    ids = list(dict.fromkeys(specialist_ids))
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    stmt = (
        select(EmployerContact.specialist_id, func.count())
        .where(
            EmployerContact.specialist_id.in_(ids),
            EmployerContact.mode == FACE_TO_FACE,
            EmployerContact.contact_date.between(monday, week_end(monday)),
        )
        .group_by(EmployerContact.specialist_id)
    )
    counts.update({sid: n for sid, n in session.execute(stmt)})
    return counts


def week_face_to_face_count(session: Session, specialist_id: int, monday: date) -> int:
    """Face-to-face employer contacts of one specialist in the ISO week starting ``monday``."""
    return week_counts_for(session, [specialist_id], monday)[specialist_id]


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def employers_search(session: Session, q: str | None, limit: int = SEARCH_LIMIT) -> list[Employer]:
    """Employers whose name contains ``q`` (any case), or whose organisation number starts with it."""
    stmt = select(Employer).order_by(func.lower(Employer.name), Employer.ref).limit(limit)
    if q:
        digits = "".join(q.split())
        stmt = stmt.where(
            or_(
                func.lower(Employer.name).contains(q.lower(), autoescape=True),
                Employer.org_number.startswith(digits, autoescape=True) if _is_digits(digits) else false(),
            )
        )
    return list(session.scalars(stmt))


def employer_choices(session: Session) -> list[tuple[str, str]]:
    """(ref, name) of every employer, by name, for the contact form."""
    rows = session.execute(select(Employer.ref, Employer.name).order_by(func.lower(Employer.name)))
    return [(ref, name) for ref, name in rows]


def industries(session: Session) -> list[str]:
    """The industries used so far, as suggestions."""
    stmt = select(Employer.industry).where(Employer.industry.is_not(None)).distinct()
    return sorted(session.scalars(stmt), key=str.lower)


def program_specialists(session: Session, program_id: int, *, active_only: bool = False) -> list[User]:
    """The employment specialists of a programme, by name."""
    stmt = select(User).where(User.program_id == program_id, User.role == "specialist")
    if active_only:
        stmt = stmt.where(User.active)
    return list(session.scalars(stmt.order_by(User.name)))


def job_type_labels(session: Session, program_id: int) -> dict[str, str]:
    """The programme's job-type codes with their labels, by label."""
    stmt = select(JobType.code, JobType.label).where(JobType.program_id == program_id)
    return dict(sorted(session.execute(stmt).tuples(), key=lambda row: row[1].lower()))


def client_choices(session: Session, user: User, linked: Iterable[Client] = ()) -> list[tuple[str, str]]:
    """(ref, name) of the open clients ``user`` may see, plus visible clients already linked."""
    linked_ids = [c.id for c in linked]
    stmt = scoped_clients(user).where(or_(Client.closed_on.is_(None), Client.id.in_(linked_ids)))
    return [(c.ref, f"{c.name} ({c.ref})") for c in session.scalars(stmt.order_by(Client.name, Client.ref))]


def _with_details(stmt):
    return stmt.options(
        joinedload(EmployerContact.employer),
        joinedload(EmployerContact.specialist),
        selectinload(EmployerContact.clients),
    )


def week_contacts(session: Session, specialist_id: int, monday: date) -> list[EmployerContact]:
    """A specialist's employer contacts in one ISO week, with employer and clients loaded."""
    stmt = select(EmployerContact).where(
        EmployerContact.specialist_id == specialist_id,
        EmployerContact.contact_date.between(monday, week_end(monday)),
    )
    stmt = stmt.order_by(EmployerContact.contact_date, EmployerContact.id)
    return list(session.scalars(_with_details(stmt)).unique())


def employer_contacts_of(session: Session, employer_id: int, program_id: int, limit: int = 50):
    """The latest contacts of a programme's specialists with one employer."""
    stmt = (
        select(EmployerContact)
        .join(User, User.id == EmployerContact.specialist_id)
        .where(EmployerContact.employer_id == employer_id, User.program_id == program_id)
        .order_by(EmployerContact.contact_date.desc(), EmployerContact.id.desc())
        .limit(limit)
    )
    return list(session.scalars(_with_details(stmt)).unique())


def _visible_ids(session: Session, user: User, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    stmt = scoped_clients(user).where(Client.id.in_(ids)).with_only_columns(Client.id)
    return set(session.scalars(stmt))


def visible_client_ids(session: Session, user: User, contacts: Iterable[EmployerContact]) -> set[int]:
    """Which of the clients linked to ``contacts`` ``user`` may see (one query)."""
    return _visible_ids(session, user, {c.id for contact in contacts for c in contact.clients})


def week_reviews(session: Session, specialist_ids: Iterable[int], monday: date) -> dict[int, WeeklyReview]:
    """The reviews of one week, by specialist."""
    stmt = (
        select(WeeklyReview)
        .options(joinedload(WeeklyReview.reviewer))
        .where(WeeklyReview.specialist_id.in_(list(specialist_ids)), WeeklyReview.week_start == monday)
    )
    return {r.specialist_id: r for r in session.scalars(stmt)}


def recent_weeks(session: Session, specialist_id: int, monday: date, weeks: int = 8) -> list[WeekSummary]:
    """The ``weeks`` weeks up to ``monday``, newest first: face-to-face counts and reviews."""
    mondays = recent_mondays(monday, weeks)
    first, last = mondays[-1], week_end(mondays[0])
    days = session.scalars(
        select(EmployerContact.contact_date).where(
            EmployerContact.specialist_id == specialist_id,
            EmployerContact.mode == FACE_TO_FACE,
            EmployerContact.contact_date.between(first, last),
        )
    )
    counts = counts_by_week(days, mondays)
    stmt = (
        select(WeeklyReview)
        .options(joinedload(WeeklyReview.reviewer))
        .where(WeeklyReview.specialist_id == specialist_id, WeeklyReview.week_start.between(first, last))
    )
    reviews = {r.week_start: r for r in session.scalars(stmt)}
    return [WeekSummary(m, counts[m], reviews.get(m)) for m in mondays]


def client_subset(session: Session, user: User, clients: Iterable[Client]) -> list[Client]:
    """The ones of ``clients`` that ``user`` may see."""
    clients = list(clients)
    visible = _visible_ids(session, user, {c.id for c in clients})
    return [c for c in clients if c.id in visible]
