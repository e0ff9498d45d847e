"""Anonymisation of closed clients after the retention period. Services flush; the caller commits.

Nothing is deleted: the replaced fields of REPLACED are overwritten in the client's own records,
in the employer contacts that name the client, in its prompts and in the saved revisions of all
of them; dates, codes, counts and scores stay, so every report keeps its numbers.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.auth.models import RecordRevision
from caseload.clients.models import Client
from caseload.db import Base
from caseload.ops.retention import REPLACED, may_anonymise, scrub_revision
from caseload.writes import DomainError


def _rows_of(tbl: Table, client_id: int) -> ColumnElement[bool]:
    """Which rows of ``tbl`` belong to the client."""
    tables = Base.metadata.tables
    if tbl.name == "clients":
        return tbl.c.id == client_id
    if tbl.name == "job_search_steps":
        plans = tables["job_search_plans"]
        return tbl.c.plan_id.in_(select(plans.c.id).where(plans.c.client_id == client_id))
    if tbl.name == "employer_contacts":
        link = tables["employer_contact_clients"]
        return tbl.c.id.in_(select(link.c.employer_contact_id).where(link.c.client_id == client_id))
    return tbl.c.client_id == client_id


def _scrub_revisions(session: Session, entity: str, ids: list[int]) -> None:
    revisions = session.scalars(
        select(RecordRevision).where(RecordRevision.entity == entity, RecordRevision.entity_id.in_(ids))
    )
    for rev in revisions:
        rev.data = scrub_revision(entity, rev.data)


def _replace(session: Session, tbl: Table, client_id: int) -> int:
    where = _rows_of(tbl, client_id)
    ids = list(session.scalars(select(tbl.c.id).where(where)))
    if not ids:
        return 0
    _scrub_revisions(session, tbl.name, ids)
    values: dict = dict(REPLACED[tbl.name])
    if "version" in tbl.c:  # an edit opened before now fails instead of restoring the text
        values["version"] = tbl.c.version + 1
    session.execute(update(tbl).where(tbl.c.id.in_(ids)).values(**values))
    return len(ids)


def client_anonymise(
    session: Session, *, client: Client, today: date, years: int, user_id: int | None
) -> int:
    """Anonymise one closed client whose retention period has passed; returns the rows changed."""
    if not may_anonymise(client.closed_on, client.anonymised, today, years):
        raise DomainError("Only clients closed for longer than the retention period can be anonymised.")
    session.flush()
    changed = sum(_replace(session, Base.metadata.tables[name], client.id) for name in REPLACED)
    session.execute(update(Client).where(Client.id == client.id).values(anonymised=True))
    audit(session, action="anonymise", client_id=client.id, target=client.ref, user_id=user_id)
    session.expire(client)
    return changed


def eligible_clients(session: Session, *, program_id: int, today: date, years: int) -> list[Client]:
    """The programme's closed clients whose retention period has passed, oldest closure first."""
    stmt = (
        select(Client)
        .where(
            Client.program_id == program_id,
            Client.closed_on.is_not(None),
            Client.closed_on < date(today.year - years + 1, 1, 1),
            Client.anonymised.is_(False),
        )
        .order_by(Client.closed_on, Client.ref)
    )
    return [c for c in session.scalars(stmt) if may_anonymise(c.closed_on, c.anonymised, today, years)]
