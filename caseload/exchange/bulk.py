"""Inserting many rows fast, in their order (ids follow it), in the caller's transaction: COPY on
PostgreSQL, elsewhere the driver's executemany of one compiled INSERT through SQLAlchemy's own bind
processors (the stored format is the one the ORM writes) — one statement per call, never per row.

Column defaults defined in Python (time stamps, versions, tokens) are filled in here, as neither
path applies them; the time stamps of one call are one instant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

from sqlalchemy import DateTime, Table
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from caseload.bulk import copy_rows, executemany_rows
from caseload.db import utcnow


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert ``rows`` (dicts with the same keys) in their order."""
    if not rows:
        return
    given = list(rows[0])
    names, values = _with_defaults(table, given, rows)
    if session.get_bind().dialect.name == "postgresql":
        copy_rows(session.connection(), table, names, values)
    else:
        executemany_rows(session.connection(), table, names, values)


def analyze(session: Session, tables: Sequence[Table]) -> None:
    """Refresh the query planner's statistics of ``tables`` (after a bulk load they are stale)."""
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        connection.exec_driver_sql(f"ANALYZE {quote(table.name)}")


def _with_defaults(
    table: Table, given: list[str], rows: Sequence[Mapping[str, object]]
) -> tuple[list[str], list[tuple[object, ...]]]:
    """The column names and each row's values as a tuple, Python-side defaults filled in."""
    now = utcnow()
    fixed: dict[str, object] = {}
    per_row: dict[str, Callable[[], object]] = {}
    for column in table.columns:
        default = column.default
        if column.name in given:
            continue
        if isinstance(default, ScalarElementColumnDefault):
            fixed[column.name] = default.arg
        elif isinstance(default, CallableColumnDefault):
            if isinstance(column.type, DateTime):
                fixed[column.name] = now
            else:
                per_row[column.name] = _maker(default)
    names = [*given, *fixed, *per_row]
    constant = tuple(fixed.values())
    if per_row:
        makers = tuple(per_row.values())
        values = [(*(row[n] for n in given), *constant, *(m() for m in makers)) for row in rows]
    else:
        values = [(*(row[n] for n in given), *constant) for row in rows]
    return names, values


def _maker(default: CallableColumnDefault) -> Callable[[], object]:
    """A Python-side default's function, called without an execution context (SQLAlchemy wraps a
    function of no arguments into one that takes it, and ignores it)."""
    make = cast(Callable[[None], object], default.arg)
    return lambda: make(None)
