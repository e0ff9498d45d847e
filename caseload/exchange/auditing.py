"""The audit log of a bulk import or export: one event per client, appended in one go."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from caseload.auth.audit import audit, audit_many
from caseload.clients.models import Client
from caseload.exchange.queries import ids_by_key
from caseload.exchange.tables import model_table


def audit_clients(session: Session, *, refs: Iterable[str], action: str, user_id: int | None) -> None:
    """Append one audit event per client named in ``refs`` (``target`` = the client's ref)."""
    ids = ids_by_key(session, model_table(Client), "ref", refs)
    audit_many(session, action=action, clients=[(ids[ref], ref) for ref in sorted(ids)], user_id=user_id)


def audit_trials(session: Session, *, refs: Iterable[str], action: str, user_id: int | None) -> None:
    """Append one audit event per trial named in ``refs`` whose records an import or export
    carried (``target`` = the trial's ref; its participants are not clients)."""
    for ref in sorted(set(refs)):
        audit(session, action=action, target=ref, user_id=user_id)
