"""Finding a programme by its ref: for the pages (404 outside the person's own programme) and for
the commands (a one-line failure)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.cli import fail
from caseload.teams.models import Program


def program_by_ref(session: Session, ref: str) -> Program | None:
    """The programme with ``ref``, or None."""
    return session.scalar(select(Program).where(Program.ref == ref))


def program_for(session: Session, user: User, ref: str) -> Program:
    """The programme ``ref`` when it is ``user``'s own; 404 otherwise (the view's roles decide who)."""
    program = program_by_ref(session, ref)
    if program is None or program.id != user.program_id:
        abort(404)
    return program


def program_or_fail(session: Session, ref: str) -> Program:
    """The programme ``ref`` for a command, or a one-line failure."""
    program = program_by_ref(session, ref)
    if program is None:
        fail(f"no programme {ref!r}")
    return program
