"""Reads that compose the pages of several features: a client's records, caseloads.

Set-based: every loader takes a set of clients and runs one query per kind of record, whatever the
number of clients, so the specialist's home costs the same for 5 clients as for 50.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client, ClientNote, JobSearchPlan, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import EmployerContact, employer_contact_clients
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.principles.records import (
    BenefitsLine,
    ClientFile,
    EmployerVisit,
    JobLine,
    NoteLine,
    StepLine,
)
from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientRow,
    EmployerContactRow,
    HoursChangeRow,
    JobRow,
    MeasureRow,
)


@dataclass
class ClientRecords:
    """Everything recorded about one client (ORM objects, for display) and ``file``, its plain rows."""

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

    @property
    def file(self) -> ClientFile:
        """The same records as plain rows, for the pure computations."""
        return client_file(self)


def _by_client(rows) -> defaultdict[int, list]:
    grouped: defaultdict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.client_id].append(row)
    return grouped


def records_for(session: Session, clients: list[Client]) -> list[ClientRecords]:
    """The records of ``clients`` (in their order), one query per kind of record."""
    ids = [c.id for c in clients]
    if not ids:
        return []
    jobs = _by_client(
        session.scalars(
            select(Job)
            .where(Job.client_id.in_(ids))
            .options(joinedload(Job.employer), selectinload(Job.hours_changes))
            .order_by(Job.start_date, Job.ref)
        ).unique()
    )
    contacts = _by_client(
        session.scalars(
            select(ClientContact)
            .where(ClientContact.client_id.in_(ids))
            .options(joinedload(ClientContact.staff))
            .order_by(ClientContact.contact_date, ClientContact.ref)
        )
    )
    benefits = _by_client(
        session.scalars(
            select(BenefitsSession)
            .where(BenefitsSession.client_id.in_(ids))
            .order_by(BenefitsSession.session_date, BenefitsSession.ref)
        )
    )
    measures = _by_client(
        session.scalars(
            select(OutcomeMeasure)
            .where(OutcomeMeasure.client_id.in_(ids))
            .order_by(OutcomeMeasure.measured_on, OutcomeMeasure.ref)
        )
    )
    notes = _by_client(
        session.scalars(
            select(ClientNote)
            .where(ClientNote.client_id.in_(ids))
            .order_by(ClientNote.noted_on, ClientNote.ref)
        )
    )
    visits = _employer_contacts(session, ids)
    referrals = {r.client_id: r for r in session.scalars(select(Referral).where(Referral.client_id.in_(ids)))}
    profiles = {
        p.client_id: p for p in session.scalars(select(CareerProfile).where(CareerProfile.client_id.in_(ids)))
    }
    plans = {
        p.client_id: p
        for p in session.scalars(
            select(JobSearchPlan)
            .where(JobSearchPlan.client_id.in_(ids))
            .options(selectinload(JobSearchPlan.steps))
        )
    }
    return [
        ClientRecords(
            client=c,
            referral=referrals.get(c.id),
            profile=profiles.get(c.id),
            plan=plans.get(c.id),
            jobs=jobs[c.id],
            contacts=contacts[c.id],
            employer_contacts=visits[c.id],
            benefits=benefits[c.id],
            measures=measures[c.id],
            notes=notes[c.id],
        )
        for c in clients
    ]


def _employer_contacts(session: Session, ids: list[int]) -> defaultdict[int, list[EmployerContact]]:
    link = employer_contact_clients
    stmt = (
        select(link.c.client_id, EmployerContact)
        .join(EmployerContact, EmployerContact.id == link.c.employer_contact_id)
        .where(link.c.client_id.in_(ids))
        .options(joinedload(EmployerContact.employer), joinedload(EmployerContact.specialist))
        .order_by(EmployerContact.contact_date, EmployerContact.ref)
    )
    grouped: defaultdict[int, list[EmployerContact]] = defaultdict(list)
    for client_id, contact in session.execute(stmt):
        grouped[client_id].append(contact)
    return grouped


def client_records(session: Session, client: Client) -> ClientRecords:
    """Load one client's records (one query per kind)."""
    return records_for(session, [client])[0]


def caseload_records(session: Session, clients_stmt) -> list[ClientRecords]:
    """The records of every client ``clients_stmt`` selects (with their team and specialist)."""
    stmt = clients_stmt.options(joinedload(Client.treatment_team), joinedload(Client.specialist))
    return records_for(session, list(session.scalars(stmt).unique()))


def client_file(r: ClientRecords) -> ClientFile:
    """The plain rows of a client's records (their relationships must be loaded: no query here)."""
    c = r.client
    row = ClientRow(
        c.ref,
        c.entry_date,
        c.specialist.email,
        c.status_at_entry,
        c.treatment_team.ref if c.treatment_team else None,
        c.closed_on,
        c.closure_reason,
        tuple(c.job_type_list),
        c.profile_started_on,
        c.trial_arm,
    )
    return ClientFile(
        client=row,
        name=c.name,
        specialist_name=c.specialist.name,
        team_name=c.treatment_team.name if c.treatment_team else None,
        referral_ref=r.referral.ref if r.referral else None,
        referral_date=c.referral_date or (r.referral.received_on if r.referral else None),
        profile_completed_on=c.profile_completed_on,
        profile_updated_on=c.profile_updated_on,
        plan_review_date=r.plan.review_date if r.plan else None,
        plan_steps=tuple(StepLine(s.due_date, s.done_on) for s in (r.plan.steps if r.plan else ())),
        jobs=tuple(_job_line(c.ref, j) for j in r.jobs),
        contacts=tuple(_contact_row(c.ref, k) for k in r.contacts),
        employer_contacts=tuple(_visit(c.ref, e) for e in r.employer_contacts),
        benefits=tuple(
            BenefitsLine(BenefitsSessionRow(b.ref, c.ref, b.session_date, b.trained_planner), b.kind)
            for b in r.benefits
        ),
        measures=tuple(
            MeasureRow(m.ref, c.ref, m.measured_on, m.timepoint, m.odi, m.eq_vas, m.pain_nrs)
            for m in r.measures
        ),
        notes=tuple(NoteLine(n.ref, n.noted_on, n.kind) for n in r.notes),
    )


def _job_line(client_ref: str, j: Job) -> JobLine:
    hours = tuple(HoursChangeRow(h.effective_from, h.hours_per_week) for h in j.hours_changes)
    row = JobRow(
        j.ref,
        client_ref,
        j.employer.ref,
        j.start_date,
        j.hours_per_week,
        j.competitive,
        j.job_type,
        j.end_date,
        hours,
    )
    return JobLine(row, j.title, j.employer.name, tuple(j.not_competitive_because), j.end_reason)


def _contact_row(client_ref: str, k: ClientContact) -> ClientContactRow:
    return ClientContactRow(
        k.ref, client_ref, k.staff.email, k.contact_date, k.mode, k.purpose, k.location, k.minutes or 0
    )


def _visit(client_ref: str, e: EmployerContact) -> EmployerVisit:
    row = EmployerContactRow(
        e.ref,
        e.contact_date,
        e.specialist.email,
        e.employer.ref,
        e.mode,
        (client_ref,),
        e.job_type,
        e.minutes or 0,
    )
    return EmployerVisit(row, e.employer.name)


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
