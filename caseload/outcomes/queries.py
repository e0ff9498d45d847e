"""Reads for the outcome pages, exports and commands: a programme's rows, names and measures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.clients.scoping import scoped_clients
from caseload.employers.models import Employer
from caseload.jobs.models import Job, JobHours
from caseload.loaders import client_rows
from caseload.outcomes.models import OutcomeMeasure
from caseload.outcomes.quarterly import IN_WORK, OUT_OF_WORK, Quarter
from caseload.rows import HoursChangeRow, JobRow, MeasureRow, ProgramData, ReferralRow
from caseload.teams.models import Program


def program_rows(
    session: Session, program: Program, *, quarter: Quarter | None = None, measures: bool = False
) -> ProgramData:
    """What the outcomes read, as plain rows from narrow selects: the programme's clients, referrals
    and competitive jobs with their hours changes (no other job counts in an outcome), and its
    questionnaires when ``measures``. Four or five queries, whatever the programme's size, read as
    Core rows through the session's connection (plain columns need none of the ORM's row loading).

    With ``quarter``, only the rows that quarter's outcomes depend on (metrics.md): the clients it
    served, took in or closed, or who started a competitive job in it; their competitive jobs
    started by its end (the earlier ones decide the first job); and the referrals it received.
    ``quarterly_outcome`` gives the same numbers for that quarter from these rows as from all."""
    clients: ColumnElement[bool] = Client.program_id == program.id
    jobs = and_(Job.competitive)
    referrals = Referral.program_id == program.id
    if quarter is not None:
        qs, qe = quarter.start, quarter.end
        starting = select(Job.client_id).where(Job.competitive, Job.start_date.between(qs, qe))
        served = and_(Client.entry_date <= qe, or_(Client.closed_on.is_(None), Client.closed_on > qs))
        clients = and_(
            clients,
            or_(
                served,
                Client.entry_date.between(qs, qe),
                Client.closed_on.between(qs, qe),
                Client.id.in_(starting),
            ),
        )
        jobs = and_(jobs, Job.start_date <= qe)
        referrals = and_(referrals, Referral.received_on.between(qs, qe))
    data = ProgramData(program_ref=program.ref)
    client_refs = client_rows(session, clients, data)
    stmt = select(Referral.ref, Referral.received_on, Referral.decision, Referral.reason)
    data.referrals = [ReferralRow(*row) for row in session.execute(stmt.where(referrals))]
    _jobs(session, and_(clients, jobs), data)
    if measures:
        _measures(session, program, data, client_refs)
    return data


def quarter_counts(session: Session, program: Program, quarter: Quarter) -> tuple[dict[str, int], int]:
    """The counts of metrics.md's quarterly table for one quarter, and the number of its new clients
    in work at entry, counted in SQL: three aggregate statements whatever the programme's size, and
    the same numbers as ``quarterly_outcome`` over the programme's rows (tests/outcomes/test_rows.py)."""
    qs, qe = quarter.start, quarter.end
    served = and_(Client.entry_date <= qe, or_(Client.closed_on.is_(None), Client.closed_on > qs))
    out_of_work = Client.status_at_entry.in_(OUT_OF_WORK)
    new = Client.entry_date.between(qs, qe)
    stmt = select(
        _count(served),
        _count(and_(served, out_of_work)),
        _count(new),
        _count(Client.closed_on.between(qs, qe)),
        _count(and_(new, Client.status_at_entry.in_(IN_WORK))),
    )
    keys = ("clients_served", "out_of_work_served", "new_clients", "closures")
    # Every client counted here was open on qs or entered or closed since: index-friendly.
    recent = or_(Client.closed_on.is_(None), Client.closed_on >= qs, Client.entry_date >= qs)
    *values, new_in_work = session.execute(stmt.where(Client.program_id == program.id, recent)).one()
    counts = dict(zip(keys, values, strict=True))
    counts.update(_job_counts(session, program, qs, qe))
    stmt = select(func.count(), _count(Referral.decision == "accepted")).where(
        Referral.program_id == program.id, Referral.received_on.between(qs, qe)
    )
    counts["referrals_received"], counts["referrals_accepted"] = session.execute(stmt).one()
    return counts, new_in_work


def _count(condition, value=1, *, distinct_values: bool = False):
    """How many rows meet ``condition`` (how many distinct ``value`` with ``distinct_values``)."""
    counted = case((condition, value))
    return func.count(distinct(counted) if distinct_values else counted)


def _job_counts(session: Session, program: Program, qs: date, qe: date) -> dict[str, int]:
    """From the programme's competitive jobs that overlap the quarter: its served clients working,
    those of them out of work at entry, the jobs obtained in IPS (on or after entry) started in it,
    and the clients whose first such job that is."""
    served = and_(Client.entry_date <= qe, or_(Client.closed_on.is_(None), Client.closed_on > qs))
    started = and_(Job.start_date >= qs, Job.start_date >= Client.entry_date)
    earlier = aliased(Job)
    first = ~exists().where(
        earlier.client_id == Job.client_id,
        earlier.competitive,
        earlier.start_date >= Client.entry_date,
        earlier.start_date < Job.start_date,
    )
    stmt = (
        select(
            _count(served, Job.client_id, distinct_values=True),
            _count(
                and_(served, Client.status_at_entry.in_(OUT_OF_WORK)), Job.client_id, distinct_values=True
            ),
            _count(started),
            _count(and_(started, first), Job.client_id, distinct_values=True),
        )
        .join(Client, Client.id == Job.client_id)
        .where(
            Client.program_id == program.id,
            Job.competitive,
            # not through the start_date index: SQLite would walk nearly every job ever started
            func.coalesce(Job.start_date, Job.start_date) <= qe,
            or_(Job.end_date.is_(None), Job.end_date >= qs),
        )
    )
    keys = ("clients_working", "out_of_work_working", "job_starts", "first_job_starts")
    return dict(zip(keys, session.execute(stmt).one(), strict=True))


def _jobs(session: Session, condition, data: ProgramData) -> None:
    """The jobs that meet ``condition`` (on Job and Client), with their hours changes."""
    hours = defaultdict(list)
    stmt = (
        select(JobHours.job_id, JobHours.effective_from, JobHours.hours_per_week)
        .join(Job, Job.id == JobHours.job_id)
        .join(Client, Client.id == Job.client_id)
        .where(condition)
        .order_by(JobHours.effective_from)
    )
    for job_id, since, per_week in session.execute(stmt):
        hours[job_id].append(HoursChangeRow(since, per_week))
    stmt = (
        select(Job.id, Job.ref, Client.ref, Employer.ref, Job.start_date, Job.hours_per_week, Job.job_type)
        .add_columns(Job.end_date, Job.competitive)
        .join(Client, Client.id == Job.client_id)
        .join(Employer, Employer.id == Job.employer_id)
        .where(condition)
    )
    rows = session.execute(stmt)
    data.jobs = [
        JobRow(ref, client, employer, start, per_week, bool(competitive), job_type, end, tuple(hours[job_id]))
        for job_id, ref, client, employer, start, per_week, job_type, end, competitive in rows
    ]


def _measures(session: Session, program: Program, data: ProgramData, client_refs: dict[int, str]) -> None:
    odi = [getattr(OutcomeMeasure, f"odi_{i}") for i in range(1, 11)]
    m = OutcomeMeasure
    stmt = select(m.ref, m.client_id, m.measured_on, m.timepoint, m.eq_vas, m.pain_nrs, *odi).where(
        m.client_id.in_(select(Client.id).where(Client.program_id == program.id))
    )
    data.measures = [
        MeasureRow(ref, client_refs[cid], day, timepoint, tuple(sections), eq_vas, nrs)
        for ref, cid, day, timepoint, eq_vas, nrs, *sections in session.execute(stmt)
    ]


def visible_clients(session: Session, user: User, refs: Iterable[str]) -> dict[str, Client]:
    """The clients among ``refs`` that ``user`` may see, by ref (one query)."""
    wanted = list(dict.fromkeys(refs))
    if not wanted:
        return {}
    stmt = scoped_clients(user).where(Client.ref.in_(wanted))
    return {c.ref: c for c in session.scalars(stmt)}


def referrals_by_ref(session: Session, program: Program, refs: Iterable[str]) -> list[Referral]:
    """The programme's referrals among ``refs``, by ref."""
    stmt = select(Referral).where(Referral.program_id == program.id, Referral.ref.in_(list(refs)))
    return list(session.scalars(stmt.order_by(Referral.ref)))


def client_measures(session: Session, client: Client) -> list[OutcomeMeasure]:
    """The client's questionnaires, oldest first."""
    stmt = select(OutcomeMeasure).where(OutcomeMeasure.client_id == client.id)
    return list(session.scalars(stmt.order_by(OutcomeMeasure.measured_on, OutcomeMeasure.id)))


def measure_for(session: Session, client: Client, ref: str) -> OutcomeMeasure | None:
    """The client's measure with ``ref``, or None."""
    stmt = select(OutcomeMeasure).where(OutcomeMeasure.client_id == client.id, OutcomeMeasure.ref == ref)
    return session.scalar(stmt)


def measure_rows(client: Client, measures: Iterable[OutcomeMeasure]) -> list[MeasureRow]:
    """Plain rows of one client's measures for the pure PROM functions."""
    return [
        MeasureRow(m.ref, client.ref, m.measured_on, m.timepoint, m.odi, m.eq_vas, m.pain_nrs)
        for m in measures
    ]
