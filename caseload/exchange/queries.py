"""Reads for the exchange: which records exist, their ids by ref, and a programme's share of a table.

Every read is set-based (``IN`` lists in chunks), so the number of queries grows with the bundle's
size divided by the chunk, never per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, String, Table, exists, select, true
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.exchange.checks import Lookup
from caseload.exchange.schema import Value
from caseload.exchange.tables import ENTITIES
from caseload.jobs.models import Job
from caseload.trial.models import Participant, Trial

CHUNK = 5000  # keys per IN list: few statements, far below every driver's parameter limit
T = TypeVar("T")

# How a row of an entity's table belongs to a programme (see program_filter).
ENTITY_OWNERS = {
    "program": "program",
    "treatment_team": "self",
    "staff": "self",
    "client": "self",
    "employer": None,
    "job": "client",
    "referral": "self",
    "trial": "self",
    "screening": "trial",
    "participant": "trial",
}


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def program_filter(owner: str | None, table: Table, program_id: int) -> ColumnElement[bool]:
    """The rows of ``table`` that belong to programme ``program_id``, by the table's owner kind."""
    clients = select(Client.id).where(Client.program_id == program_id)
    specialists = select(User.id).where(User.program_id == program_id)
    if owner == "program":
        return table.c.id == program_id
    if owner == "self":
        return table.c.program_id == program_id
    if owner == "client":
        return table.c.client_id.in_(clients)
    if owner == "job":
        return table.c.job_id.in_(select(Job.id).where(Job.client_id.in_(clients)))
    if owner == "trial":
        return table.c.trial_id.in_(select(Trial.id).where(Trial.program_id == program_id))
    if owner == "participant":
        trials = select(Trial.id).where(Trial.program_id == program_id)
        return table.c.participant_id.in_(select(Participant.id).where(Participant.trial_id.in_(trials)))
    if owner == "specialist":
        return table.c.specialist_id.in_(specialists)
    return true()


def db_lookup(session: Session, program_id: int | None = None) -> Lookup:
    """A ``checks.Lookup`` answering from the database (only programme ``program_id``'s records
    when given: others look unknown, as they are hidden from its people)."""

    def lookup(entity: str, keys: frozenset[str]) -> Mapping[str, Value]:
        table, key, fact = ENTITIES[entity]
        columns = [table.c[key], table.c[fact] if fact else table.c.id]
        found: dict[str, Value] = {}
        for batch in chunks(sorted(keys)):
            stmt = select(*columns).where(table.c[key].in_(batch))
            if program_id is not None:
                stmt = stmt.where(program_filter(ENTITY_OWNERS[entity], table, program_id))
            found.update({k: (v if fact else None) for k, v in session.execute(stmt)})
        return found

    return lookup


def code_points(session: Session, column: ColumnElement) -> ColumnElement:
    """``column`` compared by code points, as Python compares strings (PostgreSQL's ``C``
    collation; SQLite's default already does)."""
    if session.get_bind().dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def has_rows(session: Session, table: Table) -> bool:
    """``table`` holds at least one row."""
    return session.scalar(select(exists().select_from(table))) or False


WHOLE_TABLE_FROM = 20_000  # keys from which one pass over the table beats IN lists


def ids_by_key(session: Session, table: Table, key: str, keys: Iterable[str]) -> dict[str, int]:
    """The ids of the rows of ``table`` whose ``key`` column is among ``keys``.

    Many keys (the rows an import has just inserted) are found in one pass over the table: within
    the import's transaction the planner has no statistics for them yet and would scan the table
    once per IN list."""
    keys = set(keys)
    if len(keys) >= WHOLE_TABLE_FROM:
        return {k: v for k, v in session.execute(select(table.c[key], table.c.id)) if k in keys}
    found: dict[str, int] = {}
    for batch in chunks(sorted(keys)):
        stmt = select(table.c[key], table.c.id).where(table.c[key].in_(batch))
        found.update({k: v for k, v in session.execute(stmt)})
    return found


def rows_by_key(
    session: Session, table: Table, key: Sequence[str], wanted: Iterable[tuple]
) -> dict[tuple, dict]:
    """Full rows of ``table`` whose ``key`` columns hold one of the ``wanted`` tuples."""
    wanted = set(wanted)
    found: dict[tuple, dict] = {}
    for batch in chunks(sorted({w[0] for w in wanted})):
        stmt = select(table).where(table.c[key[0]].in_(batch))
        for row in session.execute(stmt).mappings():
            k = tuple(row[name] for name in key)
            if k in wanted:
                found[k] = dict(row)
    return found


class Ids:
    """Ids of records by the key other files name them with, loaded in bulk as needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[str, dict[str, int]] = {entity: {} for entity in ENTITIES}

    def need(self, entity: str, keys: Iterable[str]) -> None:
        """Make sure the ids of ``keys`` are known (those that exist)."""
        known = self.known[entity]
        missing = {k for k in keys if k not in known}
        if missing:
            table, key, _fact = ENTITIES[entity]
            known.update(ids_by_key(self.session, table, key, missing))

    def get(self, entity: str, key: str | None) -> int | None:
        """The id of an entity's record named ``key`` (None for no key)."""
        return None if key is None else self.known[entity][key]
