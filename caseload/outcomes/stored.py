"""The programme page's quarter, stored: its last complete quarter's outcome is computed when the
records it reads change, and read.

The supervisor's programme page shows the last complete quarter's outcomes. Computing them loads
the quarter's clients, referrals and competitive jobs with their hours on every request, most of
the page's SQL; yet the outcome changes only when one of those records changes or the quarter rolls
over. So each programme's outcome is kept in ``program_quarter_outcomes`` with the quarter it was
computed for, and the page reads it (``caseload.stamps`` says how, as for the home's due items):

- **Fresh**: a row for the quarter asked whose ``payload`` is not None is the outcome, as stored.
- **Stale**: no row, a row for another quarter (the roll-over), or a row made stale by a change
  (``payload`` None). The page computes the outcome as before (``program_rows`` and the pure
  ``quarterly_outcome``) and stores it, only if the stamp it read *before* loading the rows is
  unchanged. One statement reads the row; a stale row adds the rows' four and one that stores.
- **Changes**: any flush that adds, changes or deletes a client (both programmes of a client who
  moved), a referral, a job or a job's hours change (voiding and unvoiding change ``voided_on``)
  marks the programmes concerned stale. A bulk write by statement (an exchange import) runs the
  ``clients_written`` hook: it may also have written pending referrals and hours changes, which its
  client ids do not name, so it marks every programme stale (an import is rare; each programme's
  next page computes its quarter once).

Only the programme page's default quarter is stored; the outcome pages, the PDF and the CLI compute
the quarter they are asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session

from caseload import stamps
from caseload.clients.models import Client, Referral
from caseload.db import upsert_insert
from caseload.jobs.models import Job, JobHours
from caseload.outcomes.models import ProgramQuarterOutcome
from caseload.outcomes.quarterly import Quarter, QuarterlyOutcome, quarterly_outcome
from caseload.outcomes.queries import program_rows
from caseload.stamps import flush_values, mark_stale
from caseload.teams.models import Program

TABLE = cast(Table, ProgramQuarterOutcome.__table__)
STALE = {"payload": None}


@dataclass(frozen=True, slots=True)
class StoredQuarter:
    """A programme's stored row as read: the stamp, and the outcome when fresh for the quarter."""

    stamp: int | None  # None: no row yet
    outcome: QuarterlyOutcome | None  # None: stale for the quarter asked


def program_quarter(session: Session, program: Program, quarter: Quarter) -> QuarterlyOutcome:
    """The programme's outcome for ``quarter``: read where stored for it, else computed and stored."""
    stored = stored_quarter(session, program.id, quarter)  # before the rows: see the module's text
    if stored.outcome is not None:
        return stored.outcome
    outcome = quarterly_outcome(program_rows(session, program, quarter=quarter), quarter)
    store_quarter(session, program.id, stored.stamp, outcome)
    return outcome


def stored_quarter(session: Session, program_id: int, quarter: Quarter) -> StoredQuarter:
    """The programme's stored row (one statement); read it before loading the rows."""
    stmt = select(TABLE.c.stamp, TABLE.c.quarter, TABLE.c.payload).where(TABLE.c.program_id == program_id)
    row = session.execute(stmt).first()
    if row is None:
        return StoredQuarter(None, None)
    stamp, stored_for, payload = row
    fresh = payload is not None and stored_for == str(quarter)
    return StoredQuarter(stamp, decode(payload) if fresh else None)


def store_quarter(session: Session, program_id: int, seen: int | None, outcome: QuarterlyOutcome) -> None:
    """Store the outcome computed (one statement), unless the row's stamp moved since ``seen``."""
    values = {"quarter": str(outcome.quarter), "payload": encode(outcome)}
    if seen is None:
        insert = upsert_insert(session)(TABLE).values(program_id=program_id, stamp=0, **values)
        session.execute(insert.on_conflict_do_nothing(index_elements=["program_id"]))
    else:
        where = (TABLE.c.program_id == program_id, TABLE.c.stamp == seen)
        session.execute(update(TABLE).where(*where).values(**values))


def invalidate(session: Session, program_ids: Iterable[int]) -> None:
    """Mark the programmes' stored quarters stale."""
    mark_stale(session, TABLE, "program_id", program_ids, STALE)


def clients_written_hook(session: Session, _client_ids: list[int]) -> None:
    """The ``clients_written`` hook (a bulk write by statement that wrote rows): every programme's
    quarter is stale."""
    invalidate(session, session.scalars(select(Program.id)))


def encode(outcome: QuarterlyOutcome) -> str:
    """The outcome as JSON text; ``decode`` gives it back equal (rates as exact fractions)."""
    rates = {k: None if r is None else [r.numerator, r.denominator] for k, r in outcome.rates.items()}
    data = {
        "program": outcome.program,
        "quarter": str(outcome.quarter),
        "refs": {k: list(refs) for k, refs in outcome.refs.items()},
        "counts": outcome.counts,
        "rates": rates,
    }
    return json.dumps(data, separators=(",", ":"))


def decode(payload: str) -> QuarterlyOutcome:
    """The outcome ``encode`` stored."""
    data = json.loads(payload)
    return QuarterlyOutcome(
        data["program"],
        Quarter.parse(data["quarter"]),
        {k: tuple(refs) for k, refs in data["refs"].items()},
        data["counts"],
        {k: None if r is None else Fraction(*r) for k, r in data["rates"].items()},
    )


def _changed_programs(session: Session) -> set[int]:
    """The programmes whose quarter inputs the flush in progress changes (one query at most)."""
    programs: set[int] = set()
    clients: set[int] = set()
    jobs: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Client, Referral)):
            programs.update(flush_values(obj, "program_id"))
        elif isinstance(obj, Job):
            clients.update(flush_values(obj, "client_id"))
        elif isinstance(obj, JobHours):
            jobs.update(flush_values(obj, "job_id"))
    # A programme's own columns are not read: the quarter names it by its ref, which never changes.
    clients.discard(None)  # type: ignore[arg-type]
    jobs.discard(None)  # type: ignore[arg-type]
    if clients or jobs:
        of_jobs = select(Job.client_id).where(Job.id.in_(sorted(jobs)))
        stmt = select(Client.program_id).where(or_(Client.id.in_(sorted(clients)), Client.id.in_(of_jobs)))
        programs.update(session.connection().scalars(stmt))
    programs.discard(None)  # type: ignore[arg-type]
    return programs


def listen() -> None:
    """Mark stale the programmes each flush changes (once per process, for every session)."""
    stamps.listen(_changed_programs, invalidate)
