"""Converting between a file's typed values and its table's columns, both ways.

Import fills the spec's defaults for empty cells (``fte`` 1.0, ``active`` true, ``minutes`` 0, …),
so what is stored, and exported again, is the value that applies.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from caseload.exchange.bulk import insert_rows
from caseload.exchange.queries import Ids, chunks
from caseload.exchange.schema import DEFAULTS, Kind, default_location
from caseload.exchange.tables import BY_FILE, Target

# Columns never copied into a record's revision: secrets, not history.
_SECRET = frozenset({"password_hash", "totp_secret", "feed_token"})


@cache
def _plan(name: str) -> tuple[tuple[str, object, bool], ...]:
    """Per plain column of file ``name``: its name, its default, whether it is a list (``a;b``)."""
    target = BY_FILE[name]
    return tuple(
        (column, DEFAULTS.get((name, column)), target.spec.column(column).kind is Kind.OWN_CODES)
        for column in target.plain
    )


def to_table(target: Target, values: Mapping[str, object], ids: Ids) -> dict[str, object]:
    """The table columns for one row of the bundle (links resolved to ids, defaults applied)."""
    row: dict[str, object] = {}
    for name, default, joined in _plan(target.spec.name):
        value = values[name]
        if joined:
            value = ";".join(value)
        elif value is None:
            value = default_location(values["mode"]) if name == "location" else default
        row[name] = value
    for link in target.links:
        row[link.db_column] = ids.get(link.entity, values[link.column])
    return row


def from_table(target: Target, row: Mapping[str, object]) -> dict[str, object]:
    """The bundle values of one exported row (links already selected under their bundle names)."""
    values = dict(row)
    for name, _default, joined in _plan(target.spec.name):
        if joined:
            values[name] = tuple(code for code in (row[name] or "").split(";") if code)
    return values


def revision(table: Table, old: Mapping[str, object], user_id: int | None) -> dict[str, object]:
    """A ``record_revisions`` row keeping ``old``, the state of a row before the import changed it."""
    data = {c.key: old[c.name] for c in table.columns if c.name not in _SECRET}
    return {
        "entity": table.name,
        "entity_id": old["id"],
        "version": old.get("version") or 1,
        "data": json.dumps(data, default=str, sort_keys=True),
        "changed_by_id": user_id,
    }


def touched_clients(target: Target, rows: Iterable[Mapping[str, object]]) -> set[str]:
    """The refs of the clients whose records are among ``rows`` (bundle values)."""
    if target.spec.name == "clients.csv":
        return {row["ref"] for row in rows}
    if target.many and target.many.entity == "client":
        return {ref for row in rows for ref in row[target.many.column]}
    if any(link.entity == "client" for link in target.links):
        return {row["client_ref"] for row in rows if row["client_ref"] is not None}
    return set()


def set_links(
    session: Session,
    target: Target,
    rows: list[Mapping],
    own_ids: dict[str, int],
    ids: Ids,
    stored: set[int],
) -> set[int]:
    """Make each row's association list what the bundle says; returns the ids of rows changed.
    Only the rows in ``stored`` (ids of rows that were there before the import) can have a list."""
    many, key = target.many, target.key[0]
    table = many.table
    wanted = {own_ids[row[key]]: {ids.get(many.entity, k) for k in row[many.column]} for row in rows}
    existing: dict[int, set[int]] = defaultdict(set)
    for batch in chunks(sorted(stored)):
        stmt = select(table.c[many.own], table.c[many.other]).where(table.c[many.own].in_(batch))
        for own, other in session.execute(stmt):
            existing[own].add(other)
    changed = sorted(own for own, others in wanted.items() if others != existing[own])
    for batch in chunks(sorted(stored.intersection(changed))):
        session.execute(delete(table).where(table.c[many.own].in_(batch)))
    pairs = [{many.own: own, many.other: other} for own in changed for other in wanted[own]]
    insert_rows(session, table, pairs)
    return set(changed)
