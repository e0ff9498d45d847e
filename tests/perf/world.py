"""Programmes of a chosen shape for the constant-query tests: S specialists with C open clients each.

Every client gets the same handful of records (contacts, an employer contact in the measured week,
a job, a benefits session, a measure, prompts), ``extra`` times over for the client whose page is
measured, so a page that queries per row shows up as a different count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseload.employers.models import WeeklyReview
from caseload.prompts.models import Prompt
from tests import factories


@dataclass(frozen=True)
class World:
    """Plain values (ids, refs) that stay valid across sessions."""

    program_ref: str
    specialist: int
    supervisor: int
    clinician: int
    client_ref: str  # the specialist's first client: the one whose page is opened
    monday: date


def build(session, *, name: str, specialists: int, caseload: int, extra: int = 1) -> World:
    """A programme of ``specialists`` specialists holding ``caseload`` open clients each."""
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 7)
    program = factories.program(session, name=name)
    team = factories.team(session, program, name=f"{name} team")
    supervisor = factories.user(session, "supervisor", program)
    clinician = factories.user(session, "clinician", program, teams=[team])
    employer = factories.employer(session, name=f"{name} employer")
    people = [factories.user(session, "specialist", program, teams=[team]) for _ in range(specialists)]
    first_client = None
    for specialist in people:
        for k in range(caseload):
            client = factories.client(
                session, specialist, entry=today - timedelta(days=90 + k), team_obj=team, name=f"Client {k}"
            )
            times = extra if specialist is people[0] and k == 0 else 1
            _records(session, program, client, specialist, employer, monday, times)
            first_client = first_client or client
        session.add(
            WeeklyReview(
                specialist_id=specialist.id,
                week_start=monday,
                reviewer_id=supervisor.id,
                reviewed_on=monday + timedelta(days=8),
            )
        )
        key = f"{specialist.email}|{monday.isoformat()}"
        session.add(
            _prompt(program, "weekly_log_review", key, monday + timedelta(days=7), specialist=specialist)
        )
    session.flush()
    return World(program.ref, people[0].id, supervisor.id, clinician.id, first_client.ref, monday)


def _records(session, program, client, specialist, employer, monday: date, times: int) -> None:
    for n in range(times):
        day = monday + timedelta(days=n % 5)
        factories.contact(session, client, specialist, on=day, purpose="job_search")
        factories.contact(session, client, specialist, on=day - timedelta(days=30), purpose="disclosure")
        factories.employer_contact(session, specialist, on=day, clients=[client], employer_obj=employer)
        factories.benefits_session(session, client, on=client.entry_date + timedelta(days=3 + n))
        factories.measure(session, client, on=client.entry_date + timedelta(days=n), eq_vas=50, pain_nrs=5)
        job = factories.job(
            session, client, start=client.entry_date + timedelta(days=20 + n), employer_obj=employer
        )
        session.add(_prompt(program, "first_contact", client.ref, monday + timedelta(days=n), client=client))
        session.add(_prompt(program, "start_followup", job.ref, monday, client=client, job=job))


def _prompt(program, rule: str, key: str, due: date, *, client=None, job=None, specialist=None) -> Prompt:
    return Prompt(
        program_id=program.id,
        rule=rule,
        subject_key=key,
        due_on=due,
        client_id=client.id if client else None,
        job_id=job.id if job else None,
        specialist_id=specialist.id if specialist else None,
        week_start=due - timedelta(days=7) if specialist else None,
        assignee_id=client.specialist_id if client else None,
        status="open",
    )
