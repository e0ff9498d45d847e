"""The demo's trial: 65 participants in 2:1 allocation at every stage of follow-up, with the
trial manager's, the assessor's and the statistician's logins."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.services import referral_accept
from caseload.db import utcnow
from caseload.metrics.trial import ELIGIBILITY_ITEMS, TRIAL_TIMEPOINTS, assessment_due
from caseload.teams.models import Program
from caseload.trial import services
from caseload.trial.services import ArmSpec, AssessmentValues, Contact, FactorSpec

PARTICIPANTS = 65
EXCLUDED = 24
ELIGIBILITY = (
    ("age", "Age 18–65"),
    ("chronic_pain", "Chronic pain for 3 months or more"),
    ("work_status", "On sick leave, on disability benefits or unemployed"),
    ("wants_work", "Wants to work"),
    ("consent", "Gives informed consent"),
)


def seed_trial(
    session: Session,
    rng: random.Random,
    today: date,
    *,
    program: Program,
    people: dict[str, User],
    specialists: list[User],
    names: list[str],
) -> None:
    """``people``: the trial_manager, assessor and statistician; IPS-arm referrals of people
    enrolled a while ago are accepted onto ``specialists``' caseloads."""
    manager, assessor, statistician = people["trial_manager"], people["assessor"], people["statistician"]
    trial = services.trial_create(
        session,
        program_id=program.id,
        name="IPS in Pain (demo)",
        registration_id="NCT02697656",
        target_enrolment=90,
        arms=(
            ArmSpec("ips", "IPS + treatment as usual", 2, refers_to_caseload=True),
            ArmSpec("tau", "Treatment as usual", 1),
        ),
        eligibility=[e for e in ELIGIBILITY if e[0] in ELIGIBILITY_ITEMS],
        factors=[FactorSpec("status", "Work status", (("sick_leave", "On sick leave"), ("other", "Other")))],
        user_id=manager.id,
    )
    services.allocation_seed_set(session, trial=trial, user_id=statistician.id, seed=rng.randbytes(32))
    days = sorted(rng.randint(0, 800) for _ in range(PARTICIPANTS + EXCLUDED))
    enrol_at = set(rng.sample(range(len(days)), PARTICIPANTS))
    for i, back in enumerate(reversed(days)):
        on = today - timedelta(days=back)
        name = names[i % len(names)]
        if i not in enrol_at:
            _excluded(session, rng, trial, on, manager)
            continue
        s = services.screening_record(
            session,
            trial=trial,
            screened_on=on,
            person_name=name,
            criteria_met=[c for c, _ in ELIGIBILITY],
            consent_on=on,
            exclusion_reasons=[],
            exclusion_note=None,
            user_id=manager.id,
        )
        p = services.participant_enrol(
            session,
            trial=trial,
            screening=s,
            contact=Contact(name=name, phone=f"+47 4{rng.randint(1000000, 9999999)}"),
            levels={"status": rng.choice(["sick_leave", "sick_leave", "other"])},
            enrolled_on=on,
            user_id=manager.id,
        )
        if p.referral is not None and back > 14:
            specialist = specialists[i % len(specialists)]
            client = referral_accept(
                session,
                referral=p.referral,
                name=name,
                specialist=specialist,
                team_id=None,
                entry_date=on + timedelta(days=7),
                status_at_entry="sick_leave",
                birth_date=None,
                user_id=specialist.id,
            )
            services.client_arm_fill(session, client.id, utcnow())
        _follow_up(session, rng, p, today, assessor)
        if rng.random() < 0.05 and back > 60:
            services.participant_withdraw(
                session,
                participant=p,
                withdrawn_on=on + timedelta(days=rng.randint(10, back)),
                reason="No longer wishes to take part",
                data_may_be_kept=True,
                user_id=manager.id,
                version=p.version,
            )


def _excluded(session, rng, trial, on, manager) -> None:
    declined = rng.random() < 0.3
    met = [c for c, _ in ELIGIBILITY] if declined else rng.sample([c for c, _ in ELIGIBILITY], 3)
    if not declined and len(met) == len(ELIGIBILITY):
        met = met[:-1]
    services.screening_record(
        session,
        trial=trial,
        screened_on=on,
        person_name=None,
        criteria_met=met,
        consent_on=None,
        exclusion_reasons=["declined"] if declined else [],
        exclusion_note=None,
        user_id=manager.id,
    )


def _follow_up(session, rng, p, today, assessor) -> None:
    """Assessments of every timepoint whose window has closed (most done), and half the due ones."""
    for tp in TRIAL_TIMEPOINTS:
        due = assessment_due(p.enrolled_on, tp)
        state = due.state(today)
        if state == "upcoming" or (state == "due" and rng.random() < 0.5):
            continue
        if tp != "baseline" and rng.random() < 0.12:
            values = AssessmentValues(not_done_reason=rng.choice(["not_reached", "declined"]))
        else:
            values = _answers(rng, min(due.target + timedelta(days=rng.randint(-10, 10)), today), tp)
        services.assessment_record(session, participant=p, timepoint=tp, values=values, user_id=assessor.id)


def _answers(rng, on, tp) -> AssessmentValues:
    working = tp != "baseline" and rng.random() < 0.35
    worked = working or (tp != "baseline" and rng.random() < 0.15)
    return AssessmentValues(
        done_on=on,
        mode="telephone" if tp == "24m" else rng.choice(["in_person", "questionnaire"]),
        odi=[rng.randint(0, 4) for _ in range(10)] if tp != "24m" else (None,) * 10,
        eq_vas=rng.randint(20, 85) if tp != "24m" else None,
        pain_nrs=rng.randint(2, 9) if tp != "24m" else None,
        competitive_job=working,
        hours_per_week=Decimal(rng.choice([10, 15, 20, 30, 37.5])) if working else None,
        sick_leave_pct=None if working else rng.choice([50, 100]),
        benefits=["work_assessment_allowance"] if not working else ["none"],
        any_competitive_job=worked if tp != "baseline" else None,
        weeks_worked=rng.randint(2, 26) if worked else None,
        days_worked=rng.randint(8, 100) if worked else None,
        hours_worked=Decimal(rng.randint(40, 600)) if worked else None,
    )
