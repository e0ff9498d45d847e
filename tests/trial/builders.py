"""Test data for the trial: a trial set up with its seed, screened and enrolled people."""

from __future__ import annotations

from datetime import date

from caseload.trial import services
from caseload.trial.models import Participant, Trial
from caseload.trial.services import ArmSpec, Contact, FactorSpec
from tests import factories

ELIGIBILITY = (("age", "Age 18–65"), ("chronic_pain", "Chronic pain ≥ 3 months"), ("consent", "Consent"))
ARMS = (
    ArmSpec("ips", "IPS + treatment as usual", 2, refers_to_caseload=True),
    ArmSpec("tau", "Treatment as usual", 1),
)


def trial(session, *, prog=None, seed: bytes = b"test seed", factors=True, user=None, arms=ARMS) -> Trial:
    """A 2:1 trial (ips refers to the caseload), stratified by status unless ``factors`` is False."""
    prog = prog or factories.program(session)
    user = user or factories.user(session, role="statistician", prog=prog)
    specs = (
        [FactorSpec("status", "Work status", (("sick_leave", "Sick leave"), ("other", "Other")))]
        if factors
        else []
    )
    t = services.trial_create(
        session,
        program_id=prog.id,
        name="IPS in Pain",
        registration_id="NCT02697656",
        target_enrolment=60,
        arms=arms,
        eligibility=ELIGIBILITY,
        factors=specs,
        user_id=user.id,
    )
    services.allocation_seed_set(session, trial=t, user_id=user.id, seed=seed)
    return t


def enrol(
    session, t: Trial, *, user, on: date = date(2026, 1, 5), name: str = "Kari Nordmann", level="sick_leave"
):
    """Screen an eligible, consenting person and enrol (randomise) them."""
    screening = services.screening_record(
        session,
        trial=t,
        screened_on=on,
        person_name=name,
        criteria_met=[c for c, _ in ELIGIBILITY],
        consent_on=on,
        exclusion_reasons=[],
        exclusion_note=None,
        user_id=user.id,
    )
    levels = {"status": level} if t.factors else {}
    return services.participant_enrol(
        session,
        trial=t,
        screening=screening,
        contact=Contact(name=name, phone="+47 400 00 000"),
        levels=levels,
        enrolled_on=on,
        user_id=user.id,
    )


def arm_of(p: Participant) -> str:
    assert p.allocation is not None
    return p.allocation.arm.code


def assess(session, p: Participant, *, user, timepoint: str = "baseline"):
    """A done assessment at ``timepoint`` (on the enrolment day)."""
    values = services.AssessmentValues(done_on=p.enrolled_on, mode="in_person", eq_vas=50, pain_nrs=5)
    return services.assessment_record(
        session, participant=p, timepoint=timepoint, values=values, user_id=user.id
    )
