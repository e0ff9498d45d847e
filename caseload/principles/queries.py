"""Reads that compose the pages of several features: a client's records, caseloads."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client, ClientNote, JobSearchPlan, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import EmployerContact, employer_contact_clients
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure


@dataclass
class ClientRecords:
    """Everything recorded about one client, loaded with a fixed number of queries."""

    client: Client
    referral: Referral | None = None
    profile: CareerProfile | None = None
    plan: JobSearchPlan | None = None
    jobs: list[Job] = field(default_factory=list)
    contacts: list[ClientContact] = field(default_factory=list)
    employer_contacts: list[EmployerContact] = field(default_factory=list)
    benefits: list[BenefitsSession] = field(default_factory=list)
    measures: list[OutcomeMeasure] = field(default_factory=list)
    notes: list[ClientNote] = field(default_factory=list)


def client_records(session: Session, client: Client) -> ClientRecords:
    """Load a client's records (one query per kind)."""
    cid = client.id
    ec_ids = select(employer_contact_clients.c.employer_contact_id).where(
        employer_contact_clients.c.client_id == cid
    )
    return ClientRecords(
        client=client,
        referral=session.scalar(select(Referral).where(Referral.client_id == cid)),
        profile=session.scalar(select(CareerProfile).where(CareerProfile.client_id == cid)),
        plan=session.scalar(select(JobSearchPlan).where(JobSearchPlan.client_id == cid)),
        jobs=list(session.scalars(select(Job).where(Job.client_id == cid).order_by(Job.start_date))),
        contacts=list(
            session.scalars(
                select(ClientContact)
                .where(ClientContact.client_id == cid)
                .order_by(ClientContact.contact_date)
            )
        ),
        employer_contacts=list(
            session.scalars(
                select(EmployerContact)
                .where(EmployerContact.id.in_(ec_ids))
                .order_by(EmployerContact.contact_date)
            )
        ),
        benefits=list(
            session.scalars(
                select(BenefitsSession)
                .where(BenefitsSession.client_id == cid)
                .order_by(BenefitsSession.session_date)
            )
        ),
        measures=list(
            session.scalars(
                select(OutcomeMeasure)
                .where(OutcomeMeasure.client_id == cid)
                .order_by(OutcomeMeasure.measured_on)
            )
        ),
        notes=list(
            session.scalars(
                select(ClientNote).where(ClientNote.client_id == cid).order_by(ClientNote.noted_on)
            )
        ),
    )


def caseload_counts(session: Session, program_id: int) -> list[tuple[User, int]]:
    """Each specialist of the programme with their count of open clients (one query)."""
    open_clients = (
        select(Client.specialist_id, func.count().label("n"))
        .where(Client.program_id == program_id, Client.closed_on.is_(None))
        .group_by(Client.specialist_id)
        .subquery()
    )
    stmt = (
        select(User, func.coalesce(open_clients.c.n, 0))
        .outerjoin(open_clients, open_clients.c.specialist_id == User.id)
        .where(User.program_id == program_id, User.role == "specialist")
        .order_by(User.active.desc(), User.name)
    )
    return [(u, n) for u, n in session.execute(stmt)]
