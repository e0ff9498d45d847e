"""What an import from the web page may touch: the importer's own programme, and no admins
unless the importer is one; an administrator, who sees no client data by role alone, imports and
exports programmes, treatment teams and staff only. (The command line imports for the whole
installation.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.exchange.parse import ParseResult
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.queries import chunks, program_filter
from caseload.exchange.tables import TARGETS, Target

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


def scope_problems(session: Session, result: ParseResult, scope: Scope) -> list[Problem]:
    """Rows that reach outside the importer's programme or above their role."""
    problems = list(_other_programs(result, scope))
    for target in TARGETS:
        if target.owner is not None and target.key in (("ref",), ("email",)):
            problems.extend(_owned_elsewhere(session, result, target, scope.program_id))
    if scope.role != "admin":
        problems.extend(_admins(session, result))
    return problems


def _other_programs(result: ParseResult, scope: Scope) -> Iterator[Problem]:
    message = f"you can import only into your own programme {scope.program_ref!r}"
    for name, records in result.records.items():
        column = "ref" if name == "programs.csv" else "program_ref"
        for record in records:
            if column in record.values and record.values[column] != scope.program_ref:
                yield Problem(name, record.line, column, message)


def _owned_elsewhere(
    session: Session, result: ParseResult, target: Target, program_id: int
) -> Iterator[Problem]:
    """Rows whose key names a record of another programme (an upsert would take it over)."""
    key = target.key[0]
    records = result.records.get(target.spec.name, [])
    column = target.table.c[key]
    foreign: set[str] = set()
    for batch in chunks(sorted({r.values[key] for r in records})):
        stmt = select(column).where(
            column.in_(batch), not_(program_filter(target.owner, target.table, program_id))
        )
        foreign.update(session.scalars(stmt))
    for record in records:
        if record.values[key] in foreign:
            yield Problem(target.spec.name, record.line, key, "belongs to another programme")


def _admins(session: Session, result: ParseResult) -> Iterator[Problem]:
    records = result.records.get("staff.csv", [])
    emails = sorted({r.values["email"] for r in records})
    admins: set[str] = set()
    for batch in chunks(emails):
        stmt = select(User.email).where(User.email.in_(batch), User.role == "admin")
        admins.update(session.scalars(stmt))
    for record in records:
        if record.values["role"] == "admin" or record.values["email"] in admins:
            yield Problem("staff.csv", record.line, "role", "only an admin can import admins")


def admin_only(result: ParseResult) -> None:
    """Refuse every file beyond ``ADMIN_FILES`` that holds rows, in one line that quotes nothing
    of it: its records and its own problems (which quote cells) are dropped from ``result``."""
    other = {name for name in result.records if name not in ADMIN_FILES}
    other.update(p.file for p in result.problems if p.file.endswith(".csv") and p.file not in ADMIN_FILES)
    refused = sorted(name for name in other if result.records.get(name) or _has_problems(result, name))
    result.problems = [p for p in result.problems if p.file not in other]
    result.problems.extend(Problem(name, 1, WHOLE_ROW, ADMIN_REFUSED) for name in refused)
    for name in other:
        result.records.pop(name, None)


def _has_problems(result: ParseResult, name: str) -> bool:
    return any(p.file == name for p in result.problems)
