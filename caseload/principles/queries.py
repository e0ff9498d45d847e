"""Reads that compose the pages of several features: a client's records, caseloads.

Set-based: every loader takes a set of clients and runs one query per kind of record, whatever the
number of clients, so the specialist's home costs the same for 5 clients as for 50.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Row, case, func, or_, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client, ClientNote, JobSearchPlan, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import Employer, EmployerContact, employer_contact_clients
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.outcomes.queries import measure_rows
from caseload.principles.records import (
    BenefitsLine,
    ClientFile,
    EmployerVisit,
    HomeFile,
    JobLine,
    NoteLine,
    StepLine,
    TitledJob,
)
from caseload.rows import (
    BenefitsFact,
    ClientContactRow,
    ClientFact,
    ClientRow,
    ContactFact,
    HoursChangeRow,
    JobRow,
    MeasureFact,
    VisitFact,
)
from caseload.teams.models import JobType, TreatmentTeam


@dataclass
class ClientRecords:
    """Everything recorded about one client (ORM objects, for display) and ``file``, its plain rows."""

    client: Client
    specialist: User
    team: TreatmentTeam | None
    referral: Referral | None
    profile: CareerProfile | None
    plan: JobSearchPlan | None
    jobs: list[Job]
    contacts: list[Row]  # narrow rows: a client has hundreds; the page shows the latest 20
    employer_contacts: list[Row]
    benefits: list[BenefitsSession]
    measures: list[OutcomeMeasure]
    notes: list[ClientNote]
    job_type_names: list[str]

    @property
    def file(self) -> ClientFile:
        """The same records as plain rows, for the pure computations."""
        return client_file(self)


def _by_client(rows) -> defaultdict[int, list]:
    grouped: defaultdict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.client_id].append(row)
    return grouped


def _records_of(session: Session, model, on, ids: list[int], *options) -> defaultdict[int, list]:
    """The records of ``model`` about the clients ``ids``, by client id, by ``on`` then ref."""
    stmt = select(model).where(model.client_id.in_(ids)).options(*options).order_by(on, model.ref)
    return _by_client(session.scalars(stmt).unique())


def records_for(session: Session, clients: list[Client]) -> list[ClientRecords]:
    """The records of ``clients`` (in their order), one query per kind of record."""
    ids = [c.id for c in clients]
    if not ids:
        return []
    jobs = _records_of(
        session, Job, Job.start_date, ids, joinedload(Job.employer), joinedload(Job.hours_changes)
    )
    contacts = _contacts(session, ids)
    benefits = _records_of(session, BenefitsSession, BenefitsSession.session_date, ids)
    measures = _records_of(session, OutcomeMeasure, OutcomeMeasure.measured_on, ids)
    notes = _records_of(session, ClientNote, ClientNote.noted_on, ids)
    visits = _employer_contacts(session, ids)
    once = _once_per_client(session, ids)
    names = _job_type_names(session, clients)
    return [
        ClientRecords(
            client=c,
            specialist=once[c.id][4],
            team=once[c.id][3],
            referral=once[c.id][0],
            profile=once[c.id][1],
            plan=once[c.id][2],
            jobs=jobs[c.id],
            contacts=contacts[c.id],
            employer_contacts=visits[c.id],
            benefits=benefits[c.id],
            measures=measures[c.id],
            notes=notes[c.id],
            job_type_names=[names.get((c.program_id, code), code) for code in c.job_type_list],
        )
        for c in clients
    ]


def _job_type_names(session: Session, clients: list[Client]) -> dict[tuple[int, str], str]:
    """The programmes' words for the clients' preferred job types, in one query."""
    # One query whether or not anyone has preferences, so the page's statements stay constant.
    wanted = {(c.program_id, code) for c in clients for code in c.job_type_list}
    programs, codes = {p for p, _ in wanted}, {code for _, code in wanted}
    stmt = select(JobType.program_id, JobType.code, JobType.label).where(
        JobType.program_id.in_(programs), JobType.code.in_(codes)
    )
    return {(program, code): label for program, code, label in session.execute(stmt)}


def _once_per_client(session: Session, ids: list[int]) -> dict[int, tuple]:
    """Each client's referral, career profile, job search plan (with its steps), treatment team and
    specialist, in one query."""
    stmt = (
        select(Client.id, Referral, CareerProfile, JobSearchPlan, TreatmentTeam, User)
        .outerjoin(Referral, Referral.client_id == Client.id)
        .outerjoin(CareerProfile, CareerProfile.client_id == Client.id)
        .outerjoin(JobSearchPlan, JobSearchPlan.client_id == Client.id)
        .outerjoin(TreatmentTeam, TreatmentTeam.id == Client.treatment_team_id)
        .join(User, User.id == Client.specialist_id)
        .options(selectinload(JobSearchPlan.steps))
        .where(Client.id.in_(ids))
    )
    return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def _contacts(session: Session, ids: list[int]) -> defaultdict[int, list[Row]]:
    """The clients' contacts as narrow rows with the staff member's name and e-mail (no objects)."""
    k = ClientContact
    stmt = (
        select(k.client_id, k.ref, k.contact_date, k.mode, k.location, k.minutes, k.purpose, k.notes)
        .add_columns(k.staff_id, User.name.label("staff_name"), User.email.label("staff_email"))
        .join(User, User.id == k.staff_id)
        .where(k.client_id.in_(ids))
        .order_by(k.contact_date, k.ref)
    )
    return _by_client(session.execute(stmt))


def _employer_contacts(session: Session, ids: list[int]) -> defaultdict[int, list[Row]]:
    """The employer contacts made for the clients, as narrow rows with the employer and specialist."""
    link, e = employer_contact_clients, EmployerContact
    stmt = (
        select(link.c.client_id, e.ref, e.contact_date, e.mode, e.job_type, e.minutes)
        .add_columns(Employer.ref.label("employer_ref"), Employer.name.label("employer_name"))
        .add_columns(User.email.label("specialist_email"))
        .join(e, e.id == link.c.employer_contact_id)
        .join(Employer, Employer.id == e.employer_id)
        .join(User, User.id == e.specialist_id)
        .where(link.c.client_id.in_(ids))
        .order_by(e.contact_date, e.ref)
    )
    return _by_client(session.execute(stmt))


def client_records(session: Session, client: Client) -> ClientRecords:
    """Load one client's records (one query per kind)."""
    return records_for(session, [client])[0]


def caseload_files(
    session: Session, *where, today: date, look_back: int, stored: frozenset[str] = frozenset()
) -> list[HomeFile]:
    """The clients ``where`` selects (by name) with only what the specialist's home reads, as plain
    rows: their jobs held or ended since ``today − look_back``; their benefits sessions and outcome
    measures dated on or before ``today``; when they have such a job, their client contacts since
    ``today − look_back`` (the job rules'); the latest contact that counts and the first about
    disclosure since entry; one face-to-face employer contact since entry. The rows are the narrow
    facts the home reads (no staff, minutes, employers or hours changes). Six queries, whatever the
    number of clients or the length of their history.

    ``stored``: the refs of the clients whose due items are stored for ``today`` (``due.py``): read,
    not derived, so their files hold only what the home's lines read — their jobs, the latest
    contact that counts and the first about disclosure, one face-to-face employer contact — and no
    recent contacts, benefits sessions or measures."""
    stmt = (
        select(Client.id, Client.ref, Client.name, Client.entry_date, User.email, Client.status_at_entry)
        .add_columns(Client.closed_on, Client.profile_started_on)
        .join(User, User.id == Client.specialist_id)
        .where(*where)
        .order_by(Client.name, Client.ref)
    )
    clients = session.execute(stmt).all()
    ids = [c.id for c in clients]
    if not ids:
        return []
    since = today - timedelta(days=look_back)
    jobs = _by_client(
        session.execute(
            select(Job.client_id, Job.ref, Job.start_date, Job.end_date, Job.title)
            .where(Job.client_id.in_(ids), or_(Job.end_date.is_(None), Job.end_date >= since))
            .order_by(Job.start_date, Job.ref)
        )
    )
    rule_ids = [c.id for c in clients if c.ref not in stored]
    working = [i for i in rule_ids if jobs[i]]
    contacts = _home_contacts(session, ids, rule_ids, working, today, since)
    visits = home_visits(session, ids, today)
    k, m = BenefitsSession, OutcomeMeasure
    benefits = _by_client(
        session.execute(
            select(k.client_id, k.ref, k.session_date)
            .where(k.client_id.in_(rule_ids), k.session_date <= today)
            .order_by(k.session_date, k.ref)
        )
    )
    measures = _by_client(
        session.execute(
            select(m.client_id, m.ref, m.measured_on, m.timepoint)
            .where(m.client_id.in_(rule_ids), m.measured_on <= today)
            .order_by(m.measured_on, m.ref)
        )
    )
    return [
        HomeFile(
            client=ClientFact(
                c.ref, c.entry_date, c.email, c.status_at_entry, c.closed_on, c.profile_started_on
            ),
            name=c.name,
            jobs=tuple(TitledJob(j.ref, c.ref, j.start_date, j.end_date, title=j.title) for j in jobs[c.id]),
            contacts=tuple(
                ContactFact(x.ref, c.ref, x.contact_date, x.mode, x.purpose) for x in contacts[c.id]
            ),
            employer_contacts=tuple(VisitFact(e.ref, e.contact_date, e.mode, (c.ref,)) for e in visits[c.id]),
            benefits=tuple(BenefitsFact(b.ref, c.ref, b.session_date) for b in benefits[c.id]),
            measures=tuple(MeasureFact(x.ref, c.ref, x.measured_on, x.timepoint) for x in measures[c.id]),
        )
        for c in clients
    ]


def _home_contacts(
    session: Session, ids: list[int], rule_ids: list[int], working: list[int], today: date, since: date
):
    """The contacts of the clients ``working`` (those with a job the home looks at) since ``since``,
    each client's latest contact that counts (first contact, outreach, last contact: the home's line)
    and, for the clients ``rule_ids`` whose items are derived, the first one about disclosure since
    entry, whenever they were: all the client rules need."""
    k = ClientContact
    columns = (k.client_id, k.ref, k.contact_date, k.mode, k.purpose)
    recent = select(*columns).where(k.client_id.in_(working), k.contact_date.between(since, today))
    latest = _latest_contacts(ids, rule_ids, today).subquery()
    witnesses = select(*columns).where(k.id.in_(union(select(latest.c.counts), select(latest.c.disclosure))))
    rows = union(recent, witnesses).subquery()
    return _by_client(session.execute(select(rows).order_by(rows.c.contact_date, rows.c.ref)))


def _latest_contacts(ids: list[int], rule_ids: list[int], today: date):
    """Per client the ids of its latest contact that counts and, for the clients ``rule_ids``, its
    first disclosure contact since entry (a stored client's items need no witness: NULL).

    Each is an index walk from one end of the client's contacts that stops at the first match."""
    k = ClientContact
    mine = (k.client_id == Client.id, k.contact_date <= today)
    counts = (
        select(k.id)
        .where(*mine, k.purpose != "outreach", k.mode != "message")
        .order_by(k.contact_date.desc(), k.id.desc())
        .limit(1)
    )
    disclosure = (
        select(k.id)
        .where(*mine, k.contact_date >= Client.entry_date, k.purpose == "disclosure")
        .order_by(k.contact_date, k.id)
        .limit(1)
    )
    witness = case((Client.id.in_(rule_ids), disclosure.scalar_subquery()), else_=None)
    return select(counts.scalar_subquery().label("counts"), witness.label("disclosure")).where(
        Client.id.in_(ids)
    )


def home_visits(session: Session, ids: list[int], today: date) -> defaultdict[int, list]:
    """For each client one face-to-face employer contact since entry, if any (rapid job search, phase).

    Any one will do, so the lookup stops at the first match."""
    link, e = employer_contact_clients, EmployerContact
    one = (
        select(e.id)
        .join(link, link.c.employer_contact_id == e.id)
        .where(
            link.c.client_id == Client.id,
            e.mode == "face_to_face",
            e.contact_date.between(Client.entry_date, today),
        )
        .limit(1)
        .scalar_subquery()
    )
    found = select(Client.id.label("client_id"), one.label("contact_id")).where(Client.id.in_(ids)).subquery()
    stmt = select(found.c.client_id, e.ref, e.contact_date, e.mode).join(e, e.id == found.c.contact_id)
    return _by_client(session.execute(stmt))


def client_file(r: ClientRecords) -> ClientFile:
    """The plain rows of a client's records (their relationships must be loaded: no query here)."""
    c = r.client
    row = ClientRow(
        c.ref,
        c.entry_date,
        r.specialist.email,
        c.status_at_entry,
        c.closed_on,
        c.profile_started_on,
        treatment_team_ref=r.team.ref if r.team else None,
        closure_reason=c.closure_reason,
        preferred_job_types=tuple(c.job_type_list),
        trial_arm=c.trial_arm,
    )
    return ClientFile(
        client=row,
        name=c.name,
        specialist_name=r.specialist.name,
        team_name=r.team.name if r.team else None,
        referral_ref=r.referral.ref if r.referral else None,
        referral_date=c.referral_date or (r.referral.received_on if r.referral else None),
        profile_completed_on=c.profile_completed_on,
        profile_updated_on=c.profile_updated_on,
        plan_review_date=r.plan.review_date if r.plan else None,
        plan_steps=tuple(
            StepLine(due_date=s.due_date, done_on=s.done_on) for s in (r.plan.steps if r.plan else ())
        ),
        jobs=tuple(_job_line(c.ref, j) for j in r.jobs),
        contacts=tuple(_contact_row(c.ref, k) for k in r.contacts),
        employer_contacts=tuple(_visit(c.ref, e) for e in r.employer_contacts),
        benefits=tuple(_benefits_line(c.ref, b) for b in r.benefits),
        measures=tuple(measure_rows(c, r.measures)),
        notes=tuple(NoteLine(ref=n.ref, noted_on=n.noted_on, kind=n.kind) for n in r.notes),
        job_type_names=tuple(r.job_type_names),
    )


def _job_line(client_ref: str, j: Job) -> JobLine:
    hours = tuple(HoursChangeRow(h.effective_from, h.hours_per_week) for h in j.hours_changes)
    row = JobRow(
        j.ref,
        client_ref,
        j.start_date,
        j.end_date,
        employer_ref=j.employer.ref,
        hours_per_week=j.hours_per_week,
        competitive=j.competitive,
        job_type=j.job_type,
        hours_changes=hours,
    )
    return JobLine(row, j.title, j.employer.name, tuple(j.not_competitive_because), j.end_reason)


def _benefits_line(client_ref: str, b: BenefitsSession) -> BenefitsLine:
    return BenefitsLine(b.ref, client_ref, b.session_date, trained_planner=b.trained_planner, kind=b.kind)


def _contact_row(client_ref: str, k: Row) -> ClientContactRow:
    return ClientContactRow(
        k.ref,
        client_ref,
        k.contact_date,
        k.mode,
        k.purpose,
        staff_email=k.staff_email,
        location=k.location,
        minutes=k.minutes or 0,
    )


def _visit(client_ref: str, e: Row) -> EmployerVisit:
    return EmployerVisit(
        e.ref,
        e.contact_date,
        e.mode,
        (client_ref,),
        specialist_email=e.specialist_email,
        employer_ref=e.employer_ref,
        job_type=e.job_type,
        minutes=e.minutes or 0,
        employer_name=e.employer_name,
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
