"""The rows that fidelity's items and evidence read as of A, narrowed in SQL.

``tests.reference_rows.program_data`` loads a programme's whole history; the items look at far less: the jobs
of the job year and those still held, the contacts of the activity window, V4's first face-to-face
employer contacts, and — for V12 and V2 — only per-client contact days and disclosure counts, which
the database aggregates (``evidence.ContactSummary``). Each set loaded here holds every record the
pure functions read, so the numbers are those of ``compute_fidelity(program_data(...))``; the tests
check it on the same records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import EmployerContact, WeeklyReview, employer_contact_clients
from caseload.fidelity.evidence import V12_SPAN, ContactSummary
from caseload.jobs.models import Job
from caseload.loaders import client_rows, employer_contact_rows, job_rows
from caseload.metrics.periods import V2_ENTERED_DAYS, activity_window, days, job_year, v12_ended, v12_started
from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ProgramData,
    ReferralRow,
    StaffRow,
    WeeklyReviewRow,
)
from caseload.teams.models import Program, TreatmentTeam, user_teams


def fidelity_input(session: Session, program: Program, as_of: date) -> tuple[ProgramData, ContactSummary]:
    """The programme's rows and client-contact summary that ``compute_fidelity`` needs as of A."""
    window = activity_window(as_of)
    # contacts by any staff member
    emails: dict[int, str] = {uid: email for uid, email in session.execute(select(User.id, User.email))}
    staff_ids = select(User.id).where(User.program_id == program.id)
    data = ProgramData(program.ref, program.full_time_hours, staff=_staff(session, program, staff_ids))
    refs = client_rows(session, Client.program_id == program.id, data)
    year = job_year(as_of)
    data.referrals = [
        ReferralRow(*row)
        for row in session.execute(
            select(Referral.ref, Referral.received_on, Referral.decision, Referral.reason).where(
                Referral.program_id == program.id, Referral.received_on.between(year.start, year.end)
            )
        )
    ]
    data.weekly_reviews = [
        WeeklyReviewRow(emails[s], w, r)
        for s, w, r in session.execute(
            select(WeeklyReview.specialist_id, WeeklyReview.week_start, WeeklyReview.reviewed_on).where(
                WeeklyReview.specialist_id.in_(staff_ids),
                WeeklyReview.week_start.between(window.start, window.end),
            )
        )
    ]
    _jobs_and_benefits(session, program, data, refs, as_of)
    _employer_contacts(session, data, emails, refs, staff_ids, as_of)
    data.client_contacts = [
        ClientContactRow(
            ref, refs[cid], d, mode, purpose, staff_email=emails[sid], location=loc, minutes=minutes or 0
        )
        for ref, cid, sid, d, mode, purpose, loc, minutes in session.execute(
            select(
                ClientContact.ref,
                ClientContact.client_id,
                ClientContact.staff_id,
                ClientContact.contact_date,
                ClientContact.mode,
                ClientContact.purpose,
                ClientContact.location,
                ClientContact.minutes,
            ).where(
                ClientContact.client_id.in_(_client_ids(program)),
                ClientContact.contact_date.between(window.start, window.end),
            )
        )
    ]
    return data, _contact_summary(session, program, refs, as_of)


def _client_ids(program: Program):
    return select(Client.id).where(Client.program_id == program.id)


def _staff(session: Session, program: Program, staff_ids) -> list[StaffRow]:
    teams = defaultdict(list)
    stmt = (
        select(user_teams.c.user_id, TreatmentTeam.ref)
        .join(TreatmentTeam, TreatmentTeam.id == user_teams.c.team_id)
        .where(user_teams.c.user_id.in_(staff_ids))
    )
    for user_id, ref in session.execute(stmt):
        teams[user_id].append(ref)
    stmt = select(User.id, User.email, User.role, User.fte, User.active).where(User.program_id == program.id)
    return [StaffRow(e, r, f, a, tuple(sorted(teams[i]))) for i, e, r, f, a in session.execute(stmt)]


def _jobs_and_benefits(
    session: Session, program: Program, data: ProgramData, refs: dict[int, str], as_of: date
) -> None:
    """Jobs started by A that started in the job year or had not ended before it (V1, V8–V10, V12);
    benefits sessions dated by A of clients with a job
    started in the job year (V1)."""
    since = job_year(as_of).start
    data.jobs = job_rows(
        session,
        and_(
            Job.client_id.in_(_client_ids(program)),
            Job.start_date <= as_of,
            or_(Job.start_date >= since, Job.end_date.is_(None), Job.end_date >= since),
        ),
        refs,
    )
    with_job = select(Job.client_id).where(Job.client_id.in_(_client_ids(program)), Job.start_date >= since)
    stmt = select(
        BenefitsSession.ref,
        BenefitsSession.client_id,
        BenefitsSession.session_date,
        BenefitsSession.trained_planner,
    ).where(BenefitsSession.client_id.in_(with_job), BenefitsSession.session_date <= as_of)
    data.benefits_sessions = [
        BenefitsSessionRow(ref, refs[cid], d, trained_planner=t) for ref, cid, d, t in session.execute(stmt)
    ]


def _employer_contacts(session, data, emails, refs, staff_ids, as_of: date) -> None:
    """The programme's employer contacts of the activity window (V5, V6, V13), and the face-to-face
    ones of the job year with clients (V4: its cohort entered then), with their clients."""
    window, year = activity_window(as_of), job_year(as_of)
    with_client = exists().where(employer_contact_clients.c.employer_contact_id == EmployerContact.id)
    cond = and_(
        EmployerContact.specialist_id.in_(staff_ids),
        EmployerContact.contact_date.between(year.start, year.end),  # holds the window too
        or_(
            EmployerContact.contact_date.between(window.start, window.end),
            and_(
                EmployerContact.mode == "face_to_face",
                EmployerContact.contact_date.between(year.start, year.end),
                with_client,
            ),
        ),
    )
    data.employer_contacts = employer_contact_rows(session, cond, emails, refs)


def v12_clients(program: Program, as_of: date):
    """The clients whose contact days V12 can read: those of its started and ended jobs."""
    return select(Job.client_id).where(
        Job.client_id.in_(_client_ids(program)),
        or_(
            Job.start_date.between(v12_started(as_of).start, v12_started(as_of).end),
            Job.end_date.between(v12_ended(as_of).start, v12_ended(as_of).end),
        ),
    )


def _contact_summary(session: Session, program: Program, refs: dict[int, str], as_of: date) -> ContactSummary:
    """``ContactSummary`` in SQL. V12: per client, the days in [A − 371, A] with a contact that counts
    (purpose not outreach, mode not message) and those with a face-to-face one among them, as one
    row per client with the ISO dates joined in a string (a row per contact day would be ~80,000
    at region scale). V2: disclosure contacts by A of the clients it applies to (active on A,
    entry ≤ A − 60). The definitions are those of ``rows.ClientContactRow``. V12 reads the days of
    clients with a job started in [A − 364, A − 28] or ended in [A − 364, A − 3] only
    (``v12_clients``), so only theirs are aggregated."""
    day = cast(ClientContact.contact_date, String)  # ISO 'YYYY-MM-DD' on SQLite and PostgreSQL
    stmt: Select[Any] = (
        select(
            ClientContact.client_id,
            func.aggregate_strings(day, ","),
            func.aggregate_strings(case((ClientContact.mode == "face_to_face", day)), ","),
        )
        .where(
            ClientContact.client_id.in_(v12_clients(program, as_of)),
            ClientContact.contact_date.between(as_of - days(V12_SPAN), as_of),
            ClientContact.purpose != "outreach",
            ClientContact.mode != "message",
        )
        .group_by(ClientContact.client_id)
    )
    f2f, counting = {}, {}
    for cid, counting_days, f2f_days in session.execute(stmt):
        counting[refs[cid]] = _days(counting_days)
        if f2f_days:
            f2f[refs[cid]] = _days(f2f_days)
    due = _client_ids(program).where(
        Client.entry_date <= as_of - days(V2_ENTERED_DAYS),
        or_(Client.closed_on.is_(None), Client.closed_on > as_of),
    )
    stmt = (
        select(ClientContact.client_id, func.count())
        .where(
            ClientContact.client_id.in_(due),
            ClientContact.purpose == "disclosure",
            ClientContact.contact_date <= as_of,
        )
        .group_by(ClientContact.client_id)
    )
    talks = {refs[cid]: n for cid, n in session.execute(stmt)}
    return ContactSummary(f2f, counting, talks)


def _days(joined: str) -> set[date]:
    return set(map(date.fromisoformat, joined.split(",")))
