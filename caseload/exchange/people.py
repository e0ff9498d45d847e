"""An administrator's import that changes people: each change is audited and shown to the person at
their next sign-in, as a change made on the people pages is."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.auth.services import account_change_record
from caseload.teams.models import user_teams

FIELDS = ("name", "role", "program_id", "fte", "active")


Settings = dict[str, object]
"""A person's settings by field name (``FIELDS``), and the ids of their teams under ``teams``."""


def staff_state(session: Session, where: ColumnElement[bool]) -> dict[int, Settings]:
    """The settings an administrator can change, of the people matching ``where``, read from the
    database (an import writes them in bulk, around the session's objects)."""
    rows = session.execute(select(User.id, *(getattr(User, f) for f in FIELDS)).where(where)).all()
    teams: dict[int, set[int]] = {row[0]: set() for row in rows}
    links = session.execute(
        select(user_teams.c.user_id, user_teams.c.team_id).where(user_teams.c.user_id.in_(teams))
    )
    for user_id, team_id in links:
        teams[user_id].add(team_id)
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) | {"teams": teams[row[0]]} for row in rows}


def staff_changes_record(session: Session, *, before: dict[int, Settings], changed_by_id: int) -> int:
    """Record the changes to the people of ``before`` (a ``staff_state``); returns how many changed."""
    after = staff_state(session, User.id.in_(before))
    changed = 0
    for user_id, old in sorted(before.items()):
        fields = [f for f in (*FIELDS, "teams") if after[user_id][f] != old[f]]
        if fields:
            user = session.get_one(User, user_id)
            account_change_record(session, user=user, changes=fields, changed_by_id=changed_by_id)
            changed += 1
    return changed
