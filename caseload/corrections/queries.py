"""The client's void records, for the client page to show struck through (one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from caseload.db import INCLUDE_VOIDED
from caseload.employers.models import EmployerContact, employer_contact_clients
from caseload.jobs.models import Job, JobHours
from caseload.outcomes.models import OutcomeMeasure


@dataclass(frozen=True, slots=True)
class VoidLine:
    """One void record: its kind (the model's table), ref, date, when voided and why."""

    kind: str
    ref: str
    on: date
    voided_on: date
    reason: str


def voided_records(session: Session, client: Client) -> list[VoidLine]:
    """The client's void records, newest first (the struck-through list of the client page)."""
    parts = [
        select(literal(m.__tablename__), m.ref, day, m.voided_on, m.void_reason).where(
            m.client_id == client.id, m.voided_on.is_not(None)
        )
        for m, day in (
            (ClientContact, ClientContact.contact_date),
            (Job, Job.start_date),
            (BenefitsSession, BenefitsSession.session_date),
            (OutcomeMeasure, OutcomeMeasure.measured_on),
        )
    ]
    # Records not keyed by client: an employer contact through its clients, hours through the job.
    link = employer_contact_clients.c
    for m, ref, day, joined, onclause, client_id in (
        (
            EmployerContact,
            EmployerContact.ref,
            EmployerContact.contact_date,
            employer_contact_clients,
            link.employer_contact_id == EmployerContact.id,
            link.client_id,
        ),
        (JobHours, Job.ref, JobHours.effective_from, Job, Job.id == JobHours.job_id, Job.client_id),
    ):
        parts.append(
            select(literal(m.__tablename__), ref, day, m.voided_on, m.void_reason)
            .join(joined, onclause)
            .where(client_id == client.id, m.voided_on.is_not(None))
        )
    stmt = union_all(*parts)
    rows = session.execute(select(stmt.subquery()).execution_options(**{INCLUDE_VOIDED: True}))
    lines = [VoidLine(*row) for row in rows]
    return sorted(lines, key=lambda v: (v.voided_on, v.on, v.ref), reverse=True)
