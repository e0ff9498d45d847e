"""What an import from the web page may touch: the importer's own programme; and, unless the
importer is an admin, no admin and no one's role. An administrator, who sees no client data by role
alone, imports and exports programmes, treatment teams and staff only. (The command line imports
for the whole installation.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.exchange.cells import items_of
from caseload.exchange.parse import Record
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.queries import chunks, program_filter
from caseload.exchange.schema import DEFAULTS, FileSpec, Values
from caseload.exchange.tables import BY_FILE, Target
from caseload.exchange.trial_files import TRIAL_BY_FILE, TrialTarget
from caseload.teams.models import TreatmentTeam, user_teams

ADMIN_FILES = frozenset({"programs.csv", "treatment_teams.csv", "staff.csv"})
ADMIN_REFUSED = (
    "an administrator imports only programs.csv, treatment_teams.csv and staff.csv: this file has rows"
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The importing person's programme and role."""

    program_id: int
    program_ref: str
    role: str


def scope_problems(session: Session, spec: FileSpec, records: list[Record], scope: Scope) -> list[Problem]:
    """Rows (of file ``spec``) that reach outside the importer's programme or above their role."""
    problems = list(_other_programs(spec, records, scope))
    target = BY_FILE.get(spec.name) or TRIAL_BY_FILE.get(spec.name)
    if target is not None and target.owner is not None and target.key in (("ref",), ("email",)):
        problems.extend(_owned_elsewhere(session, records, target, scope.program_id))
    if scope.role != "admin" and spec.name == "staff.csv":
        problems.extend(_people(session, records))
    return problems


def _other_programs(spec: FileSpec, records: list[Record], scope: Scope) -> Iterator[Problem]:
    message = f"you can import only into your own programme {scope.program_ref!r}"
    column = "ref" if spec.name == "programs.csv" else "program_ref"
    for record in records:
        if column in record.values and record.values[column] not in (None, scope.program_ref):
            yield Problem(spec.name, record.line, column, message)


def _owned_elsewhere(
    session: Session, records: list[Record], target: Target | TrialTarget, program_id: int
) -> Iterator[Problem]:
    """Rows whose key names a record of another programme (an upsert would take it over)."""
    key = target.key[0]
    column = target.table.c[key]
    foreign: set[str] = set()
    for batch in chunks(_keys(records, key)):
        stmt = select(column).where(
            column.in_(batch), not_(program_filter(target.owner, target.table, program_id))
        )
        foreign.update(session.scalars(stmt))
    for record in records:
        if record.values[key] in foreign:
            yield Problem(target.spec.name, record.line, key, "belongs to another programme")


def _keys(records: list[Record], name: str) -> list[str]:
    """The keys (refs or e-mails) in column ``name`` of ``records``, sorted, each once."""
    return sorted({key for r in records if isinstance(key := r.values[name], str)})


class _Person(NamedTuple):
    """What a stored person's row in ``staff.csv`` would change."""

    role: str
    name: str
    fte: Decimal
    active: bool
    id: int


def _people(session: Session, records: list[Record]) -> Iterator[Problem]:
    """Rows of ``staff.csv`` that only an admin may import: a new admin, a change of an existing
    person's role, any change to an admin. A row that changes nothing is fine (so a supervisor's
    own export imports again)."""
    stored: dict[str, _Person] = {}
    for batch in chunks(_keys(records, "email")):
        stmt = select(User.email, User.role, User.name, User.fte, User.active, User.id)
        for email, *person in session.execute(stmt.where(User.email.in_(batch))):
            stored[email] = _Person(*person)
    teams = _admin_teams(session, [old.id for old in stored.values() if old.role == "admin"])
    for record in records:
        values, email = record.values, record.values["email"]
        old = stored.get(email) if isinstance(email, str) else None
        if values["role"] is None:  # a bad cell, already a problem
            continue
        if old is None and values["role"] == "admin":
            yield Problem("staff.csv", record.line, "role", "only an admin can import admins")
        elif old is not None and old.role != values["role"]:
            message = f"only an admin can change a person's role (now {old.role})"
            yield Problem("staff.csv", record.line, "role", message)
        elif old is not None and old.role == "admin" and _changes(values, old, teams.get(old.id, set())):
            yield Problem("staff.csv", record.line, WHOLE_ROW, "only an admin can change an admin")


def _admin_teams(session: Session, ids: list[int]) -> dict[int, set[str]]:
    teams: dict[int, set[str]] = {}
    stmt = select(user_teams.c.user_id, TreatmentTeam.ref).join(TreatmentTeam)
    for user_id, ref in session.execute(stmt.where(user_teams.c.user_id.in_(ids))):
        teams.setdefault(user_id, set()).add(ref)
    return teams


def _changes(values: Values, old: _Person, teams: set[str]) -> bool:
    """The staff row would change the stored person (name, fte, active, role or teams)."""
    _role, name, fte, active, _id = old
    fte_given = values["fte"] if values["fte"] is not None else DEFAULTS[("staff.csv", "fte")]
    active_given = values["active"] if values["active"] is not None else True
    given_teams = set(items_of(values["treatment_team_refs"]))
    return (name, fte, active, teams) != (values["name"], fte_given, active_given, given_teams)
