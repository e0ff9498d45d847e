"""Writes about programmes and teams. Services add and flush; the caller commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseload.db import next_ref
from caseload.teams.models import Program, TreatmentTeam


def program_create(session: Session, *, name: str, ref: str | None = None) -> Program:
    """Add a programme."""
    program = Program(ref=ref or next_ref(session, Program), name=name)
    session.add(program)
    session.flush()
    return program


def team_create(session: Session, *, program_id: int, name: str, ref: str | None = None) -> TreatmentTeam:
    """Add a treatment team to a programme."""
    team = TreatmentTeam(ref=ref or next_ref(session, TreatmentTeam), program_id=program_id, name=name)
    session.add(team)
    session.flush()
    return team
