"""Plain-row loads for prompts: what a sweep can depend on, one client, a programme's own rules.

A sweep needs only the clients active on its date and their recent records (``sweep_data``);
saving one record needs only the rows its client's prompts depend on (``client_data``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask, current_app
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from caseload.employers.models import EmployerContact, WeeklyReview, employer_contact_clients
from caseload.jobs.models import Job
from caseload.metrics import due, support
from caseload.metrics.periods import ONE_WEEK
from caseload.prompts.assessments import ScheduleRow
from caseload.prompts.models import LIVE, Prompt
from caseload.prompts.rules import SweepWindow
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
from caseload.teams.models import Program

# The longest a client rule looks back from its due date (disclosure: entry + 60, the latest).
LOOK_BACK = timedelta(days=max(due.DISCLOSURE_DAYS, due.RAPID_JOB_SEARCH_DAYS, due.OUTREACH_AFTER_DAYS))
# The last weekly follow-up block of a job falls due this long after its start.
JOB_SPAN = support.week(date.min, support.FIRST_WEEKS).due_on - date.min

# Rows owned by features beside prompts, loaded by them: outcomes registers ``measures`` (ref,
# client id, date, timepoint of the measures of some clients, dated on or before a day when given)
# and fidelity ``final_reviews`` (date and total of a programme's final reviews).
MeasureSource = Callable[[Session, Iterable[int] | Select, date | None], Iterable[tuple[str, int, date, str]]]
ReviewSource = Callable[[Session, int], Iterable[tuple[date, int | None]]]
# The trial registers ``participants``: the schedule rows (ScheduleRow's fields) of a programme's
# trial participants on a day, or of one participant by study ref; never an arm or a client.
ParticipantSource = Callable[[Session, int, date, str | None], Iterable[tuple]]


def on_rule_rows(
    app: Flask,
    *,
    measures: MeasureSource | None = None,
    final_reviews: ReviewSource | None = None,
    participants: ParticipantSource | None = None,
):
    """Register where the rules' outcome measures, final fidelity reviews or trial participants'
    assessment schedules come from."""
    sources = app.extensions.setdefault("caseload.rule_rows", {})
    given = (("measures", measures), ("final_reviews", final_reviews), ("participants", participants))
    sources.update({k: v for k, v in given if v})


def _source(name: str) -> Callable:
    return current_app.extensions["caseload.rule_rows"][name]


def schedule_rows(
    session: Session, program_id: int, t: date, participant_ref: str | None = None
) -> list[ScheduleRow]:
    """The programme's trial participants' timepoints (none when no trial is registered)."""
    source = current_app.extensions.get("caseload.rule_rows", {}).get("participants")
    if source is None:
        return []
    return [ScheduleRow(*row) for row in source(session, program_id, t, participant_ref)]


def _final_reviews(session: Session, program: Program) -> list[FinalReviewRow]:
    return [FinalReviewRow(d, total) for d, total in _source("final_reviews")(session, program.id)]


def contacts_since(t: date, since: date | None) -> date:
    """The oldest record date an instance due on or after min(since, t - 30) can depend on.

    Follow-up blocks end on their due date and span at most 30 days; rules that look back to the
    entry (disclosure, rapid job search, first contact) are due at most 60 days after it; an
    outreach instance is due 14 days after the contact it follows. 60 days more covers them all,
    so ten years of contacts need not be loaded for a sweep.
    """
    return min(since or t, SweepWindow.of(t).start) - LOOK_BACK


@dataclass(slots=True)
class SweepRows:
    """A programme's rows for a sweep, and the database ids of the refs its prompts name."""

    data: RuleData
    client_ids: dict[str, int] = field(default_factory=dict)
    job_ids: dict[str, int] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    participants: list[ScheduleRow] = field(default_factory=list)


def sweep_data(session: Session, program: Program, t: date, since: date | None) -> SweepRows:
    """The rows the rules can depend on in a sweep on ``t`` whose live prompts go back to ``since``.

    The clients active on t (and the first to enter: ``fidelity_review`` counts from that entry)
    with their jobs, benefits sessions and measures; their contacts dated from
    ``contacts_since(t, None)`` on, or from ``contacts_since(t, since)`` for a client with a live
    prompt due before t − 30; the weekly reviews of the weeks in the window. Narrow columns, one
    query per kind of record, whatever the programme's size and history.
    """
    rows = SweepRows(RuleData(program_ref=program.ref))
    start = min(since or t, SweepWindow.of(t).start)  # the earliest due date the sweep looks at
    emails = _users(session, program, rows)
    active = select(Client.id).where(
        Client.program_id == program.id,
        Client.entry_date <= t,
        or_(Client.closed_on.is_(None), Client.closed_on > t),
    )
    refs = _clients(session, program, rows, emails, active)
    stale = select(Prompt.client_id).where(
        Prompt.program_id == program.id, Prompt.status.in_(LIVE), Prompt.due_on < SweepWindow.of(t).start
    )
    _contacts(session, program, rows.data, refs, active, _dated(t, since, stale), t)
    _jobs(session, rows, refs, active, start)
    _records(session, rows.data, refs, active, t)
    _reviews(session, program, rows.data, emails, start)
    rows.participants = schedule_rows(session, program.id, t)
    return rows


def _clients(session, program: Program, rows: SweepRows, emails, active) -> dict[int, str]:
    """The ``active`` clients, and the first entry date; returns the clients' refs by id."""
    rows.data.first_entry = _first_entry(session, program)
    stmt = select(
        Client.id, Client.ref, Client.entry_date, Client.specialist_id, Client.status_at_entry
    ).add_columns(Client.closed_on, Client.profile_started_on)
    refs: dict[int, str] = {}
    for cid, ref, entry, sid, status, closed, started in session.execute(
        stmt.where(Client.program_id == program.id, Client.id.in_(active))
    ):
        refs[cid], rows.client_ids[ref] = ref, cid
        rows.data.clients.append(ClientFact(ref, entry, emails[sid], status, closed, started))
    return refs


def _first_entry(session: Session, program: Program) -> date | None:
    return session.scalar(select(func.min(Client.entry_date)).where(Client.program_id == program.id))


def _dated(t: date, since: date | None, stale) -> Callable[..., ColumnElement[bool]]:
    """A condition on a record's date and client: dated from ``contacts_since(t, None)`` on, or
    from ``contacts_since(t, since)`` on for the ``stale`` clients (with a prompt due before t − 30)."""
    recent, old = contacts_since(t, None), contacts_since(t, since)

    def cond(day, client_id) -> ColumnElement[bool]:
        if old >= recent:
            return day >= recent
        return or_(day >= recent, and_(day >= old, client_id.in_(stale)))

    return cond


def _users(session: Session, program: Program, rows: SweepRows) -> dict[int, str]:
    emails = {}
    stmt = select(User.id, User.email, User.role, User.fte, User.active, User.program_id)
    for uid, email, role, fte, active, program_id in session.execute(stmt):
        emails[uid], rows.user_ids[email] = email, uid
        if program_id == program.id:
            rows.data.staff.append(StaffRow(email, role, fte, active))
    return emails


def _contacts(session, program, data, refs, active, dated, t) -> None:
    """Client contacts, and the employer contacts of the programme's specialists for a client."""
    stmt = select(
        ClientContact.ref, ClientContact.client_id, ClientContact.contact_date, ClientContact.mode
    ).add_columns(ClientContact.purpose)
    data.client_contacts = [
        ContactFact(ref, refs[cid], d, mode, purpose)
        for ref, cid, d, mode, purpose in session.execute(
            stmt.where(
                ClientContact.client_id.in_(active),
                dated(ClientContact.contact_date, ClientContact.client_id),
                ClientContact.contact_date <= t,
            )
        )
    ]
    link = employer_contact_clients.c.client_id
    employer = (
        select(EmployerContact.ref, EmployerContact.contact_date, EmployerContact.mode, link)
        .join(employer_contact_clients)
        .where(
            link.in_(active),
            dated(EmployerContact.contact_date, link),
            EmployerContact.contact_date <= t,
            EmployerContact.specialist_id.in_(select(User.id).where(User.program_id == program.id)),
        )
    )
    data.employer_contacts = [
        VisitFact(ref, d, mode, (refs[cid],)) for ref, d, mode, cid in session.execute(employer)
    ]


def _jobs(session, rows: SweepRows, refs, active, start: date) -> None:
    """The active clients' jobs that can have an instance due from ``start`` on.

    A job's instances are due at most 27 days after its start or 3 after its end, but for the
    monthly ones of a job held on t: one that ended 27 days before ``start`` has none left. The
    rules read the jobs' dates only (as in ``client_data``).
    """
    stmt = select(Job.id, Job.ref, Job.client_id, Job.start_date, Job.end_date).where(
        Job.client_id.in_(active), or_(Job.end_date.is_(None), Job.end_date >= start - JOB_SPAN)
    )
    for jid, ref, cid, start_date, end in session.execute(stmt):
        rows.job_ids[ref] = jid
        rows.data.jobs.append(JobFact(ref, refs[cid], start_date, end))


def _records(session, data, refs, active, t) -> None:
    """Benefits sessions and outcome measures of the active clients, dated on or before t."""
    sessions = select(BenefitsSession.ref, BenefitsSession.client_id, BenefitsSession.session_date).where(
        BenefitsSession.client_id.in_(active), BenefitsSession.session_date <= t
    )
    data.benefits_sessions = [BenefitsFact(r, refs[cid], d) for r, cid, d in session.execute(sessions)]
    measures = _source("measures")(session, active, t)
    data.measures = [MeasureFact(r, refs[cid], d, tp) for r, cid, d, tp in measures]


def _reviews(session, program, data, emails, start: date) -> None:
    """Weekly reviews of the weeks due from ``start`` on, and the final fidelity reviews."""
    weekly = select(WeeklyReview.specialist_id, WeeklyReview.week_start, WeeklyReview.reviewed_on).where(
        WeeklyReview.specialist_id.in_(select(User.id).where(User.program_id == program.id)),
        WeeklyReview.week_start >= start - ONE_WEEK,
    )
    data.weekly_reviews = [WeeklyReviewRow(emails[s], w, r) for s, w, r in session.execute(weekly)]
    data.final_reviews = _final_reviews(session, program)


def client_fact(client: Client, specialist_email: str) -> ClientFact:
    """The rule-relevant fields of a client."""
    return ClientFact(
        client.ref,
        client.entry_date,
        specialist_email,
        client.status_at_entry,
        client.closed_on,
        client.profile_started_on,
    )


def client_data(session: Session, client: Client) -> RuleData:
    """One client's rows, enough for the client and job rules."""
    data = RuleData(program_ref="")
    email = session.execute(select(User.email).where(User.id == client.specialist_id)).scalar_one()
    data.clients = [client_fact(client, email)]
    ref, cid = client.ref, client.id
    contacts = select(
        ClientContact.ref, ClientContact.contact_date, ClientContact.mode, ClientContact.purpose
    ).where(ClientContact.client_id == cid)
    data.client_contacts = [
        ContactFact(r, ref, d, mode, purpose) for r, d, mode, purpose in session.execute(contacts)
    ]
    employer = (
        select(EmployerContact.ref, EmployerContact.contact_date, EmployerContact.mode)
        .join(employer_contact_clients)
        .where(employer_contact_clients.c.client_id == cid)
    )
    data.employer_contacts = [VisitFact(r, d, mode, (ref,)) for r, d, mode in session.execute(employer)]
    jobs = select(Job.ref, Job.start_date, Job.end_date).where(Job.client_id == cid)
    data.jobs = [JobFact(r, ref, start, end) for r, start, end in session.execute(jobs)]
    sessions = select(BenefitsSession.ref, BenefitsSession.session_date).where(
        BenefitsSession.client_id == cid
    )
    data.benefits_sessions = [BenefitsFact(r, ref, d) for r, d in session.execute(sessions)]
    data.measures = [MeasureFact(r, ref, d, tp) for r, _, d, tp in _source("measures")(session, [cid], None)]
    return data


def program_rule_data(session: Session, program: Program) -> RuleData:
    """The rows of the programme rules: staff, weekly reviews, final reviews, the first entry."""
    data = RuleData(program_ref=program.ref, first_entry=_first_entry(session, program))
    staff = list(session.scalars(select(User).where(User.program_id == program.id)))
    data.staff = [StaffRow(u.email, u.role, u.fte, u.active) for u in staff]
    emails = {u.id: u.email for u in staff}
    reviews = select(WeeklyReview.specialist_id, WeeklyReview.week_start, WeeklyReview.reviewed_on)
    data.weekly_reviews = [
        WeeklyReviewRow(emails[s], w, r)
        for s, w, r in session.execute(reviews.where(WeeklyReview.specialist_id.in_(emails)))
    ]
    data.final_reviews = _final_reviews(session, program)
    return data
