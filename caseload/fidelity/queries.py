"""Reads for fidelity: the rows that feed the pure functions, reviews, logs, records behind items."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import Select, literal, select
from sqlalchemy.orm import Session, selectinload

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import Employer, EmployerContact, employer_contact_clients
from caseload.fidelity.catalogue import BY_KEY, ITEM_KEYS
from caseload.fidelity.loading import fidelity_input
from caseload.fidelity.log_evidence import (
    LogRow,
    supervision_evidence,
    team_meeting_evidence,
    vocational_evidence,
)
from caseload.fidelity.models import FidelityReview
from caseload.fidelity.own_work import own_work
from caseload.fidelity.refs import Refs
from caseload.fidelity.scoring import FidelityResult, compute_fidelity
from caseload.jobs.models import Job
from caseload.metrics.periods import activity_window
from caseload.metrics.scope import specialists_in_scope
from caseload.rows import StaffRow
from caseload.teams.models import Program, SupervisionSession, TeamMeeting, VocationalContact

CHUNK = 500


def fidelity_result(
    session: Session, program: Program, as_of: date, *, specialist_email: str | None = None
) -> FidelityResult:
    """Every computed item and evidence object as of A; one specialist's own work when given."""
    data, contacts = fidelity_input(session, program, as_of)
    return compute_fidelity(own_work(data, specialist_email) if specialist_email else data, as_of, contacts)


def reviews_of(session: Session, program: Program) -> list[FidelityReview]:
    """The programme's reviews, newest first."""
    stmt = select(FidelityReview).where(FidelityReview.program_id == program.id)
    return list(session.scalars(stmt.order_by(FidelityReview.review_date.desc(), FidelityReview.id.desc())))


def final_reviews(session: Session, program: Program, *, until: date | None = None) -> list[FidelityReview]:
    """The programme's final reviews, oldest first (the trend), up to ``until`` when given."""
    stmt = (
        select(FidelityReview)
        .options(selectinload(FidelityReview.items))
        .where(FidelityReview.program_id == program.id, FidelityReview.status == "final")
    )
    if until is not None:
        stmt = stmt.where(FidelityReview.review_date <= until)
    return list(session.scalars(stmt.order_by(FidelityReview.review_date, FidelityReview.id)))


def final_review_totals(session: Session, program_id: int) -> list[tuple[date, int | None]]:
    """Date and total of the programme's final reviews (the ``fidelity_review`` prompt's rows)."""
    stmt = select(FidelityReview.review_date, FidelityReview.total).where(
        FidelityReview.program_id == program_id, FidelityReview.status == "final"
    )
    return [(d, total) for d, total in session.execute(stmt)]


def final_review_on(session: Session, program: Program, day: date) -> FidelityReview | None:
    """The latest final review of the programme dated ``day``, if any."""
    reviews = [r for r in final_reviews(session, program, until=day) if r.review_date == day]
    return reviews[-1] if reviews else None


def review_for(session: Session, user: User, ref: str) -> FidelityReview:
    """A review that ``user`` supervises (supervisor of its programme), else 404."""
    review = session.scalar(select(FidelityReview).where(FidelityReview.ref == ref))
    if review is None or user.role != "supervisor" or review.program_id != user.program_id:
        abort(404)
    return review


def staff_of(session: Session, program: Program, role: str | None = None) -> list[User]:
    """The programme's staff (of one role), by name."""
    stmt = select(User).where(User.program_id == program.id)
    if role:
        stmt = stmt.where(User.role == role)
    return list(session.scalars(stmt.order_by(User.name)))


def log_rows(session: Session, program: Program, since: date, until: date) -> dict[str, list[LogRow]]:
    """The programme's team meetings, NAV/VR contacts and supervision sessions in [since, until]."""
    staff = session.execute(select(User.id, User.email).where(User.program_id == program.id))
    emails: dict[int, str] = {uid: email for uid, email in staff}
    out: dict[str, list[LogRow]] = {}
    for key, model, day, kind in (
        ("team_meetings", TeamMeeting, TeamMeeting.meeting_date, literal("team_meeting")),
        ("vocational", VocationalContact, VocationalContact.contact_date, VocationalContact.kind),
        ("supervision", SupervisionSession, SupervisionSession.session_date, SupervisionSession.kind),
    ):
        stmt = select(model.ref, day, kind, model.specialist_id).where(
            model.program_id == program.id, day >= since, day <= until
        )
        out[key] = [
            LogRow(ref, d, k, emails.get(sid)) for ref, d, k, sid in session.execute(stmt.order_by(day))
        ]
    return out


def log_evidence(session: Session, program: Program, as_of: date) -> dict:
    """O2–O5 evidence over the activity window, with specialists' names."""
    window = activity_window(as_of)
    rows = log_rows(session, program, window.start, window.end)
    users = {u.email: u for u in staff_of(session, program)}
    staff = [StaffRow(u.email, u.role, u.fte, u.active) for u in users.values()]
    scope = [s.email for s in specialists_in_scope(staff)]
    team = team_meeting_evidence(rows["team_meetings"], window, scope)
    for s in team["by_specialist"]:
        s["name"] = users[s["email"]].name
    return {
        "team_meetings": team,
        "vocational": vocational_evidence(rows["vocational"], window),
        "supervision": supervision_evidence(rows["supervision"], window),
    }


def _chunks(refs: tuple[str, ...]):
    for i in range(0, len(refs), CHUNK):
        yield refs[i : i + CHUNK]


# What a page shows of a client's record behind a value, beside its ref and its client's ref and name.
SHOWN: dict[type, dict[str, Any]] = {
    Job: {"title": Job.title, "employer": Employer.name, "start": Job.start_date, "end": Job.end_date},
    ClientContact: {
        "date": ClientContact.contact_date,
        "mode": ClientContact.mode,
        "purpose": ClientContact.purpose,
        "location": ClientContact.location,
        "minutes": ClientContact.minutes,
    },
    BenefitsSession: {"date": BenefitsSession.session_date, "trained": BenefitsSession.trained_planner},
}


def _of_clients(session, in_program, model, refs: tuple[str, ...], *joins) -> list[dict]:
    """The records of a client's ``model`` whose refs are in ``refs``, as dicts of what ``SHOWN``
    names; ``joins`` are (table, on) for shown columns of other tables."""
    named = {"ref": model.ref, "client_ref": Client.ref, "client_name": Client.name, **SHOWN[model]}
    found: list[dict] = []
    for part in _chunks(refs):
        stmt: Select[Any] = select(*named.values()).join(Client, Client.id == model.client_id)
        for table, on in joins:
            stmt = stmt.join(table, on)
        stmt = stmt.where(in_program, model.ref.in_(part))
        found += [dict(zip(named, row)) for row in session.execute(stmt)]
    return found


def records_behind(session: Session, program: Program, refs: Refs) -> dict[str, list[dict]]:
    """The records behind a value, with what a page needs to show and link them, by kind."""
    out: dict[str, list[dict]] = defaultdict(list)
    in_program = Client.program_id == program.id
    for part in _chunks(refs.clients):
        stmt: Select[Any] = select(Client.ref, Client.name).where(in_program, Client.ref.in_(part))
        out["clients"] += [{"ref": r, "client_ref": r, "client_name": n} for r, n in session.execute(stmt)]
    out["jobs"] += _of_clients(
        session, in_program, Job, refs.jobs, (Employer, Employer.id == Job.employer_id)
    )
    _contacts_behind(session, program, in_program, refs, out)
    _others_behind(session, program, in_program, refs, out)
    for rows in out.values():
        rows.sort(key=lambda r: r["ref"])
    return dict(out)


def _contacts_behind(session, program: Program, in_program, refs: Refs, out) -> None:
    staff_ids = select(User.id).where(User.program_id == program.id)
    out["client_contacts"] += _of_clients(session, in_program, ClientContact, refs.client_contacts)
    for part in _chunks(refs.employer_contacts):
        stmt = (
            select(
                EmployerContact.id,
                EmployerContact.ref,
                EmployerContact.contact_date,
                Employer.name,
                EmployerContact.mode,
                EmployerContact.minutes,
            )
            .join(Employer, Employer.id == EmployerContact.employer_id)
            .where(EmployerContact.ref.in_(part), EmployerContact.specialist_id.in_(staff_ids))
        )
        rows = {i: {"ref": r, "date": d, "employer": e, "mode": m, "minutes": n, "clients": []}
                for i, r, d, e, m, n in session.execute(stmt)}  # fmt: skip
        links = (
            select(employer_contact_clients.c.employer_contact_id, Client.ref, Client.name)
            .join(Client, Client.id == employer_contact_clients.c.client_id)
            .where(in_program, employer_contact_clients.c.employer_contact_id.in_(list(rows)))
        )
        for ec_id, ref, name in session.execute(links):
            rows[ec_id]["clients"].append({"ref": ref, "name": name})
        out["employer_contacts"] += rows.values()


def _others_behind(session, program: Program, in_program, refs: Refs, out) -> None:
    for part in _chunks(refs.referrals):
        stmt: Select[Any] = select(
            Referral.ref, Referral.received_on, Referral.decision, Referral.reason
        ).where(Referral.program_id == program.id, Referral.ref.in_(part))
        keys: tuple[str, ...] = ("ref", "date", "decision", "reason")
        out["referrals"] += [dict(zip(keys, row)) for row in session.execute(stmt)]
    out["benefits_sessions"] += _of_clients(session, in_program, BenefitsSession, refs.benefits_sessions)


def trend(session: Session, program: Program, *, until: date | None = None) -> dict:
    """Totals and item scores of the final reviews over time, oldest first."""
    reviews = final_reviews(session, program, until=until)
    scores = [{i.code: i.score for i in r.items} for r in reviews]
    return {
        "reviews": reviews,
        "total": [(r.review_date, r.total) for r in reviews],
        "items": {
            code: [(r.review_date, s.get(code)) for r, s in zip(reviews, scores, strict=True)]
            for code in ITEM_KEYS
        },
    }


def log_listing(
    session: Session, program: Program, since: date, *, specialist_id: int | None = None
) -> dict[str, list[dict]]:
    """The logs since a date, newest first, with names; one specialist's own when given."""
    staff = session.execute(select(User.id, User.name).where(User.program_id == program.id))
    names: dict[int, str] = {uid: name for uid, name in staff}
    teams = {t.id: t.name for t in program.teams}
    meetings = select(TeamMeeting).where(
        TeamMeeting.program_id == program.id, TeamMeeting.meeting_date >= since
    )
    contacts = select(VocationalContact).where(
        VocationalContact.program_id == program.id, VocationalContact.contact_date >= since
    )
    sessions = select(SupervisionSession).where(
        SupervisionSession.program_id == program.id, SupervisionSession.session_date >= since
    )
    if specialist_id is not None:
        meetings = meetings.where(TeamMeeting.specialist_id == specialist_id)
        contacts = contacts.where(VocationalContact.specialist_id == specialist_id)
        sessions = sessions.where(
            (SupervisionSession.specialist_id == specialist_id) | (SupervisionSession.kind == "group")
        )

    def newest(stmt, on):
        return session.scalars(stmt.order_by(on.desc()))

    return {
        "team_meetings": [
            _log_entry(m, m.meeting_date, team=teams.get(m.team_id), specialist=names.get(m.specialist_id))
            for m in newest(meetings, TeamMeeting.meeting_date)
        ],
        "vocational": [
            _log_entry(
                c, c.contact_date, kind=c.kind, specialist=names.get(c.specialist_id), counsellor=c.counsellor
            )
            for c in newest(contacts, VocationalContact.contact_date)
        ],
        "supervision": [
            _log_entry(
                s,
                s.session_date,
                kind=s.kind,
                supervisor=names.get(s.supervisor_id),
                specialist=names.get(s.specialist_id),
                minutes=s.minutes,
            )
            for s in newest(sessions, SupervisionSession.session_date)
        ],
    }


def _log_entry(record: TeamMeeting | VocationalContact | SupervisionSession, on: date, **middle) -> dict:
    """One line of a log: its ref and date, what is particular to the kind of log, its notes."""
    return {"ref": record.ref, "date": on, **middle, "notes": record.notes}


def program_summary(session: Session, program: Program, as_of: date, *, computed: bool = True) -> dict:
    """What the programme page shows of fidelity: latest final review, trend, logs, and the computed
    items unless ``computed=False`` (the programme page links to them: at region scale they take seconds)."""
    from caseload.fidelity.present import item_rows

    history = trend(session, program)
    return {
        "program": program,
        "as_of": as_of,
        "items": item_rows(fidelity_result(session, program, as_of)) if computed else [],
        "latest": history["reviews"][-1] if history["reviews"] else None,
        "trend": history,
        "logs": log_evidence(session, program, as_of),
        "catalogue": BY_KEY,
    }
