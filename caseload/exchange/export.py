"""Exporting the database (or one programme's share of it) as a bundle.

One query per file and one per association, whatever the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.exchange import convert
from caseload.exchange.queries import program_filter
from caseload.exchange.tables import ENTITIES, TARGETS, Target
from caseload.exchange.write import write_bundle

Records = dict[str, list[dict[str, object]]]


def bundle_records(session: Session, *, program_id: int | None = None) -> Records:
    """Every file's rows as bundle values: all of the database, or programme ``program_id``'s."""
    return {target.spec.name: list(_rows(session, target, program_id)) for target in TARGETS}


def bundle_export(session: Session, *, dest: Path, program_id: int | None = None) -> Records:
    """Write the bundle to the folder or ``.zip`` at ``dest``; returns what was written."""
    records = bundle_records(session, program_id=program_id)
    write_bundle(records, dest)
    return records


def exported_client_refs(records: Records) -> list[str]:
    """The refs of the clients in an export (for the audit log)."""
    return [row["ref"] for row in records.get("clients.csv", [])]


def _rows(session: Session, target: Target, program_id: int | None) -> Iterator[dict]:
    table = target.table
    columns = [table.c[name] for name in target.plain]
    joined = table
    for link in target.links:
        other, key, _fact = ENTITIES[link.entity]
        alias = other.alias(f"linked_{link.column}")
        joined = joined.outerjoin(alias, alias.c.id == table.c[link.db_column])
        columns.append(alias.c[key].label(link.column))
    stmt = select(table.c.id.label("_id"), *columns).select_from(joined)
    if program_id is not None:
        stmt = stmt.where(program_filter(target.owner, table, program_id))
    lists = _lists(session, target, program_id) if target.many else {}
    for row in session.execute(stmt).mappings():
        values = convert.from_table(target, row)
        if target.many:
            values[target.many.column] = tuple(lists.get(row["_id"], ()))
        yield values


def _lists(session: Session, target: Target, program_id: int | None) -> dict[int, list[str]]:
    """Each record's association list (e.g. an employer contact's clients), sorted by key."""
    many = target.many
    other, key, _fact = ENTITIES[many.entity]
    assoc = many.table
    stmt = (
        select(assoc.c[many.own], other.c[key])
        .join(other, other.c.id == assoc.c[many.other])
        .order_by(assoc.c[many.own], other.c[key])
    )
    if program_id is not None:
        owned = select(target.table.c.id).where(program_filter(target.owner, target.table, program_id))
        stmt = stmt.where(assoc.c[many.own].in_(owned))
    lists: dict[int, list[str]] = defaultdict(list)
    for own, name in session.execute(stmt):
        lists[own].append(name)
    return lists
