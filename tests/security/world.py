"""A world for the route matrix: two programmes, one client with every kind of record, and people
in and out of its scope. Free-text fields hold canaries: unique words whose appearance in an answer
shows which data reached whom.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from caseload.clients.models import CareerProfile, ClientNote, JobSearchPlan, JobSearchStep
from caseload.db import next_ref
from caseload.employers.models import EmployerPerson
from caseload.exchange.export import bundle_export
from caseload.exchange.models import ImportJob
from caseload.fidelity.queries import fidelity_result
from caseload.fidelity.services import review_start
from caseload.jobs.models import JobHours
from caseload.prompts.models import Prompt
from tests import factories

# Canaries by kind of data; each is a word no page prints by itself.
NAME = "Zebulonia Canarysdottir"
OTHER_NAME = "Quixotia Outsidersen"
REFERRED = "Referrina Pendingsen"  # a referred person, not a client yet (specialists of the programme see it)
CONTACT_NOTE = "CanaryContactNote"
BENEFITS_NOTE = "CanaryBenefitsNote"
EMPLOYER_CONTACT = "CanaryEmployerContact"
EMPLOYER_PERSON = "CanaryEmployerPerson"
EMPLOYER_PHONE = "+47 99 88 77 66"
PROFILE = "CanaryProfileHealth"
CLIENT_NOTE = "CanaryClinicianNote"
PLAN = "CanaryPlanGoal"

# The trial: its arms' codes and labels, and a participant of the IPS arm who is client C.
ARM_CODES = ("canaryips", "canarytau")
ARM_LABELS = ("CanaryArmSupported", "CanaryArmUsual")
PARTICIPANT = "Particia Trialsen"

CLIENT_TEXT = (NAME, CONTACT_NOTE, BENEFITS_NOTE, PROFILE, CLIENT_NOTE, PLAN)
CLINICIAN_NEVER = (BENEFITS_NOTE, EMPLOYER_CONTACT, EMPLOYER_PERSON, EMPLOYER_PHONE)
ALL_CANARIES = (*CLIENT_TEXT, EMPLOYER_CONTACT, EMPLOYER_PERSON, EMPLOYER_PHONE, OTHER_NAME)


@dataclass
class World:
    people: dict  # role label -> User
    objects: dict = field(default_factory=dict)  # kind -> record
    ids: dict = field(default_factory=dict)  # plain values for URLs (no lazy loads later)


def build(session) -> World:
    """Programme A with client C (held by 'owner', team A1) and every record; programme B apart."""
    prog_a, prog_b = factories.program(session, "Programme A"), factories.program(session, "Programme B")
    team_a1, team_a2 = factories.team(session, prog_a, "A1"), factories.team(session, prog_a, "A2")
    team_b = factories.team(session, prog_b, "B1")
    mk = factories.user
    people = {
        "owner": mk(session, "specialist", prog_a, teams=[team_a1]),
        "colleague": mk(session, "specialist", prog_a, teams=[team_a1]),
        "supervisor": mk(session, "supervisor", prog_a),
        "clinician": mk(session, "clinician", prog_a, teams=[team_a1]),
        "clinician_other_team": mk(session, "clinician", prog_a, teams=[team_a2]),
        "admin": mk(session, "admin", prog_a),
        "specialist_b": mk(session, "specialist", prog_b, teams=[team_b]),
        "supervisor_b": mk(session, "supervisor", prog_b),
        "trial_manager": mk(session, "trial_manager", prog_a),
        "assessor": mk(session, "assessor", prog_a),
        "statistician": mk(session, "statistician", prog_a),
    }
    w = World(people=people)
    _records(session, w, prog_a, team_a1)
    other = factories.client(session, people["specialist_b"], team_obj=team_b, name=OTHER_NAME)
    session.flush()
    w.ids.update(
        program=prog_a.ref,
        program_b=prog_b.ref,
        team=team_a1.ref,
        other_client=other.ref,
        monday=(date.today() - timedelta(days=date.today().weekday())).isoformat(),
        quarter=f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}",
        person_ids={k: u.id for k, u in people.items()},
        feed_token=people["owner"].feed_token,
        owner_name=people["owner"].name,
    )
    return w


def _records(session, w: World, prog, team) -> None:
    owner, today = w.people["owner"], date.today()
    c = factories.client(session, owner, team_obj=team, name=NAME, birth_date=date(1980, 5, 17))
    employer = factories.employer(session, "Canary Employer AS")
    person = EmployerPerson(
        employer_id=employer.id, name=EMPLOYER_PERSON, phone=EMPLOYER_PHONE, email="boss@canary.test"
    )
    plan = JobSearchPlan(client_id=c.id, goal=PLAN, target_employers=PLAN)
    session.add_all([person, plan, CareerProfile(client_id=c.id, health_considerations=PROFILE)])
    session.flush()
    step = JobSearchStep(plan_id=plan.id, description=PLAN, owner="client", due_date=today)
    note = ClientNote(
        ref=next_ref(session, ClientNote),
        client_id=c.id,
        author_id=w.people["clinician"].id,
        noted_on=today,
        text=CLIENT_NOTE,
    )
    review = review_start(
        session,
        program=prog,
        review_date=today,
        reviewers=None,
        result=fidelity_result(session, prog, today),
        user_id=w.people["supervisor"].id,
    )
    prompt = Prompt(
        program_id=prog.id,
        rule="engagement_gap",
        subject_key=c.ref,
        due_on=today,
        client_id=c.id,
        assignee_id=owner.id,
    )
    import_job = ImportJob(
        user_id=w.people["supervisor"].id, state="done", outcome='{"created": 1, "updated": 0}'
    )
    session.add_all([step, note, review, prompt, import_job])
    start = today - timedelta(days=20)
    w.objects.update(
        client=c,
        employer=employer,
        employer_person=person,
        step=step,
        review=review,
        prompt=prompt,
        import_job=import_job,
        referral=factories.referral(
            session, prog, person_name=REFERRED, received_on=today - timedelta(days=2)
        ),
        job=factories.job(session, c, start=start, employer_obj=employer),
        contact=factories.contact(session, c, owner, on=start, notes=CONTACT_NOTE),
        benefits=factories.benefits_session(session, c, on=start - timedelta(days=3), notes=BENEFITS_NOTE),
        employer_contact=factories.employer_contact(
            session,
            owner,
            on=start - timedelta(days=9),
            clients=[c],
            employer_obj=employer,
            purpose=EMPLOYER_CONTACT,
            outcome=EMPLOYER_CONTACT,
            next_step=EMPLOYER_CONTACT,
        ),
        measure=factories.measure(session, c, on=start),
    )
    session.flush()
    w.ids.update({k: getattr(o, "ref", None) or o.id for k, o in w.objects.items()})
    w.ids["client_id"] = c.id
    since = start + timedelta(days=5)
    session.add(JobHours(job_id=w.objects["job"].id, effective_from=since, hours_per_week=Decimal("30")))
    w.ids["hours_since"] = since.isoformat()
    _trial(session, w, prog)


def _trial(session, w: World, prog) -> None:
    """A trial of programme A whose one participant, in the IPS arm, is client C."""
    from caseload.trial import services as trial_services

    manager = w.people["trial_manager"]
    trial = trial_services.trial_create(
        session,
        program_id=prog.id,
        name="Canary trial",
        registration_id=None,
        target_enrolment=10,
        arms=(
            trial_services.ArmSpec(ARM_CODES[0], ARM_LABELS[0], 1, refers_to_caseload=True),
            trial_services.ArmSpec(ARM_CODES[1], ARM_LABELS[1], 1),
        ),
        eligibility=(("age", "Age"),),
        user_id=manager.id,
    )
    trial_services.allocation_list_set(
        session,
        trial=trial,
        text=f"stratum,sequence,arm\n,1,{ARM_CODES[0]}\n",
        user_id=w.people["statistician"].id,
    )
    on = date.today() - timedelta(days=190)
    screening = trial_services.screening_record(
        session,
        trial=trial,
        screened_on=on,
        person_name=PARTICIPANT,
        criteria_met=["age"],
        consent_on=on,
        exclusion_reasons=[],
        exclusion_note=None,
        user_id=manager.id,
    )
    participant = trial_services.participant_enrol(
        session,
        trial=trial,
        screening=screening,
        contact=trial_services.Contact(name=PARTICIPANT, phone="+47 400 00 001"),
        levels={},
        enrolled_on=on,
        user_id=manager.id,
    )
    assert participant.referral is not None
    participant.referral.decision, participant.referral.client_id = "accepted", w.objects["client"].id
    session.flush()
    w.ids.update(
        trial=trial.ref,
        participant=participant.ref,
        screening=screening.ref,
        allocation=participant.allocation.id,
        trial_referral=participant.referral.ref,
    )


# How to fill each URL parameter: (rule prefix, argument) first, then the argument alone.
BY_PREFIX = {
    ("/clients/", "ref"): "client",
    ("/employers/contacts/", "ref"): "employer_contact",
    ("/employers/", "ref"): "employer",
    ("/programs/", "ref"): "program",
    ("/fidelity/programs/", "ref"): "program",
    ("/fidelity/reviews/", "ref"): "review",
    ("/reports/fidelity/reviews/", "ref"): "review",
    ("/referrals/", "ref"): "referral",
    ("/admin/teams/", "ref"): "team",
    ("/trial/", "ref"): "trial",
    ("/assess/", "ref"): "participant",
    ("/auth/set-password/", "token"): "feed_token",  # not a link's token: the page refuses it
}
BY_ARG = {
    "client_ref": "client",
    "program_ref": "program",
    "job_ref": "job",
    "contact_ref": "contact",
    "session_ref": "benefits",
    "benefits_ref": "benefits",
    "mref": "measure",
    "step_id": "step",
    "person_id": "employer_person",
    "prompt_id": "prompt",
    "job_id": "import_job",
    "monday": "monday",
    "quarter": "quarter",
    "token": "feed_token",
    "participant": "participant",
    "screening": "screening",
    "allocation_id": "allocation",
    "record_ref": "contact",
    "ec_ref": "employer_contact",
    "referral_ref": "referral",
    "since": "hours_since",
}
CONSTANTS = {
    ("/fidelity/", "key"): "V4",
    ("/fidelity/", "kind"): "team",
    ("/assess/", "timepoint"): "6m",
    ("/trial/", "name"): "trial.dta",  # the analysis export's file
}


def value_for(rule, arg: str, w: World):
    """The world's value for one URL parameter of a rule."""
    for (prefix, name), value in CONSTANTS.items():
        if name == arg and rule.rule.startswith(prefix):
            return value
    if arg == "key" and rule.rule.startswith("/programs/"):
        from caseload.outcomes.quarterly import COUNT_KEYS

        return COUNT_KEYS[0]
    if arg == "user_id":
        return w.ids["person_ids"]["owner"]
    prefixes = sorted((p for p in BY_PREFIX if p[1] == arg and rule.rule.startswith(p[0])), key=len)
    kind = BY_PREFIX[max(prefixes, key=lambda p: len(p[0]))] if prefixes else BY_ARG.get(arg)
    if kind is None:
        raise LookupError(f"{rule.rule}: say how to fill <{arg}> in tests/security/world.py")
    return w.ids[kind]


def url_for_rule(rule, w: World) -> str:
    """The rule's URL filled with the world's objects (a client route gets client C's records)."""
    values = {arg: value_for(rule, arg, w) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def canaries_in(body: str, canaries=ALL_CANARIES) -> list[str]:
    """Which canaries appear in a response body (HTML-escaped or not)."""
    plain = re.sub(r"&#?\w+;", " ", body)
    return [c for c in canaries if c in body or c in plain]


def bundles(session) -> dict[str, bytes]:
    """Bundles to upload: the whole world as exported (every client's canaries), and the same with
    the client's name in a date column, so that a check's problem line would quote it."""
    buffer = io.BytesIO()
    bundle_export(session, dest=buffer)
    full = buffer.getvalue()
    return {"full": full, "broken": _with_cell(full, "clients.csv", "birth_date", NAME)}


def _with_cell(bundle: bytes, name: str, column: str, value: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bundle)) as src, zipfile.ZipFile(out, "w") as dest:
        for member in src.namelist():
            data = src.read(member)
            if member == name:
                rows = list(csv.reader(io.StringIO(data.decode())))
                k = rows[0].index(column)
                for row in rows[1:]:
                    row[k] = value
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(rows)
                data = text.getvalue().encode()
            dest.writestr(member, data)
    return out.getvalue()
