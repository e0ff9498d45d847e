"""Small plain-row loads for refreshing prompts at once: one client, or a programme's own rules.

The sweep loads whole programmes through ``caseload.snapshot.program_data``; saving one record
needs only the rows its prompts depend on.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from caseload.employers.models import EmployerContact, WeeklyReview, employer_contact_clients
from caseload.fidelity.models import FidelityReview
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientRow,
    EmployerContactRow,
    FinalReviewRow,
    JobRow,
    MeasureRow,
    ProgramData,
    StaffRow,
    WeeklyReviewRow,
)
from caseload.teams.models import Program


def client_row(client: Client, specialist_email: str) -> ClientRow:
    """The rule-relevant fields of a client."""
    return ClientRow(
        client.ref,
        client.entry_date,
        specialist_email,
        client.status_at_entry,
        closed_on=client.closed_on,
        profile_started_on=client.profile_started_on,
    )


def client_data(session: Session, client: Client) -> ProgramData:
    """One client's rows, enough for the client and job rules."""
    data = ProgramData(program_ref="")
    email = session.scalar(select(User.email).where(User.id == client.specialist_id)) or ""
    data.clients = [client_row(client, email)]
    ref, cid = client.ref, client.id
    contacts = select(
        ClientContact.ref, ClientContact.contact_date, ClientContact.mode, ClientContact.purpose
    ).where(ClientContact.client_id == cid)
    data.client_contacts = [
        ClientContactRow(r, ref, "", d, mode, purpose) for r, d, mode, purpose in session.execute(contacts)
    ]
    employer = (
        select(EmployerContact.ref, EmployerContact.contact_date, EmployerContact.mode)
        .join(employer_contact_clients)
        .where(employer_contact_clients.c.client_id == cid)
    )
    data.employer_contacts = [
        EmployerContactRow(r, d, "", "", mode, (ref,)) for r, d, mode in session.execute(employer)
    ]
    data.jobs = [
        JobRow(j.ref, ref, "", j.start_date, j.hours_per_week, True, end_date=j.end_date)
        for j in session.scalars(select(Job).where(Job.client_id == cid))
    ]
    sessions = select(BenefitsSession.ref, BenefitsSession.session_date).where(
        BenefitsSession.client_id == cid
    )
    data.benefits_sessions = [BenefitsSessionRow(r, ref, d) for r, d in session.execute(sessions)]
    measures = select(OutcomeMeasure.ref, OutcomeMeasure.measured_on, OutcomeMeasure.timepoint).where(
        OutcomeMeasure.client_id == cid
    )
    data.measures = [MeasureRow(r, ref, d, tp) for r, d, tp in session.execute(measures)]
    return data


def program_rule_data(session: Session, program: Program) -> ProgramData:
    """The rows of the programme rules: staff, weekly reviews, final reviews, the first entry."""
    data = ProgramData(program_ref=program.ref)
    staff = list(session.scalars(select(User).where(User.program_id == program.id)))
    data.staff = [StaffRow(u.email, u.role, u.fte, u.active) for u in staff]
    emails = {u.id: u.email for u in staff}
    reviews = select(WeeklyReview.specialist_id, WeeklyReview.week_start, WeeklyReview.reviewed_on)
    data.weekly_reviews = [
        WeeklyReviewRow(emails[s], w, r)
        for s, w, r in session.execute(reviews.where(WeeklyReview.specialist_id.in_(emails)))
    ]
    finals = select(FidelityReview.review_date, FidelityReview.total).where(
        FidelityReview.program_id == program.id, FidelityReview.status == "final"
    )
    data.final_reviews = [FinalReviewRow(d, total) for d, total in session.execute(finals)]
    first = session.scalar(select(func.min(Client.entry_date)).where(Client.program_id == program.id))
    if first is not None:
        data.clients = [ClientRow("", first, "", "")]
    return data
