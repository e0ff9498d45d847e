"""Writes about programmes and teams. Services add and flush; the caller commits."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
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


PROGRAM_CHANGED = "caseload_program_changed"


def program_changed(session: Session, *, program_id: int, now: datetime) -> None:
    """Run the hooks features above register (the prompts refresh) after a programme-level record
    changed: a weekly review of a specialist's log, a finalised fidelity review.

    A feature registers ``fn(session, program_id, now)`` with
    ``app.extensions.setdefault(PROGRAM_CHANGED, []).append(fn)``; the features below never import it.
    """
    for hook in current_app.extensions.get(PROGRAM_CHANGED, []):
        hook(session, program_id, now)
