"""Exporting the database (or one programme's share of it) as a bundle, streamed.

Each file's rows come from one query, sorted as the bundle is (ORDER BY in SQL, in code-point
order like Python's), in batches from a server-side cursor, and go straight to the file: memory
does not grow with the number of records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import ColumnElement, FromClause, Select, null, select
from sqlalchemy.orm import Session

from caseload.db import voided_included
from caseload.exchange.queries import code_points, program_filter
from caseload.exchange.schema import FileSpec, Kind
from caseload.exchange.tables import BY_FILE, ENTITIES, Target
from caseload.exchange.trial_files import TRIAL_BY_FILE, trial_statement
from caseload.exchange.write import stream_bundle

BATCH = 5000  # rows fetched at a time


@dataclass(slots=True)
class ExportReport:
    """What an export wrote: how many records, and the refs of the clients and trials among them."""

    records: int = 0
    client_refs: list[str] = field(default_factory=list)
    trial_refs: list[str] = field(default_factory=list)


def bundle_export(
    session: Session,
    *,
    dest: Path | BinaryIO,
    program_id: int | None = None,
    files: frozenset[str] | None = None,
) -> ExportReport:
    """Write all of the database, or programme ``program_id``'s share, to the folder or ``.zip`` at
    ``dest`` (or to an open binary file, as a ``.zip``); with ``files``, the other files of the
    bundle hold their header only."""
    report = ExportReport()

    def rows(spec: FileSpec) -> Iterator[tuple[object, ...]]:
        if files is not None and spec.name not in files:
            return iter(())
        values = _rows(session, spec, _statement_of(session, spec, program_id))
        refs = {"clients.csv": report.client_refs, "trials.csv": report.trial_refs}.get(spec.name)
        return values if refs is None else _noting_refs(values, refs)

    with voided_included(session):  # voided rows travel
        report.records = stream_bundle(rows, dest)
    return report


def _noting_refs(rows: Iterator[tuple[object, ...]], refs: list[str]) -> Iterator[tuple[object, ...]]:
    """``rows``, each one's ref (its first value) appended to ``refs`` as it passes."""
    for row in rows:
        refs.append(str(row[0]))
        yield row


def _statement_of(session: Session, spec: FileSpec, program_id: int | None) -> Select:
    if spec.name in TRIAL_BY_FILE:
        return trial_statement(session, TRIAL_BY_FILE[spec.name], program_id)
    return _statement(session, BY_FILE[spec.name], program_id)


def _rows(session: Session, spec: FileSpec, stmt: Select) -> Iterator[tuple[object, ...]]:
    """The file's rows as values in its columns' order, sorted by its key."""
    result = session.execute(stmt, execution_options={"yield_per": BATCH})
    lists = [k for k, column in enumerate(spec.columns) if column.kind is Kind.OWN_CODES]
    target = BY_FILE.get(spec.name)
    if target is None or target.many is None:
        for row in result:
            yield _split_lists(row, lists) if lists else tuple(row)
        return
    # One row per item of the record's list (or one with no item): a record's rows come together.
    position = target.spec.column_names.index(target.many.column)
    for _id, group in groupby(result, key=lambda row: row[-1]):
        rows = list(group)
        values = list(rows[0][:-2])
        values[position] = tuple(row[-2] for row in rows if row[-2] is not None)
        yield _split_lists(values, lists) if lists else tuple(values)


def _split_lists(row: Sequence[object], positions: list[int]) -> tuple[object, ...]:
    """Code lists are stored as ``a;b``: as a tuple of their codes."""
    values = list(row)
    for k in positions:
        stored = values[k]
        values[k] = tuple(code for code in stored.split(";") if code) if isinstance(stored, str) else ()
    return tuple(values)


def _statement(session: Session, target: Target, program_id: int | None) -> Select:
    table = target.table
    columns: dict[str, ColumnElement] = {name: table.c[name] for name in target.plain}
    joined: FromClause = table
    for link in target.links:
        other, key, _fact = ENTITIES[link.entity]
        alias = other.alias(f"linked_{link.column}")
        joined = joined.outerjoin(alias, alias.c.id == table.c[link.db_column])
        columns[link.column] = alias.c[key]
    order = [code_points(session, columns[name]) for name in target.spec.key]
    extra: list[ColumnElement] = []
    if target.many is not None:
        many = target.many
        other, key, _fact = ENTITIES[many.entity]
        item = other.alias("list_item")
        joined = joined.outerjoin(many.table, many.table.c[many.own] == table.c.id).outerjoin(
            item, item.c.id == many.table.c[many.other]
        )
        columns[many.column] = null()  # a placeholder for the list
        extra = [item.c[key], table.c.id]
        order.append(code_points(session, item.c[key]))
    stmt = select(*(columns[name] for name in target.spec.column_names), *extra).select_from(joined)
    if program_id is not None:
        stmt = stmt.where(program_filter(target.owner, table, program_id))
    return stmt.order_by(*order)
