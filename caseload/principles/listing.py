"""The clients list: every client a person may see, with phase, specialist, team and state.

Three queries whatever the number of clients (the clients, the jobs they hold today, one
face-to-face employer contact of each since entry); the phase comes from ``home.client_phase``, the one
rule the specialist's home uses too. Clinicians get no phase: their view reads no employer contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.clients.scoping import client_scope
from caseload.jobs.models import Job
from caseload.principles.home import PHASE_LABELS, client_phase
from caseload.principles.queries import home_visits
from caseload.rows import ClientFact, JobFact, VisitFact
from caseload.teams.models import TreatmentTeam

SHOWN_MAX = 300  # rows on one page; a search narrows a larger list


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the clients list."""

    ref: str
    name: str
    specialist_id: int
    specialist_name: str
    team_id: int | None
    team_name: str | None
    closed_on: date | None
    phase: str | None  # None: closed, or not shown to this person

    @property
    def phase_label(self):
        """The phase, in words ('' when there is none)."""
        return PHASE_LABELS[self.phase] if self.phase else ""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the person narrowed the list to (empty: everything in scope)."""

    text: str = ""
    phase: str = ""
    specialist_id: int = 0
    team_id: int = 0
    state: str = "open"  # open | closed | all

    def keeps(self, row: ListRow) -> bool:
        """The row matches the filters."""
        words = self.text.casefold().split()
        haystack = f"{row.name} {row.ref}".casefold()
        return (
            all(w in haystack for w in words)
            and (not self.phase or row.phase == self.phase)
            and (not self.specialist_id or row.specialist_id == self.specialist_id)
            and (not self.team_id or row.team_id == self.team_id)
            and (self.state == "all" or (row.closed_on is None) == (self.state == "open"))
        )


def client_list(session: Session, user: User, today: date, filters: Filters) -> list[ListRow]:
    """The clients in ``user``'s scope that match ``filters``: open ones first, then by name."""
    scope = client_scope(user)
    stmt = (
        select(Client.id, Client.ref, Client.name, Client.entry_date, Client.status_at_entry)
        .add_columns(Client.closed_on, Client.profile_started_on, User.email)
        .add_columns(User.id.label("specialist_id"), User.name.label("specialist_name"))
        .add_columns(TreatmentTeam.id.label("team_id"), TreatmentTeam.name.label("team_name"))
        .join(User, User.id == Client.specialist_id)
        .outerjoin(TreatmentTeam, TreatmentTeam.id == Client.treatment_team_id)
        .where(scope)
        .order_by(Client.closed_on.is_not(None), Client.name, Client.ref)
    )
    if filters.state != "all":
        stmt = stmt.where(
            Client.closed_on.is_(None) if filters.state == "open" else Client.closed_on.is_not(None)
        )
    clients = session.execute(stmt).all()
    with_phase = user.role != "clinician"
    jobs = _held_jobs(session, scope, today) if with_phase else {}
    visits = home_visits(session, [c.id for c in clients], today) if with_phase else {}
    rows = []
    for c in clients:
        phase = None
        if with_phase and c.closed_on is None:
            client = ClientFact(
                c.ref, c.entry_date, c.email, c.status_at_entry, c.closed_on, c.profile_started_on
            )
            met = [VisitFact(v.ref, v.contact_date, v.mode, (c.ref,)) for v in visits.get(c.id, [])]
            phase = client_phase(client, jobs.get(c.id, []), met, today)
        rows.append(
            ListRow(
                c.ref, c.name, c.specialist_id, c.specialist_name, c.team_id, c.team_name, c.closed_on, phase
            )
        )
    return [r for r in rows if filters.keeps(r)]


def _held_jobs(session: Session, scope, today: date) -> dict[int, list[JobFact]]:
    """The jobs each client in scope holds today."""
    stmt = (
        select(Job.client_id, Job.ref, Client.ref.label("client_ref"), Job.start_date, Job.end_date)
        .join(Client, Client.id == Job.client_id)
        .where(scope, Job.start_date <= today, or_(Job.end_date.is_(None), Job.end_date >= today))
    )
    held: dict[int, list[JobFact]] = {}
    for j in session.execute(stmt):
        held.setdefault(j.client_id, []).append(JobFact(j.ref, j.client_ref, j.start_date, j.end_date))
    return held


def team_choices(session: Session, user: User) -> list[tuple[int, str]]:
    """The treatment teams a person can filter by: their own for a clinician, else the programme's."""
    stmt = select(TreatmentTeam.id, TreatmentTeam.name).order_by(TreatmentTeam.name, TreatmentTeam.ref)
    if user.role == "clinician":
        stmt = stmt.where(TreatmentTeam.members.any(User.id == user.id))
    else:
        stmt = stmt.where(TreatmentTeam.program_id == user.program_id)
    return [(t.id, t.name) for t in session.execute(stmt)]


def specialist_choices(session: Session, user: User) -> list[tuple[int, str]]:
    """The programme's specialists a supervisor can filter by (active or holding clients)."""
    holds = select(Client.id).where(Client.specialist_id == User.id).exists()
    stmt = (
        select(User.id, User.name)
        .where(User.program_id == user.program_id, User.role == "specialist", or_(User.active, holds))
        .order_by(User.name)
    )
    return [(u.id, u.name) for u in session.execute(stmt)]
