"""The small demo: two programmes, a few specialists, ~40 clients with a year of records."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from caseload.auth.passwords import hash_password
from caseload.auth.services import user_create
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import next_ref
from caseload.demo.trial import seed_trial
from caseload.employers.models import Employer, EmployerContact, WeeklyReview
from caseload.jobs.models import Job
from caseload.outcomes.models import OutcomeMeasure
from caseload.teams.models import JobType
from caseload.teams.services import program_create, team_create

DEMO_PASSWORD = "demo-password"  # noqa: S105 - demo data only, seeded by `demo seed` alone
DEMO_LOGINS = (
    ("specialist@demo.test", "specialist"),
    ("specialist2@demo.test", "specialist"),
    ("supervisor@demo.test", "supervisor"),
    ("clinician@demo.test", "clinician"),
    ("admin@demo.test", "admin"),
    ("trial@demo.test", "trial_manager"),
    ("assessor@demo.test", "assessor"),
    ("statistician@demo.test", "statistician"),
)
FIRST = (
    "Anne Bjørn Camilla Dag Eli Frode Gro Hans Ingrid Jon Kari Lars Mette Nils Ola Per Randi Siv Tor Unni"
).split()
LAST = "Berg Dahl Eide Haugen Holm Lie Lund Moen Nilsen Strand Vik Aas Bakke Hagen".split()
JOB_TYPES = {
    "5223": "Shop sales assistant",
    "9412": "Kitchen helper",
    "4110": "General office clerk",
    "8322": "Car, taxi and van driver",
    "5120": "Cook",
    "4222": "Contact centre agent",
    "9112": "Cleaner",
    "2512": "Software developer",
}
EMPLOYERS = (
    "Kiwi Grünerløkka",
    "Rema 1000 Tøyen",
    "Oslo Kafé AS",
    "Posten Norge",
    "Elkjøp Storo",
    "Bydel Gamle Oslo",
    "Fjord Hotell",
    "Nordic Cleaning AS",
    "Bring Terminal",
    "Apotek 1 Sentrum",
)


def seed_small(session: Session, *, seed: int, today: date) -> None:
    """Deterministic for a given seed and anchor date."""
    rng = random.Random(seed)
    p1 = program_create(session, name="Oslo Pain Clinic IPS")
    p2 = program_create(session, name="Bergen IPS")
    team_a = team_create(session, program_id=p1.id, name="Pain clinic team A")
    team_b = team_create(session, program_id=p1.id, name="Pain clinic team B")
    team_c = team_create(session, program_id=p2.id, name="Community mental health team")
    pw = hash_password(DEMO_PASSWORD)

    def person(email, name, role, program, teams=(), fte="1.0"):
        user = user_create(
            session,
            email=email,
            name=name,
            role=role,
            program_id=program.id,
            fte=Decimal(fte),
            teams=list(teams),
        )
        user.password_hash = pw
        return user

    s1 = person("specialist@demo.test", "Siri Specialist", "specialist", p1, [team_a])
    s2 = person("specialist2@demo.test", "Sander Specialist", "specialist", p1, [team_a, team_b])
    sup = person("supervisor@demo.test", "Sunniva Supervisor", "supervisor", p1)
    person("clinician@demo.test", "Kristin Clinician", "clinician", p1, [team_a])
    person("admin@demo.test", "Ada Admin", "admin", p1)
    trial_people = {
        "trial_manager": person("trial@demo.test", "Tone Trial-Manager", "trial_manager", p1),
        "assessor": person("assessor@demo.test", "Aslak Assessor", "assessor", p1),
        "statistician": person("statistician@demo.test", "Stine Statistician", "statistician", p1),
    }
    s3 = person("bergen.specialist@demo.test", "Bjarte Specialist", "specialist", p2, [team_c], "0.8")
    person("bergen.supervisor@demo.test", "Berit Supervisor", "supervisor", p2)
    for program in (p1, p2):
        for code, label in JOB_TYPES.items():
            session.add(JobType(program_id=program.id, code=code, label=label))
    employers = []
    for name in EMPLOYERS:
        employer = Employer(ref=next_ref(session, Employer), name=name, industry=None)
        session.add(employer)
        employers.append(employer)
    session.flush()
    caseloads = [(s1, p1, team_a, 15), (s2, p1, team_b, 14), (s3, p2, team_c, 11)]
    for specialist, program, team, n in caseloads:
        for _ in range(n):
            _client(session, rng, today, program, specialist, team, employers)
        _declined_referral(session, rng, today, program)
        _employer_log(session, rng, today, specialist, employers)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(120)]
    seed_trial(session, rng, today, program=p1, people=trial_people, specialists=[s1, s2], names=names)
    for weeks_back in range(2, 10):
        monday = today - timedelta(days=today.weekday() + 7 * weeks_back)
        for specialist in (s1, s2):
            session.add(
                WeeklyReview(
                    specialist_id=specialist.id,
                    week_start=monday,
                    reviewer_id=sup.id,
                    reviewed_on=monday + timedelta(days=8),
                )
            )
    session.flush()


def _declined_referral(session, rng, today, program) -> None:
    session.add(
        Referral(
            ref=next_ref(session, Referral),
            program_id=program.id,
            received_on=today - timedelta(days=rng.randint(20, 200)),
            source="GP",
            decision="declined",
            reason="Did not want employment support now",
            person_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        )
    )


def _client(session, rng, today, program, specialist, team, employers) -> None:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    entry = today - timedelta(days=rng.randint(5, 420))
    received = entry - timedelta(days=rng.randint(1, 14))
    prefs = rng.sample(sorted(JOB_TYPES), 2)
    client = Client(
        ref=next_ref(session, Client),
        program_id=program.id,
        name=name,
        birth_date=date(rng.randint(1965, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        specialist_id=specialist.id,
        treatment_team_id=team.id if rng.random() < 0.85 else None,
        referral_date=received,
        entry_date=entry,
        status_at_entry=rng.choice(["unemployed", "unemployed", "sick_leave", "inactive", "student"]),
        preferred_job_types=";".join(prefs),
        trial_arm=rng.choice(["ips", "control"]),
    )
    if rng.random() < 0.8:
        client.profile_started_on = min(today, entry + timedelta(days=rng.randint(2, 20)))
    session.add(client)
    session.flush()
    session.add(
        Referral(
            ref=next_ref(session, Referral),
            program_id=program.id,
            received_on=received,
            source=rng.choice(["Pain clinic physician", "NAV", "Self", "GP"]),
            decision="accepted",
            client_id=client.id,
            person_name=name,
        )
    )
    day = entry + timedelta(days=rng.randint(0, 5))
    while day <= today:
        purpose = rng.choice(["engagement", "job_search", "follow_along", "disclosure", "job_search"])
        mode = rng.choice(["face_to_face", "face_to_face", "phone", "video"])
        location = rng.choice(["community", "office", "workplace"]) if mode == "face_to_face" else "remote"
        session.add(
            ClientContact(
                ref=next_ref(session, ClientContact),
                client_id=client.id,
                staff_id=specialist.id,
                contact_date=day,
                mode=mode,
                location=location,
                minutes=rng.choice([20, 30, 45, 60]),
                purpose=purpose,
            )
        )
        day += timedelta(days=rng.randint(4, 16))
    first_employer_contact = entry + timedelta(days=rng.randint(3, 45))
    if first_employer_contact <= today:
        ec = EmployerContact(
            ref=next_ref(session, EmployerContact),
            contact_date=first_employer_contact,
            specialist_id=specialist.id,
            employer_id=rng.choice(employers).id,
            mode="face_to_face",
            job_type=prefs[0],
            minutes=40,
            purpose="Introduce the candidate",
            outcome="Follow up next week",
        )
        ec.clients = [client]
        session.add(ec)
    if (today - entry).days > 35:
        session.add(
            BenefitsSession(
                ref=next_ref(session, BenefitsSession),
                client_id=client.id,
                session_date=entry + timedelta(days=rng.randint(5, 30)),
                kind="initial",
                planner_name="NAV benefits planner",
                trained_planner=rng.random() < 0.5,
                notes="Work allowance and part-time income",
            )
        )
    if (today - entry).days > 60 and rng.random() < 0.55:
        start = entry + timedelta(days=rng.randint(40, min(300, (today - entry).days)))
        ended = rng.random() < 0.25 and (today - start).days > 30
        session.add(
            Job(
                ref=next_ref(session, Job),
                client_id=client.id,
                employer_id=rng.choice(employers).id,
                title=JOB_TYPES[prefs[0]],
                job_type=prefs[0],
                start_date=start,
                end_date=start + timedelta(days=rng.randint(20, (today - start).days)) if ended else None,
                end_reason="quit_new_job" if ended else None,
                hours_per_week=Decimal(rng.choice(["10", "15", "20", "25", "37.5"])),
                hourly_wage=Decimal(rng.choice(["195.00", "210.50", "240.00"])),
                open_to_anyone=True,
                min_wage_or_above=True,
                paid_by_employer=True,
                integrated_setting=True,
                set_aside=False,
                time_limited=rng.random() < 0.1,
            )
        )
    session.add(
        OutcomeMeasure(
            ref=next_ref(session, OutcomeMeasure),
            client_id=client.id,
            measured_on=entry,
            timepoint="baseline",
            eq_vas=rng.randint(20, 80),
            pain_nrs=rng.randint(3, 9),
            **{f"odi_{i}": rng.randint(0, 5) for i in range(1, 11)},
        )
    )
    if (today - entry).days > 182:
        session.add(
            OutcomeMeasure(
                ref=next_ref(session, OutcomeMeasure),
                client_id=client.id,
                measured_on=entry + timedelta(days=185),
                timepoint="6m",
                eq_vas=rng.randint(30, 90),
                pain_nrs=rng.randint(2, 8),
                **{f"odi_{i}": rng.randint(0, 4) for i in range(1, 11)},
            )
        )
    if rng.random() < 0.1 and (today - entry).days > 200:
        client.closed_on = today - timedelta(days=rng.randint(1, 30))
        client.closure_reason = rng.choice(["moved", "no_longer_wants_work"])


def _employer_log(session, rng, today, specialist, employers) -> None:
    for days_back in range(0, 120, 2):
        if rng.random() < 0.7:
            session.add(
                EmployerContact(
                    ref=next_ref(session, EmployerContact),
                    contact_date=today - timedelta(days=days_back),
                    specialist_id=specialist.id,
                    employer_id=rng.choice(employers).id,
                    mode=rng.choice(["face_to_face", "face_to_face", "phone", "email"]),
                    minutes=rng.choice([15, 30, 45]),
                    purpose="Get to know the employer's needs",
                    outcome=rng.choice(["Interested", "No openings now", "Call back in a month"]),
                )
            )
