"""Reads for the outcome pages, exports and commands: a programme's rows, names and measures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.clients.scoping import scoped_clients
from caseload.jobs.models import Job
from caseload.loaders import client_rows, job_rows
from caseload.outcomes.models import OutcomeMeasure
from caseload.outcomes.quarterly import Quarter
from caseload.rows import MeasureRow, ProgramData, ReferralRow
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
    data.jobs = job_rows(session, and_(Job.client_id.in_(client_refs), jobs), client_refs)
    if measures:
        _measures(session, program, data, client_refs)
    return data


def _measures(session: Session, program: Program, data: ProgramData, client_refs: dict[int, str]) -> None:
    odi = [getattr(OutcomeMeasure, f"odi_{i}") for i in range(1, 11)]
    m = OutcomeMeasure
    stmt = select(m.ref, m.client_id, m.measured_on, m.timepoint, m.eq_vas, m.pain_nrs, *odi).where(
        m.client_id.in_(select(Client.id).where(Client.program_id == program.id))
    )
    data.measures = [
        MeasureRow(ref, client_refs[cid], day, timepoint, odi=tuple(sections), eq_vas=eq_vas, pain_nrs=nrs)
        for ref, cid, day, timepoint, eq_vas, nrs, *sections in session.execute(stmt)
    ]


def measure_dates(
    session: Session, client_ids: Iterable[int] | Select, on_or_before: date | None
) -> list[tuple[str, int, date, str]]:
    """Ref, client id, date and timepoint of the clients' measures (the prompt rules' rows)."""
    m = OutcomeMeasure
    stmt = select(m.ref, m.client_id, m.measured_on, m.timepoint).where(m.client_id.in_(client_ids))
    if on_or_before is not None:
        stmt = stmt.where(m.measured_on <= on_or_before)
    return [tuple(row) for row in session.execute(stmt)]  # type: ignore[misc]


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
        MeasureRow(
            m.ref,
            client.ref,
            m.measured_on,
            m.timepoint,
            odi=tuple(m.odi),
            eq_vas=m.eq_vas,
            pain_nrs=m.pain_nrs,
        )
        for m in measures
    ]


def arms_from_trial(session: Session, program: Program) -> set[str]:
    """The refs of the programme's clients whose ``trial_arm`` is the arm the trial allocated
    them (a participant's referral became the client); any other arm was recorded outside the
    trial. The trial's tables are read by name: outcomes does not import the trial feature
    beside it, and the referral is the link between the two."""
    tables = Client.metadata.tables
    participants, allocations = tables["trial_participants"], tables["trial_allocations"]
    arms = tables["trial_arms"]
    stmt = (
        select(Client.ref)
        .join(Referral, Referral.client_id == Client.id)
        .join(participants, participants.c.referral_id == Referral.id)
        .join(allocations, allocations.c.participant_id == participants.c.id)
        .join(arms, and_(arms.c.id == allocations.c.arm_id, arms.c.code == Client.trial_arm))
        .where(Client.program_id == program.id)
    )
    return set(session.scalars(stmt))
