"""Stored derivations with a stamp: what several pages keep instead of deriving on every request.

A stored row carries ``stamp``, bumped each time a change to what the row was derived from marks it
stale. A page reads the row (and its stamp) before loading the records it derives from, and stores
its derivation only where the stamp is unchanged, so a derivation from records read before a
concurrent change is never stored over it. The home's due items (``principles.due``) and the
programme page's quarter (``outcomes.stored``) are kept this way; each says what marks it stale in
an ORM ``after_flush`` listener (``listen``), reading what a flush changes with ``flush_values``.

Layer: beside ``caseload.db``, below every feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from caseload.db import upsert_insert

_LISTENERS: dict[tuple[Callable, Callable], Callable] = {}


def mark_stale(session: Session, table: Table, key: str, ids: Iterable[int], stale: dict[str, Any]) -> None:
    """Mark the rows of ``ids`` (the ``key`` column) stale: ``stale``'s columns set and the stamp
    bumped; a row is made where there is none (stamp 1), so that a page's derivation from before
    the change is not stored either. Run on the session's connection: it is safe in a flush."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    rows = [{key: i, "stamp": 1, **stale} for i in wanted]
    stmt = upsert_insert(session)(table).on_conflict_do_update(
        index_elements=[key], set_={**stale, "stamp": table.c.stamp + 1}
    )
    session.connection().execute(stmt, rows)


def flush_values(obj, name: str) -> set:
    """The attribute's current value and any value it had before this flush (a record moved)."""
    return {getattr(obj, name, None), *flush_history(obj, name)}


def flush_history(obj, name: str) -> list:
    """The attribute's values this flush knows (added, unchanged and deleted: never loads)."""
    state = inspect(obj)
    if name not in state.attrs:
        return []
    return list(state.attrs[name].history.sum())


def listen(changed: Callable[[Session], set[int]], mark: Callable[[Session, set[int]], None]) -> None:
    """After every flush of every session, ``mark`` stale the rows of the ids that ``changed`` finds
    in it (registered once per process)."""
    if (changed, mark) in _LISTENERS:
        return

    def after_flush(session: Session, _context) -> None:
        ids = changed(session)
        if ids:
            mark(session, ids)

    _LISTENERS[changed, mark] = after_flush
    event.listen(Session, "after_flush", after_flush)
