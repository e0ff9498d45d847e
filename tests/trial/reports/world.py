"""A trial in the database at a known stage, through the trial's own services."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from caseload.trial import services
from caseload.trial.services import AssessmentValues
from tests import factories
from tests.trial import builders

START = date(2024, 1, 8)


def trial_world(session, *, people: int = 24, seed: int = 3):
    """A 2:1 trial with ``people`` enrolled a week apart, assessed at baseline, 6 and 12 months
    (some not reached, some never assessed), two screened people excluded; returns (trial,
    program, statistician, manager)."""
    rnd = random.Random(seed)
    prog = factories.program(session)
    statistician = factories.user(session, role="statistician", prog=prog)
    manager = factories.user(session, role="trial_manager", prog=prog)
    assessor = factories.user(session, role="assessor", prog=prog)
    trial = builders.trial(session, prog=prog, user=statistician, factors=False)
    for i in range(people):
        on = START + timedelta(days=7 * i)
        p = builders.enrol(session, trial, user=manager, on=on, name=f"Person {i}")
        for timepoint, days in (("baseline", 0), ("6m", 182), ("12m", 365)):
            roll = rnd.random()
            if roll < 0.1:
                continue
            if roll < 0.2:
                values = AssessmentValues(not_done_reason="not_reached")
            else:
                employed = timepoint != "baseline" and rnd.random() < 0.5
                values = AssessmentValues(
                    done_on=on + timedelta(days=days + rnd.randint(-5, 5)),
                    mode="telephone",
                    odi=tuple(rnd.randint(0, 5) for _ in range(10)),
                    eq_vas=rnd.randint(0, 100),
                    pain_nrs=rnd.randint(0, 10),
                    competitive_job=employed and rnd.random() < 0.5,
                    any_competitive_job=employed if timepoint != "baseline" else None,
                    weeks_worked=rnd.randint(1, 20) if employed else (0 if timepoint != "baseline" else None),
                    days_worked=rnd.randint(1, 90) if employed else (0 if timepoint != "baseline" else None),
                    hours_worked=Decimal(rnd.randint(10, 600)) / 2 if employed else None,
                )
            services.assessment_record(
                session, participant=p, timepoint=timepoint, values=values, user_id=assessor.id
            )
    for reason in ("not_eligible", "declined"):
        services.screening_record(
            session,
            trial=trial,
            screened_on=START,
            person_name="Excluded",
            criteria_met=[] if reason == "not_eligible" else [c for c, _ in builders.ELIGIBILITY],
            consent_on=None,
            exclusion_reasons=[reason],
            exclusion_note=None,
            user_id=manager.id,
        )
    return trial, prog, statistician, manager
