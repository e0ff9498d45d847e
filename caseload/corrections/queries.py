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
    link = employer_contact_clients.c
    parts.append(
        select(
            literal(EmployerContact.__tablename__),
            EmployerContact.ref,
            EmployerContact.contact_date,
            EmployerContact.voided_on,
            EmployerContact.void_reason,
        )
        .join(employer_contact_clients, link.employer_contact_id == EmployerContact.id)
        .where(link.client_id == client.id, EmployerContact.voided_on.is_not(None))
    )
    parts.append(
        select(
            literal(JobHours.__tablename__),
            Job.ref,
            JobHours.effective_from,
            JobHours.voided_on,
            JobHours.void_reason,
        )
        .join(Job, Job.id == JobHours.job_id)
        .where(Job.client_id == client.id, JobHours.voided_on.is_not(None))
    )
    stmt = union_all(*parts)
    rows = session.execute(select(stmt.subquery()).execution_options(**{INCLUDE_VOIDED: True}))
    lines = [VoidLine(*row) for row in rows]
    return sorted(lines, key=lambda v: (v.voided_on, v.on, v.ref), reverse=True)
