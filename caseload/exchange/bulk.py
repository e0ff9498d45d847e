"""Inserting many rows fast: COPY on PostgreSQL, batched multi-row INSERTs elsewhere.

Column defaults defined in Python (time stamps, versions, tokens) are filled in here for COPY,
which, unlike an INSERT through SQLAlchemy, would not apply them.
"""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql
from sqlalchemy import Column, Table, insert
from sqlalchemy.orm import Session

COPY_FROM = 100  # rows from which COPY beats an INSERT on PostgreSQL


def insert_rows(session: Session, table: Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` in their order (ids follow the order)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _copy(session, table, rows)
        return
    # With RETURNING, SQLAlchemy batches rows into multi-row INSERTs from one cached statement.
    stmt = insert(table).returning(*table.primary_key.columns, sort_by_parameter_order=True)
    session.execute(stmt, rows)


def _copy(session: Session, table: Table, rows: Sequence[dict]) -> None:
    given = set(rows[0])
    columns = [c for c in table.columns if c.name in given or _python_default(c)]
    defaults = [(c.name, c.default) for c in columns if c.name not in given]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
    )
    names = [c.name for c in columns]
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = dict(row)
            for name, default in defaults:
                values[name] = default.arg(None) if default.is_callable else default.arg
            copy.write_row([values[name] for name in names])


def _python_default(column: Column) -> bool:
    default = column.default
    return default is not None and (default.is_callable or default.is_scalar)
