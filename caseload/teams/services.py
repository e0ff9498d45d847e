"""Writes about programmes and teams. Services add and flush; the caller commits."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.db import next_ref
from caseload.l10n import lazy_gettext as _l
from caseload.teams.models import Program, TreatmentTeam
from caseload.writes import DomainError


def program_create(session: Session, *, name: str, ref: str | None = None) -> Program:
    """Add a programme."""
    program = Program(ref=ref or next_ref(session, Program), name=name)
    session.add(program)
    session.flush()
    return program


def program_settings_update(
    session: Session, *, program: Program, name: str, full_time_hours: Decimal, user_id: int
) -> None:
    """Rename a programme and set its full-time week (V13's scheduled hours); an administrative
    action, audited with the programme's ref (no health data)."""
    if not name.strip():
        raise DomainError(_l("Enter the programme's name."), "name")
    if not (full_time_hours.is_finite() and 0 < full_time_hours <= 60):
        raise DomainError(_l("A full-time week is more than 0 and at most 60 hours."), "full_time_hours")
    program.name, program.full_time_hours = name.strip(), full_time_hours
    session.flush()
    audit(session, action="program_settings", target=program.ref, user_id=user_id)


def team_create(session: Session, *, program_id: int, name: str, ref: str | None = None) -> TreatmentTeam:
    """Add a treatment team to a programme."""
    team = TreatmentTeam(ref=ref or next_ref(session, TreatmentTeam), program_id=program_id, name=name)
    session.add(team)
    session.flush()
    return team
