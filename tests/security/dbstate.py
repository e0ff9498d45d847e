"""Every table's rows, to prove that nothing changed (or that a restore gave the same data)."""

from __future__ import annotations

from sqlalchemy import select

from caseload.extensions import db

WRITE_LOG = ("audit_events",)  # reads are audited: the log grows on every read, by design


def snapshot(conn, *, exclude=WRITE_LOG) -> dict[str, list[tuple]]:
    """All rows of every table of the models, ordered by primary key."""
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in exclude:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        state[table.name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ."""
    return sorted(name for name in after if before.get(name) != after[name])
