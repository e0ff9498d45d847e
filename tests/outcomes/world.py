"""A small programme in the database for the outcome pages, exports and commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload.clients.models import Client
from caseload.employers.models import EmployerPerson
from tests import factories

BENEFITS_NOTE = "BENEFITS-NOTE-do-not-show"
EMPLOYER_PHONE = "+47 99 88 77 66"
EMPLOYER_PERSON = "Hilde Kontaktperson"


@dataclass
class World:
    program: object
    supervisor: object
    specialist: object
    clinician: object
    team: object
    other_team: object
    working: Client  # in the clinician's team, in a job during 2025Q1
    searching: Client  # in the clinician's team, no job
    elsewhere: Client  # another team: out of the clinician's scope


def build(session) -> World:
    """Three clients in 2025Q1: one working, one searching, one in another team; notes to hide."""
    prog = factories.program(session)
    team, other = factories.team(session, prog, "Pain clinic A"), factories.team(session, prog, "B")
    sup = factories.user(session, role="supervisor", prog=prog)
    spec = factories.user(session, role="specialist", prog=prog)
    clin = factories.user(session, role="clinician", prog=prog, teams=[team])
    working = factories.client(session, spec, entry=date(2024, 11, 4), team_obj=team, name="Kari Arbeid")
    searching = factories.client(session, spec, entry=date(2025, 2, 3), team_obj=team, name="Per Søker")
    elsewhere = factories.client(session, spec, entry=date(2025, 1, 6), team_obj=other, name="Liv Annet")
    employer = factories.employer(session, "Bakeriet AS")
    session.add(
        EmployerPerson(
            employer_id=employer.id, name=EMPLOYER_PERSON, phone=EMPLOYER_PHONE, email="h@b.example"
        )
    )
    factories.job(session, working, start=date(2025, 1, 13), employer_obj=employer, title="Baker assistant")
    factories.benefits_session(session, working, on=date(2025, 1, 8), notes=BENEFITS_NOTE)
    factories.employer_contact(
        session, spec, on=date(2024, 12, 2), clients=[working], employer_obj=employer, outcome=EMPLOYER_PHONE
    )
    factories.referral(session, prog, received_on=date(2025, 1, 20), decision="accepted")
    session.commit()
    return World(prog, sup, spec, clin, team, other, working, searching, elsewhere)
