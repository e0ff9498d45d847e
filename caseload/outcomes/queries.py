"""Reads for the outcome pages, exports and commands: a programme's rows, names and measures."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.clients.scoping import scoped_clients
from caseload.outcomes.models import OutcomeMeasure
from caseload.rows import MeasureRow, ProgramData
from caseload.snapshot import program_data
from caseload.teams.models import Program


def program_by_ref(session: Session, ref: str) -> Program | None:
    """The programme with ``ref``, or None."""
    return session.scalar(select(Program).where(Program.ref == ref))


def program_rows(session: Session, program: Program) -> ProgramData:
    """The programme's records that outcomes need, as plain rows (contacts are not needed)."""
    return program_data(session, program, contacts=False)


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
