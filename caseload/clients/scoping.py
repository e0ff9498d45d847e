"""The one scoping function: which clients a person may see. Out of scope answers 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.teams.models import user_teams


def client_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Client: specialist = own caseload, supervisor = the programme,
    clinician = clients of their treatment teams, admin (and anyone else) = none."""
    if user.role == "specialist":
        return Client.specialist_id == user.id
    if user.role == "supervisor":
        return Client.program_id == user.program_id
    if user.role == "clinician":
        teams = select(user_teams.c.team_id).where(user_teams.c.user_id == user.id)
        return Client.treatment_team_id.in_(teams)
    return false()


def scoped_clients(user: User):
    """SELECT of the clients ``user`` may see."""
    return select(Client).where(client_scope(user))


def client_for(session: Session, user: User, ref: str, *, action: str = "view") -> Client:
    """The client with ``ref`` if ``user`` may see it, else 404; audits the access."""
    client = session.scalar(scoped_clients(user).where(Client.ref == ref))
    if client is None:
        abort(404)
    audit(session, action=action, client_id=client.id, target=client.ref, user_id=user.id)
    return client
