"""Store plain rows (e.g. the sample bundle's) as records, for sweeping a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client
from caseload.contacts.models import ClientContact
from caseload.employers.models import Employer, EmployerContact, WeeklyReview
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.rows import ProgramData
from caseload.teams.models import Program


def store(session: Session, data: ProgramData) -> Program:
    """Write ``data`` as one programme's records; returns the programme (flushed, not committed)."""
    program = Program(ref=data.program_ref, name=f"Programme {data.program_ref}", timezone="Europe/Oslo")
    session.add(program)
    session.flush()
    users = {}
    for s in data.staff:
        users[s.email] = User(
            email=s.email, name=s.email.split("@")[0].replace(".", " ").title(), role=s.role,
            program_id=program.id, fte=s.fte, active=s.active,
        )  # fmt: skip
        session.add(users[s.email])
    session.flush()
    clients = {}
    for c in data.clients:
        clients[c.ref] = Client(
            ref=c.ref, program_id=program.id, name=f"Name of {c.ref}",
            specialist_id=users[c.specialist_email].id, entry_date=c.entry_date,
            status_at_entry=c.status_at_entry, closed_on=c.closed_on,
            closure_reason=c.closure_reason or ("other" if c.closed_on else None),
            profile_started_on=c.profile_started_on,
        )  # fmt: skip
        session.add(clients[c.ref])
    session.flush()
    _work(session, data, users, clients)
    _contacts(session, data, users, clients)
    session.flush()
    return program


def _employers(session: Session, data: ProgramData) -> dict[str, Employer]:
    refs = {x.employer_ref for x in data.employer_contacts} | {j.employer_ref for j in data.jobs}
    employers = {ref: Employer(ref=ref, name=f"Employer {ref}") for ref in sorted(refs)}
    session.add_all(employers.values())
    session.flush()
    return employers


def _work(session: Session, data: ProgramData, users: dict, clients: dict) -> None:
    employers = _employers(session, data)
    for x in data.employer_contacts:
        ec = EmployerContact(
            ref=x.ref, contact_date=x.contact_date, specialist_id=users[x.specialist_email].id,
            employer_id=employers[x.employer_ref].id, mode=x.mode, minutes=x.minutes,
        )  # fmt: skip
        ec.clients = [clients[r] for r in x.client_refs]
        session.add(ec)
    supervisor = next((u for u in users.values() if u.role == "supervisor"), None)
    for r in data.weekly_reviews:
        session.add(
            WeeklyReview(
                specialist_id=users[r.specialist_email].id,
                week_start=r.week_start,
                reviewer_id=supervisor.id,
                reviewed_on=r.reviewed_on,
            )  # fmt: skip
        )
    competitive = dict.fromkeys(
        ("open_to_anyone", "min_wage_or_above", "paid_by_employer", "integrated_setting"), True
    )
    for j in data.jobs:
        session.add(
            Job(
                ref=j.ref,
                client_id=clients[j.client_ref].id,
                employer_id=employers[j.employer_ref].id,
                title="Job",
                start_date=j.start_date,
                end_date=j.end_date,
                end_reason="other" if j.end_date else None,
                hours_per_week=j.hours_per_week,
                set_aside=False,
                time_limited=not j.competitive,
                **competitive,
            )  # fmt: skip
        )


def _contacts(session: Session, data: ProgramData, users: dict, clients: dict) -> None:
    for x in data.client_contacts:
        session.add(
            ClientContact(
                ref=x.ref,
                client_id=clients[x.client_ref].id,
                staff_id=users[x.staff_email].id,
                contact_date=x.contact_date,
                mode=x.mode,
                location=x.location,
                minutes=x.minutes,
                purpose=x.purpose,
            )  # fmt: skip
        )
    for b in data.benefits_sessions:
        session.add(
            BenefitsSession(
                ref=b.ref,
                client_id=clients[b.client_ref].id,
                session_date=b.session_date,
                kind="initial",
                trained_planner=b.trained_planner,
            )  # fmt: skip
        )
    for m in data.measures:
        odi = {f"odi_{i + 1}": v for i, v in enumerate(m.odi)}
        session.add(
            OutcomeMeasure(
                ref=m.ref,
                client_id=clients[m.client_ref].id,
                measured_on=m.measured_on,
                timepoint=m.timepoint,
                eq_vas=m.eq_vas,
                pain_nrs=m.pain_nrs,
                **odi,
            )  # fmt: skip
        )
