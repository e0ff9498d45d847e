"""Bulk loading for the region seed: executemany of a Core insert on SQLite, COPY on PostgreSQL.

Rows are plain tuples in the order of the column names given; ids are given by the caller, so
rows can refer to each other without a round trip. Columns left out get their Python default.
On SQLite the values go through SQLAlchemy's own bind processors (the stored format is the one
the ORM writes) straight to the driver's executemany, skipping the per-row dict machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import cast

from sqlalchemy import Connection, Table, func, select

from caseload.bulk import copy_rows, executemany_rows

BATCH = 20_000
SQLITE_CACHE_KIB = 1_000_000  # page cache while loading: keeps the growing indexes in memory


def table_of(target: Table | type) -> Table:
    """A table, or the table of a mapped class (whose ``__table__`` is typed as any FROM clause)."""
    return target if isinstance(target, Table) else cast(Table, target.__table__)  # type: ignore[attr-defined]


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class BulkWriter:
    """Inserts into one connection's transaction; ``progress(n)`` after each batch."""

    def __init__(self, conn: Connection, progress: Callable[[int], None] | None = None) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.progress = progress or (lambda _n: None)
        self.counts: dict[str, int] = {}
        self.last_ids: dict[str, int] = {}
        self.with_ids: dict[str, Table] = {}
        if self.pg:
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")  # index builds
        else:
            self._cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")

    def close(self) -> None:
        """Refresh the planner's statistics after the load; give SQLite its usual page cache back."""
        self.conn.exec_driver_sql("ANALYZE")
        if not self.pg:
            self.conn.exec_driver_sql(f"PRAGMA cache_size={int(self._cache or 0)}")

    def next_id(self, target: Table | type) -> int:
        """The first free id of a table or a model's table (1 in an empty database)."""
        table = table_of(target)
        return (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1

    def write(self, target: Table | type, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Insert every row into a table or a model's table; returns how many."""
        table = table_of(target)
        extra = _defaults(table, columns)
        names = columns + tuple(name for name, _ in extra)
        insert = copy_rows if self.pg else executemany_rows
        n = 0
        for chunk in _chunks(rows, BATCH):
            if extra:
                chunk = [row + tuple(make() for _, make in extra) for row in chunk]
            insert(self.conn, table, names, chunk)
            n += len(chunk)
            self.progress(len(chunk))
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        if n and "id" in table.c:
            self.with_ids[table.name] = table
        if n and "id" in names:
            self.last_ids[table.name] = max(self.last_ids.get(table.name, 0), chunk[-1][names.index("id")])
        return n

    @contextmanager
    def indexes_deferred(self, *targets: Table | type) -> Iterator[None]:
        """Drop the tables' secondary indexes while loading, build them after (far faster)."""
        tables = [table_of(t) for t in targets]
        indexes = [index for table in tables for index in sorted(table.indexes, key=lambda i: str(i.name))]
        for index in indexes:
            index.drop(self.conn)
        yield
        for index in indexes:
            index.create(self.conn)

    def fix_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids given explicitly."""
        if not self.pg:
            return
        for name in sorted(self.with_ids):
            top = func.max(self.with_ids[name].c.id)
            sequence = func.pg_get_serial_sequence(name, "id")
            self.conn.execute(select(func.setval(sequence, top)).having(top.is_not(None)))


def _defaults(table: Table, given: tuple[str, ...]) -> list[tuple[str, Callable[[], object]]]:
    """(name, maker) for the columns not given that have a Python-side default."""
    extra: list[tuple[str, Callable[[], object]]] = []
    for col in table.columns:
        if col.name in given or col.default is None or col.primary_key:
            continue
        default = col.default
        if default.is_callable:
            extra.append((col.name, lambda d=default: d.arg(None)))  # type: ignore[attr-defined,misc]
        elif default.is_scalar:
            extra.append((col.name, lambda v=default.arg: v))  # type: ignore[attr-defined,misc]
    return extra
