"""Bulk loading for the region seed: executemany of a Core insert on SQLite, COPY on PostgreSQL.

Rows are plain tuples in the order of the column names given; ids are given by the caller, so
rows can refer to each other without a round trip. Columns left out get their Python default.
On SQLite the values go through SQLAlchemy's own bind processors (the stored format is the one
the ORM writes) straight to the driver's executemany, skipping the per-row dict machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from operator import itemgetter

from sqlalchemy import Connection, Date, DateTime, Table, bindparam, func, select

BATCH = 20_000
SQLITE_CACHE_KIB = 1_000_000  # page cache while loading: keeps the growing indexes in memory


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
            self.conn.exec_driver_sql(f"PRAGMA cache_size={int(self._cache)}")

    def next_id(self, table: Table) -> int:
        """The first free id of ``table`` (1 in an empty database)."""
        return (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1

    def write(self, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Insert every row; returns how many."""
        extra = _defaults(table, columns)
        names = columns + tuple(name for name, _ in extra)
        insert = self._copy if self.pg else self._executemany
        n = 0
        for chunk in _chunks(rows, BATCH):
            if extra:
                chunk = [row + tuple(make() for _, make in extra) for row in chunk]
            insert(table, names, chunk)
            n += len(chunk)
            self.progress(len(chunk))
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        if n and "id" in table.c:
            self.with_ids[table.name] = table
        if n and "id" in names:
            self.last_ids[table.name] = max(self.last_ids.get(table.name, 0), chunk[-1][names.index("id")])
        return n

    def _copy(self, table: Table, names: tuple[str, ...], chunk: list[tuple]) -> None:
        raw = self.conn.connection.driver_connection
        cols = ", ".join(f'"{name}"' for name in names)
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in chunk:
                copy.write_row(row)

    def _executemany(self, table: Table, names: tuple[str, ...], chunk: list[tuple]) -> None:
        dialect = self.conn.dialect
        compiled = table.insert().values({name: bindparam(name) for name in names}).compile(dialect=dialect)
        order = [names.index(name) for name in compiled.positiontup]
        convert = [
            (k, p) for k, p in enumerate(_processor(table.c[names[i]].type, dialect) for i in order) if p
        ]
        pick = itemgetter(*order)
        rows = []
        for row in chunk:
            values = list(pick(row))
            for k, proc in convert:
                values[k] = proc(values[k])
            rows.append(tuple(values))
        self.conn.exec_driver_sql(compiled.string, rows)

    @contextmanager
    def indexes_deferred(self, *tables: Table) -> Iterator[None]:
        """Drop the tables' secondary indexes while loading, build them after (far faster)."""
        indexes = [index for table in tables for index in sorted(table.indexes, key=lambda i: i.name)]
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


def _processor(type_, dialect) -> Callable | None:
    """SQLAlchemy's bind processor for a column type; dates and times memoised (few distinct)."""
    proc = type_.dialect_impl(dialect).bind_processor(dialect)
    if proc is not None and isinstance(type_, Date | DateTime):
        return lru_cache(maxsize=65536)(proc)
    return proc


def _defaults(table: Table, given: tuple[str, ...]) -> list[tuple[str, Callable[[], object]]]:
    """(name, maker) for the columns not given that have a Python-side default."""
    extra = []
    for col in table.columns:
        if col.name in given or col.default is None or col.primary_key:
            continue
        default = col.default
        if default.is_callable:
            extra.append((col.name, lambda d=default: d.arg(None)))
        elif default.is_scalar:
            extra.append((col.name, lambda v=default.arg: v))
    return extra
