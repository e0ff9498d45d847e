"""Converting between a file's typed values and its table's columns, both ways.

Import fills the spec's defaults for empty cells (``fte`` 1.0, ``active`` true, ``minutes`` 0, …),
so what is stored, and exported again, is the value that applies.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from caseload.exchange.bulk import insert_rows
from caseload.exchange.cells import items_of, text_of
from caseload.exchange.queries import Ids, chunks
from caseload.exchange.schema import DEFAULTS, Kind, Value, Values, default_location
from caseload.exchange.tables import BY_FILE, Many, Target

TableRow = dict[str, object]
"""A row of a table as its columns' values (what SQLAlchemy reads and writes)."""

# Columns never copied into a record's revision: secrets, not history.
_SECRET = frozenset({"password_hash", "totp_secret", "feed_token"})


@cache
def _plan(name: str) -> tuple[tuple[str, Value, bool], ...]:
    """Per plain column of file ``name``: its name, its default, whether it is a list (``a;b``)."""
    target = BY_FILE[name]
    return tuple(
        (column, DEFAULTS.get((name, column)), target.spec.column(column).kind is Kind.OWN_CODES)
        for column in target.plain
    )


def to_table(target: Target, values: Values, ids: Ids) -> TableRow:
    """The table columns for one row of the bundle (links resolved to ids, defaults applied)."""
    row: TableRow = {}
    for name, default, joined in _plan(target.spec.name):
        value = values[name]
        if joined:
            value = ";".join(items_of(value))
        elif value is None:
            value = default_location(text_of(values["mode"])) if name == "location" else default
        row[name] = value
    for link in target.links:
        row[link.db_column] = ids.get(link.entity, text_of(values[link.column]))
    return row


def row_id(row: Mapping[str, object]) -> int:
    """The id of a table's row (every table the bundle fills has an integer ``id``)."""
    return cast(int, row["id"])


def revision(table: Table, old: Mapping[str, object], user_id: int | None) -> TableRow:
    """A ``record_revisions`` row keeping ``old``, the state of a row before the import changed it."""
    data = {c.key: old[c.name] for c in table.columns if c.name not in _SECRET}
    return {
        "entity": table.name,
        "entity_id": old["id"],
        "version": old.get("version") or 1,
        "data": json.dumps(data, default=str, sort_keys=True),
        "changed_by_id": user_id,
    }


def touched_clients(target: Target, rows: Iterable[Values]) -> set[str]:
    """The refs of the clients whose records are among ``rows`` (bundle values)."""
    if target.spec.name == "clients.csv":
        return {ref for row in rows if (ref := text_of(row["ref"])) is not None}
    if target.many and target.many.entity == "client":
        return {ref for row in rows for ref in items_of(row[target.many.column])}
    if any(link.entity == "client" for link in target.links):
        return {ref for row in rows if (ref := text_of(row["client_ref"])) is not None}
    return set()


def set_links(
    session: Session,
    many: Many,
    keys: Sequence[str],
    rows: Sequence[Values],
    own_ids: dict[str, int],
    ids: Ids,
    stored: set[int],
) -> set[int]:
    """Make each row's association list (``many``) what the bundle says (``keys``: each row's
    own key); returns the ids of rows changed. Only the rows in ``stored`` (ids of rows that were
    there before the import) can have a list."""
    table = many.table
    wanted = {
        own_ids[key]: {ids.get(many.entity, k) for k in items_of(row[many.column])}
        for key, row in zip(keys, rows, strict=True)
    }
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
