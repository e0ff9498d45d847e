"""Inserting many rows fast in the caller's transaction: COPY on PostgreSQL, elsewhere the driver's
executemany of one compiled INSERT through SQLAlchemy's own bind processors (the stored format is
the one the ORM writes). Used by the region seed and by exchange import."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from psycopg import sql
from sqlalchemy import Connection, Date, DateTime, Table, bindparam, insert


def copy_rows(connection: Connection, table: Table, names: Sequence[str], values: Iterable[tuple]) -> None:
    """PostgreSQL: COPY the rows (tuples in the order of ``names``) into ``table``."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names)
    )
    raw = connection.connection.driver_connection
    assert raw is not None, "a live connection has a driver connection"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def executemany_rows(
    connection: Connection, table: Table, names: Sequence[str], values: Iterable[tuple]
) -> None:
    """Elsewhere: one compiled INSERT, the values through SQLAlchemy's bind processors, executemany."""
    dialect = connection.dialect
    compiled = insert(table).values({name: bindparam(name) for name in names}).compile(dialect=dialect)
    assert compiled.positiontup is not None, "a positional paramstyle (sqlite, psycopg executemany)"
    order = [list(names).index(name) for name in compiled.positiontup]
    processors = [_processor(table.c[names[i]].type, dialect) for i in order]
    converters = [(k, p) for k, p in enumerate(processors) if p is not None]
    params = []
    for row in values:
        ordered = [row[i] for i in order]
        for k, process in converters:
            ordered[k] = process(ordered[k])
        params.append(tuple(ordered))
    connection.exec_driver_sql(compiled.string, params)


def _processor(type_, dialect) -> Callable | None:
    """SQLAlchemy's bind processor for a column type; dates and times memoised (few distinct)."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is not None and isinstance(type_, Date | DateTime):
        return lru_cache(maxsize=65536)(process)
    return process
