"""Test data: small functions that build valid records with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from caseload.auth.passwords import hash_password
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import next_ref
from caseload.employers.models import Employer, EmployerContact
from caseload.jobs.models import Job
from caseload.teams.models import Program, TreatmentTeam

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
_HASH = None


def password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


def program(session, name: str | None = None) -> Program:
    existing = session.scalar(select(Program).order_by(Program.id).limit(1)) if name is None else None
    if existing is not None:
        return existing
    p = Program(ref=next_ref(session, Program), name=name or "Test programme")
    session.add(p)
    session.flush()
    return p


def team(session, prog: Program | None = None, name: str = "Team") -> TreatmentTeam:
    prog = prog or program(session)
    t = TreatmentTeam(ref=next_ref(session, TreatmentTeam), program_id=prog.id, name=name)
    session.add(t)
    session.flush()
    return t


def user(session, role: str = "specialist", prog: Program | None = None, teams=(), **kw):
    from caseload.auth.models import User

    prog = prog or program(session)
    n = next(_seq)
    u = User(
        email=kw.pop("email", f"{role}{n}@example.test"),
        name=kw.pop("name", f"{role.title()} {n}"),
        role=role,
        program_id=prog.id,
        fte=kw.pop("fte", Decimal("1.0")),
        password_hash=password_hash(),
        **kw,
    )
    u.teams = list(teams)
    session.add(u)
    session.flush()
    return u


def client(session, specialist, *, entry: date | None = None, team_obj=None, **kw) -> Client:
    c = Client(
        ref=next_ref(session, Client),
        program_id=specialist.program_id,
        name=kw.pop("name", "Kari Nordmann"),
        specialist_id=specialist.id,
        treatment_team_id=team_obj.id if team_obj else None,
        entry_date=entry or date.today() - timedelta(days=40),
        status_at_entry=kw.pop("status_at_entry", "unemployed"),
        **kw,
    )
    session.add(c)
    session.flush()
    return c


def referral(session, prog: Program | None = None, **kw) -> Referral:
    prog = prog or program(session)
    r = Referral(
        ref=next_ref(session, Referral),
        program_id=prog.id,
        received_on=kw.pop("received_on", date.today() - timedelta(days=3)),
        person_name=kw.pop("person_name", "Ola Nordmann"),
        decision=kw.pop("decision", "pending"),
        **kw,
    )
    session.add(r)
    session.flush()
    return r


def employer(session, name: str = "Kiwi Storo") -> Employer:
    e = Employer(ref=next_ref(session, Employer), name=name)
    session.add(e)
    session.flush()
    return e


def job(session, client_obj: Client, *, start: date, employer_obj=None, **kw) -> Job:
    comp = dict(
        open_to_anyone=True,
        min_wage_or_above=True,
        paid_by_employer=True,
        integrated_setting=True,
        set_aside=False,
        time_limited=False,
    )
    comp.update({k: kw.pop(k) for k in list(kw) if k in comp})
    j = Job(
        ref=next_ref(session, Job),
        client_id=client_obj.id,
        employer_id=(employer_obj or employer(session)).id,
        title=kw.pop("title", "Shop assistant"),
        start_date=start,
        hours_per_week=kw.pop("hours_per_week", Decimal("20")),
        **comp,
        **kw,
    )
    session.add(j)
    session.flush()
    return j


def contact(session, client_obj: Client, staff, *, on: date, **kw) -> ClientContact:
    mode = kw.pop("mode", "face_to_face")
    c = ClientContact(
        ref=next_ref(session, ClientContact),
        client_id=client_obj.id,
        staff_id=staff.id,
        contact_date=on,
        mode=mode,
        location=kw.pop("location", "community" if mode == "face_to_face" else "remote"),
        minutes=kw.pop("minutes", 30),
        purpose=kw.pop("purpose", "follow_along"),
        **kw,
    )
    session.add(c)
    session.flush()
    return c


def employer_contact(
    session, specialist, *, on: date, clients=(), employer_obj=None, **kw
) -> EmployerContact:
    ec = EmployerContact(
        ref=next_ref(session, EmployerContact),
        contact_date=on,
        specialist_id=specialist.id,
        employer_id=(employer_obj or employer(session)).id,
        mode=kw.pop("mode", "face_to_face"),
        minutes=kw.pop("minutes", 30),
        **kw,
    )
    ec.clients = list(clients)
    session.add(ec)
    session.flush()
    return ec


def benefits_session(session, client_obj: Client, *, on: date, **kw) -> BenefitsSession:
    b = BenefitsSession(
        ref=next_ref(session, BenefitsSession),
        client_id=client_obj.id,
        session_date=on,
        kind=kw.pop("kind", "initial"),
        **kw,
    )
    session.add(b)
    session.flush()
    return b


def measure(session, client_obj: Client, *, on: date, timepoint: str = "baseline", **kw):
    from caseload.outcomes.models import OutcomeMeasure

    m = OutcomeMeasure(
        ref=next_ref(session, OutcomeMeasure),
        client_id=client_obj.id,
        measured_on=on,
        timepoint=timepoint,
        **kw,
    )
    session.add(m)
    session.flush()
    return m


def plan_step(session, client_obj: Client, description: str = "Visit two shops"):
    from caseload.clients.models import JobSearchPlan, JobSearchStep

    plan = JobSearchPlan(client_id=client_obj.id, goal="Part-time retail work")
    session.add(plan)
    session.flush()
    step = JobSearchStep(plan_id=plan.id, description=description, owner="Specialist")
    session.add(step)
    session.flush()
    return step
