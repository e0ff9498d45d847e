"""The clients' stored due items: what the rules derive is derived when records change, and read.

The specialist's home lists each client's unmet rule instances due by today (``home.todo_by_client``,
the rules' pure derivation). Deriving them for a whole caseload on every request costs far more than
the page's queries, so each client's result is kept in ``client_due_items`` with the date it was
derived for, and the home reads it:

- **Fresh**: a row whose ``derived_on`` is the page's today is the derivation, as stored; it is read.
- **Stale**: no row, or a row derived for another day (the day boundary: yesterday's items miss what
  fell due overnight and keep what has since left the window), or a row made stale by a change to
  the client's records (``derived_on`` None). The home derives those clients from the records it has
  just loaded (the same pure function, so the page is right whatever is stored) and stores the result
  for the next request. A caseload is thus derived once a day and again only for the clients whose
  records changed; nothing depends on the sweep having run (its prompts are merged as before).
- **Look-ahead**: only items due on or before the day derived for are stored, and a row serves only
  that day, so items due later than the sweep's t + 7 window (or between sweeps) are derived on the
  day they fall due, never missed.
- **Changes**: any flush that adds, changes or deletes a client or one of the records the rules read
  (client contacts, jobs, employer contacts for the client, benefits sessions, outcome measures,
  career profiles) marks the clients concerned stale (``invalidate``, also run by the
  ``client_changed`` hook, and by the ``clients_written`` hook that a bulk write by statement — an
  exchange import — runs for every client it touched). Marking bumps ``stamp``; the home stores a
  derivation only if the stamp it read *before* loading the records is unchanged, so a derivation
  from records read before a concurrent change is never stored over it.
- **The sweep** derives and stores every open client's items for its day after each programme
  (``program_swept_hook``), so the day's first home view reads them too; no page relies on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from caseload import stamps
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client
from caseload.contacts.models import ClientContact
from caseload.db import upsert_insert
from caseload.employers.models import EmployerContact, employer_contact_clients
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.principles.home import LOOK_BACK, todo_by_client
from caseload.principles.queries import caseload_files
from caseload.principles.records import HomeFile
from caseload.prompts.models import ClientDue
from caseload.prompts.rules import Instance
from caseload.stamps import flush_history, flush_values, mark_stale
from caseload.teams.models import Program

SWEEP_CHUNK = 1000  # clients the sweep derives together (memory only: each client's items are its own)
# Records whose ``client_id`` the rules read (employer contacts are linked to their clients).
RULE_RECORDS = (ClientContact, Job, BenefitsSession, OutcomeMeasure, CareerProfile)
TABLE = cast(Table, ClientDue.__table__)


@dataclass(frozen=True, slots=True)
class Stored:
    """A client's stored row as read: its id, the stamp, and its items when derived for the day."""

    client_id: int
    stamp: int | None  # None: no row yet
    todo: tuple[Instance, ...] | None  # None: stale for the day asked


def caseload_todo(
    session: Session, *where, today: date
) -> tuple[list[HomeFile], dict[str, tuple[Instance, ...]]]:
    """The home's files of the clients ``where`` selects and their items on ``today``: read where
    stored for the day, derived (and stored) where stale."""
    stored = stored_due(session, *where, today=today)  # before the records: see the module's text
    fresh = frozenset(ref for ref, s in stored.items() if s.todo is not None)
    files = caseload_files(session, *where, today=today, look_back=LOOK_BACK, stored=fresh)
    todo = stale_todo(stored, files, today)
    store_due(session, stored, todo, today)
    return files, todo


def program_swept_hook(session: Session, program: Program, t: date) -> None:
    """After the sweep: every open client of the programme has its items for ``t`` stored, so that
    a specialist's first home view of the day reads them. Only stale clients are derived; the
    caller commits."""
    stale = or_(ClientDue.derived_on.is_(None), ClientDue.derived_on != t)
    stmt = (
        select(Client.id)
        .outerjoin(ClientDue, ClientDue.client_id == Client.id)
        .where(Client.program_id == program.id, Client.closed_on.is_(None), stale)
    )
    ids = sorted(session.scalars(stmt))
    for start in range(0, len(ids), SWEEP_CHUNK):
        caseload_todo(session, Client.id.in_(ids[start : start + SWEEP_CHUNK]), today=t)


def stored_due(session: Session, *where, today: date) -> dict[str, Stored]:
    """By client ref, the stored items of the clients ``where`` selects (one query). Read it before
    loading the records that a stale client's items are derived from."""
    stmt = (
        select(Client.id, Client.ref, ClientDue.stamp, ClientDue.derived_on, ClientDue.items)
        .outerjoin(ClientDue, ClientDue.client_id == Client.id)
        .where(*where)
    )
    found = {}
    for client_id, ref, stamp, derived_on, items in session.execute(stmt):
        todo = _decode(items, ref) if derived_on == today else None
        found[ref] = Stored(client_id, stamp, todo)
    return found


def stale_todo(
    stored: dict[str, Stored], files: list[HomeFile], today: date
) -> dict[str, tuple[Instance, ...]]:
    """Each client's items on ``today``: as stored when fresh, derived from ``files`` when stale."""
    todo: dict[str, tuple[Instance, ...]] = {}
    stale = []
    for f in files:
        s = stored.get(f.client.ref)
        if s is not None and s.todo is not None:
            todo[f.client.ref] = s.todo
        else:
            stale.append(f)
    if stale:
        todo.update(todo_by_client(stale, today))
    return todo


def store_due(
    session: Session, stored: dict[str, Stored], todo: dict[str, tuple[Instance, ...]], today: date
) -> None:
    """Store the items derived for ``today`` of the clients of ``stored`` that were stale (at most
    two statements); a row whose stamp moved since ``stored`` was read is left stale."""
    stale = [(ref, s) for ref, s in stored.items() if s.todo is None]
    changed = [
        {"cid": s.client_id, "seen": s.stamp, "day": today, "items": _encode(todo.get(ref, ()))}
        for ref, s in stale
        if s.stamp is not None
    ]
    new = [
        {"client_id": s.client_id, "derived_on": today, "stamp": 0, "items": _encode(todo.get(ref, ()))}
        for ref, s in stale
        if s.stamp is None
    ]
    if changed:
        stmt = (
            update(TABLE)
            .where(TABLE.c.client_id == bindparam("cid"), TABLE.c.stamp == bindparam("seen"))
            .values(derived_on=bindparam("day"), items=bindparam("items"))
        )
        session.execute(stmt, changed)
    if new:
        session.execute(
            upsert_insert(session)(TABLE).on_conflict_do_nothing(index_elements=["client_id"]), new
        )


def invalidate(session: Session, client_ids: Iterable[int]) -> None:
    """Mark the clients' stored items stale (a row is made for a client that has none, so that a
    page's derivation from before the change is not stored either)."""
    mark_stale(session, TABLE, "client_id", client_ids, {"derived_on": None})


def client_changed_hook(session: Session, client_id: int, _now: datetime) -> None:
    """The ``client_changed`` hook: the client's items are stale (writes made by statement too)."""
    invalidate(session, [client_id])


def _encode(todo: tuple[Instance, ...]) -> str:
    return json.dumps([[t.rule, t.due_on.isoformat(), t.job_ref] for t in todo], separators=(",", ":"))


def _decode(items: str, client_ref: str) -> tuple[Instance, ...]:
    out = []
    for rule, due_on, job_ref in json.loads(items):
        day = date.fromisoformat(due_on)
        out.append(Instance(rule, day, "", client_ref=client_ref, job_ref=job_ref))
    return tuple(out)


def _changed_clients(session: Session) -> set[int]:
    """The clients whose rule inputs the flush in progress changes (new, dirty and deleted objects)."""
    ids: set[int] = set()
    visits: list[int] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Client):
            ids.add(obj.id)
        elif isinstance(obj, RULE_RECORDS):
            ids.update(flush_values(obj, "client_id"))
        elif isinstance(obj, EmployerContact):
            for linked in flush_history(obj, "clients"):
                ids.add(linked.id)
            if obj.id is not None:
                visits.append(obj.id)
    if visits:
        link = employer_contact_clients
        stmt = select(link.c.client_id).where(link.c.employer_contact_id.in_(visits))
        ids.update(session.connection().scalars(stmt))
    ids.discard(None)  # type: ignore[arg-type]
    return ids


def listen() -> None:
    """Mark stale the clients each flush changes (once per process, for every session)."""
    stamps.listen(_changed_clients, invalidate)
