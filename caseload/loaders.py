"""Loaders shared by the narrow loaders of fidelity, prompts and outcomes: a programme's clients and
employer contacts and jobs as plain rows (caseload.rows), set-based (one statement each).

Layer: above the record features, below prompts, fidelity and outcomes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.employers.models import (
    Employer,
    EmployerContact,
    employer_contact_clients,
)
from caseload.jobs.models import Job, JobHours
from caseload.rows import (
    ClientRow,
    EmployerContactRow,
    HoursChangeRow,
    JobRow,
    ProgramData,
)
from caseload.teams.models import TreatmentTeam


def client_rows(session: Session, condition, data: ProgramData) -> dict[int, str]:
    """Append the clients matching ``condition`` to ``data.clients``; returns their refs by id."""
    stmt = (
        select(
            Client.id,
            Client.ref,
            Client.entry_date,
            User.email,
            Client.status_at_entry,
            TreatmentTeam.ref,
            Client.closed_on,
            Client.closure_reason,
            Client.preferred_job_types,
            Client.profile_started_on,
            Client.trial_arm,
        )
        .join(Client.specialist)
        .outerjoin(Client.treatment_team)
        .where(condition)
    )
    refs = {}
    rows = session.execute(stmt)
    for cid, ref, entry, email, status, team, closed, reason, types, profile, arm in rows:
        refs[cid] = ref
        types = tuple(t for t in types.split(";") if t)
        data.clients.append(
            ClientRow(
                ref,
                entry,
                email,
                status,
                closed,
                profile,
                treatment_team_ref=team,
                closure_reason=reason,
                preferred_job_types=types,
                trial_arm=arm,
            )
        )
    return refs


def employer_contact_rows(session: Session, condition, emails: dict[int, str], client_refs: dict[int, str]):
    """The employer contacts matching ``condition`` as rows, with the refs of their clients that are
    in ``client_refs``; one statement (the contacts outer-joined to their client links)."""
    linked = employer_contact_clients.alias()
    stmt = (
        select(
            EmployerContact.id,
            EmployerContact.ref,
            EmployerContact.contact_date,
            EmployerContact.specialist_id,
            Employer.ref,
            EmployerContact.mode,
            EmployerContact.job_type,
            EmployerContact.minutes,
            linked.c.client_id,
        )
        .join(EmployerContact.employer)
        .outerjoin(linked, linked.c.employer_contact_id == EmployerContact.id)
        .where(condition)
    )
    contacts: dict[int, tuple] = {}
    links = defaultdict(list)
    for i, ref, d, sid, eref, mode, jt, minutes, client_id in session.execute(stmt):
        contacts.setdefault(i, (ref, d, sid, eref, mode, jt, minutes))
        if client_id in client_refs:
            links[i].append(client_refs[client_id])
    return [
        EmployerContactRow(
            ref,
            d,
            mode,
            tuple(sorted(links[i])),
            specialist_email=emails[sid],
            employer_ref=eref,
            job_type=jt,
            minutes=minutes or 0,
        )
        for i, (ref, d, sid, eref, mode, jt, minutes) in contacts.items()
    ]


def job_rows(session: Session, condition, refs: Mapping[int, str]) -> list[JobRow]:
    """The jobs that meet ``condition`` (on Job) with their hours changes (two statements); ``refs``
    are the clients' refs by id, as loaded with them (no join back to the clients)."""
    hours = defaultdict(list)
    stmt = (
        select(JobHours.job_id, JobHours.effective_from, JobHours.hours_per_week)
        .join(JobHours.job)
        .where(condition)
        .order_by(JobHours.effective_from)
    )
    for job_id, since, per_week in session.execute(stmt):
        hours[job_id].append(HoursChangeRow(since, per_week))
    stmt = (
        select(Job.id, Job.ref, Job.client_id, Employer.ref, Job.start_date, Job.hours_per_week, Job.job_type)
        .add_columns(Job.end_date, Job.competitive)
        .join(Job.employer)
        .where(condition)
    )
    rows = session.execute(stmt)
    return [
        JobRow(
            ref,
            refs[client_id],
            start,
            end,
            employer_ref=employer,
            hours_per_week=per_week,
            competitive=bool(competitive),
            job_type=job_type,
            hours_changes=tuple(hours[job_id]),
        )
        for job_id, ref, client_id, employer, start, per_week, job_type, end, competitive in rows
    ]
