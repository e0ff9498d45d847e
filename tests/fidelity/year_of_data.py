"""A year of a busy programme's records, inserted in bulk: for timing the report and the items."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.employers.models import Employer, EmployerContact, WeeklyReview
from caseload.jobs.models import Job
from caseload.teams.models import SupervisionSession, TeamMeeting, VocationalContact
from tests import factories

SPECIALISTS, CLIENTS_EACH, EMPLOYERS = 6, 20, 80
MODES = ("face_to_face", "face_to_face", "phone", "video", "message")
PLACES = ("community", "home", "workplace", "office")
PURPOSES = ("engagement", "job_search", "follow_along", "disclosure", "benefits", "outreach")


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def seed_year(session, as_of: date, seed: int = 7):
    """One programme with a year of records up to ``as_of``; returns the programme."""
    rng, year_ago = random.Random(seed), as_of - timedelta(days=365)
    prog = factories.program(session, "Busy IPS")
    teams = [factories.team(session, prog, f"Team {i}") for i in range(4)]
    sup = factories.user(session, "supervisor", prog)
    staff = [factories.user(session, "specialist", prog, teams=[teams[i % 4]]) for i in range(SPECIALISTS)]
    employers = [Employer(ref=f"E-Y{i:04d}", name=f"Employer {i}") for i in range(EMPLOYERS)]
    session.add_all(employers)
    session.flush()
    clients = _clients(session, rng, prog, staff, teams, year_ago, as_of)
    _contacts(session, rng, staff, clients, employers, year_ago, as_of)
    _jobs_and_more(session, rng, prog, sup, staff, teams, clients, employers, year_ago, as_of)
    session.commit()
    return prog


def _clients(session, rng, prog, staff, teams, year_ago, as_of) -> list[Client]:
    clients = []
    for s_i, spec in enumerate(staff):
        for c_i in range(CLIENTS_EACH):
            entry = _day(rng, year_ago - timedelta(days=200), as_of - timedelta(days=10))
            closed = (
                entry + timedelta(days=300) if c_i % 7 == 0 and entry + timedelta(days=300) < as_of else None
            )
            clients.append(
                Client(
                    ref=f"C-Y{s_i}{c_i:03d}",
                    program_id=prog.id,
                    name=f"Client {s_i}-{c_i}",
                    specialist_id=spec.id,
                    treatment_team_id=teams[s_i % 4].id,
                    entry_date=entry,
                    status_at_entry="unemployed",
                    preferred_job_types="9412;5223",
                    profile_started_on=entry + timedelta(days=10),
                    closed_on=closed,
                    closure_reason="moved" if closed else None,
                )
            )
    session.add_all(clients)
    session.flush()
    return clients


def _contacts(session, rng, staff, clients, employers, year_ago, as_of) -> None:
    rows, n = [], 0
    for c in clients:
        for _ in range(100):  # about two a week
            n += 1
            rows.append(
                ClientContact(
                    ref=f"CC-Y{n:06d}",
                    client_id=c.id,
                    staff_id=c.specialist_id,
                    contact_date=_day(rng, max(c.entry_date, year_ago), as_of),
                    mode=rng.choice(MODES),
                    location=rng.choice(PLACES),
                    minutes=rng.choice((15, 30, 45, 60)),
                    purpose=rng.choice(PURPOSES),
                )
            )
    for s in staff:
        for _ in range(6 * 52):
            n += 1
            ec = EmployerContact(
                ref=f"EC-Y{n:06d}",
                contact_date=_day(rng, year_ago, as_of),
                specialist_id=s.id,
                employer_id=rng.choice(employers).id,
                mode=rng.choice(MODES[:4]),
                job_type="9412",
                minutes=rng.choice((20, 40, 60)),
            )
            ec.clients = [c for c in rng.sample(clients, 1) if c.specialist_id == s.id]
            rows.append(ec)
    session.add_all(rows)
    session.flush()


def _jobs_and_more(session, rng, prog, sup, staff, teams, clients, employers, year_ago, as_of) -> None:
    rows = []
    for i, c in enumerate(clients[::2]):
        start = _day(rng, max(c.entry_date, year_ago), as_of)
        rows.append(
            Job(
                ref=f"J-Y{i:05d}",
                client_id=c.id,
                employer_id=rng.choice(employers).id,
                title="Job",
                job_type=rng.choice(("9412", "5223", "4110")),
                start_date=start,
                end_date=start + timedelta(days=90)
                if i % 4 == 0 and start + timedelta(days=90) < as_of
                else None,
                end_reason="quit_new_job" if i % 4 == 0 else None,
                hours_per_week=Decimal("20"),
                open_to_anyone=True,
                min_wage_or_above=True,
                paid_by_employer=True,
                integrated_setting=True,
                set_aside=False,
                time_limited=i % 9 == 0,
            )
        )
        rows.append(BenefitsSession(ref=f"BS-Y{i:05d}", client_id=c.id, session_date=start, kind="initial"))
    for i in range(150):
        rows.append(
            Referral(
                ref=f"R-Y{i:04d}",
                program_id=prog.id,
                received_on=_day(rng, year_ago, as_of),
                decision="declined" if i % 10 == 0 else "accepted",
                reason="Wants to wait" if i % 10 == 0 else None,
            )
        )
    monday = as_of - timedelta(days=as_of.weekday() + 7 * 52)
    for w in range(52):
        week = monday + timedelta(weeks=w)
        rows += [
            WeeklyReview(
                specialist_id=s.id, week_start=week, reviewer_id=sup.id, reviewed_on=week + timedelta(days=8)
            )
            for s in staff
        ]
        rows.append(
            SupervisionSession(
                ref=f"SV-Y{w:03d}",
                program_id=prog.id,
                supervisor_id=sup.id,
                session_date=week + timedelta(days=2),
                kind="group",
                minutes=60,
            )
        )
        rows += [
            TeamMeeting(
                ref=f"TM-Y{w:03d}{i}",
                program_id=prog.id,
                team_id=teams[i % 4].id,
                specialist_id=s.id,
                meeting_date=week + timedelta(days=1),
            )
            for i, s in enumerate(staff)
        ]
        rows.append(
            VocationalContact(
                ref=f"VR-Y{w:03d}",
                program_id=prog.id,
                specialist_id=staff[w % 6].id,
                contact_date=week + timedelta(days=3),
                kind="meeting" if w % 4 == 0 else "contact",
            )
        )
    session.add_all(rows)
    session.flush()
