"""The trial's pages send the same number of SQL statements whatever the number of participants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from caseload.prompts.models import Prompt
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.perf.test_constant_queries import statements
from tests.trial import builders


def _trial_of(db, n: int, name: str):
    prog = factories.program(db.session, name=name)
    people = {
        r: factories.user(db.session, role=r, prog=prog)
        for r in ("trial_manager", "assessor", "statistician")
    }
    t = builders.trial(db.session, prog=prog, user=people["statistician"])
    for i in range(n):
        p = builders.enrol(
            db.session,
            t,
            user=people["trial_manager"],
            on=date(2026, 1, 5) + timedelta(days=i),
            name=f"P {i}",
        )
        builders.assess(db.session, p, user=people["assessor"])
    return t.ref, {r: u.id for r, u in people.items()}


def test_trial_pages_send_the_same_statements_for_3_and_30_participants(db, client, login_as):
    small, small_people = _trial_of(db, 3, "Small")
    large, large_people = _trial_of(db, 30, "Large")
    db.session.commit()
    prompts_sweep(db.session, now=datetime(2026, 7, 20, 11, tzinfo=UTC))  # the 6-month prompts
    db.session.commit()
    pages = (
        ("trial_manager", "/trial/{t}"),
        ("statistician", "/trial/{t}/allocation"),
        ("assessor", "/assess/"),
        ("assessor", "/prompts/"),
    )
    for role, path in pages:
        counts = [
            statements(db, client, login_as, people[role], path.format(t=ref))
            for ref, people in ((small, small_people), (large, large_people))
        ]
        assert counts[0] == counts[1], (path, counts)
    assert db.session.scalar(select(func.count()).where(Prompt.participant_ref.is_not(None))) == 33
