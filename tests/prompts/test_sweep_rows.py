"""The sweep's narrowed load gives the instances of the full load, and a constant number of queries.

The sweep loads only the clients active on t and their records within the rules' look-back
(``caseload.prompts.loading.sweep_data``); the reference is every record of the programme
(``tests.reference_rows.program_data``). Compared: every instance the sweep acts on — due in
``[t − 30, t + 7]`` (fidelity_review: any time before) or, for a client with a live prompt due
before t − 30, due on or after that prompt.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from caseload.clients.models import Client
from caseload.prompts.loading import sweep_data
from caseload.prompts.models import Prompt
from caseload.prompts.rules import Instance, SweepWindow, derive_prompts, in_window
from caseload.prompts.sweep import SweepCounts, program_sweep, prompts_sweep
from caseload.rows import ProgramData, StaffRow, WeeklyReviewRow
from caseload.teams.models import Program
from tests.fidelity import builders as b
from tests.prompts.sample_db import store
from tests.reference_rows import program_data
from tests.sample_rows import sample_program_data

BASE = date(2024, 1, 1)
MODES = ("face_to_face", "face_to_face", "phone", "video", "message")
PURPOSES = ("engagement", "job_search", "follow_along", "follow_along", "outreach", "disclosure")


def history(seed: int, clients: int = 40) -> ProgramData:
    """Two years of a small programme: entries, closures, contacts, jobs, sessions, measures."""
    rnd = random.Random(seed)
    end = BASE + timedelta(days=730)
    data = ProgramData(program_ref=f"P-{seed}")
    spec, other, employer = f"spec{seed}@example.test", f"other{seed}@example.test", f"E-{seed}"
    data.staff = [
        StaffRow(spec, "specialist", Decimal("1.0"), True),
        StaffRow(other, "specialist", Decimal("0.5"), False),
        StaffRow(f"sup{seed}@example.test", "supervisor", Decimal("1.0"), True),
    ]
    for k in range(clients):
        entry = BASE + timedelta(days=rnd.randrange(0, 700))
        closed = entry + timedelta(days=rnd.randrange(20, 500)) if rnd.random() < 0.5 else None
        started = entry + timedelta(days=rnd.randrange(0, 30)) if rnd.random() < 0.6 else None
        c = b.client(
            f"C-{seed}-{k:04d}",
            entry,
            rnd.choice((spec, other)),
            treatment_team_ref=None,
            closed_on=closed,
            closure_reason="other" if closed else None,
            profile_started_on=started,
        )
        data.clients.append(c)
        last = min(closed or end, end)
        day = entry + timedelta(days=rnd.randrange(0, 10))
        while day <= last:
            data.client_contacts.append(
                b.client_contact(
                    c.ref, day, staff_email=spec, mode=rnd.choice(MODES), purpose=rnd.choice(PURPOSES)
                )
            )
            day += timedelta(days=rnd.choice((1, 3, 7, 7, 10, 14, 20, 30)))
        for _ in range(rnd.randrange(0, 4)):
            day = entry + timedelta(days=rnd.randrange(-10, 60))
            mode = rnd.choice(("face_to_face", "phone"))
            data.employer_contacts.append(
                b.employer_contact(day, specialist=spec, clients=(c.ref,), mode=mode, employer=employer)
            )
        start = entry + timedelta(days=rnd.randrange(-30, 200))
        for _ in range(rnd.randrange(0, 3)):
            stop = start + timedelta(days=rnd.randrange(0, 300)) if rnd.random() < 0.6 else None
            data.jobs.append(b.job(c.ref, start, end=stop, employer=employer, job_type=None))
            start = (stop or start) + timedelta(days=rnd.randrange(5, 90))
        for _ in range(rnd.randrange(0, 3)):
            day = entry + timedelta(days=rnd.randrange(-20, 300))
            data.benefits_sessions.append(b.benefits(c.ref, day))
        for timepoint, offset in (("baseline", 0), ("6m", 182), ("12m", 365)):
            if rnd.random() < 0.6:
                day = entry + timedelta(days=offset + rnd.randrange(-5, 40))
                data.measures.append(b.measure(c.ref, day, timepoint))
    week = BASE - timedelta(days=BASE.weekday())
    while week < end:
        if rnd.random() < 0.7:
            data.weekly_reviews.append(
                WeeklyReviewRow(spec, week, week + timedelta(days=rnd.randrange(7, 20)))
            )
        week += timedelta(days=7)
    return data


def acted_on(instances: list[Instance], t: date, since: date | None, stale: set[str]) -> dict:
    """The instances a sweep on t acts on, by key."""
    w = SweepWindow.of(t)
    return {
        i.key: i
        for i in instances
        if in_window(i, w) or (since is not None and i.client_ref in stale and i.due_on >= since)
    }


def compare(session, program: Program, t: date, since: date | None = None, stale: frozenset = frozenset()):
    full = acted_on(derive_prompts(program_data(session, program), t, since=since), t, since, stale)
    narrow = sweep_data(session, program, t, since)
    assert acted_on(derive_prompts(narrow.data, t, since=since), t, since, stale) == full
    return full


@pytest.fixture
def world(db):
    program = store(db.session, history(7))
    db.session.commit()
    return program


def test_the_narrowed_load_gives_the_full_loads_instances_every_two_weeks_for_two_years(db, world):
    seen = 0
    for k in range(53):
        seen += len(compare(db.session, world, BASE + timedelta(days=14 * k)))
    assert seen > 1000  # the history is rich enough to mean something


def test_the_narrowed_load_gives_the_full_loads_instances_for_clients_with_old_live_prompts(db, world):
    t = BASE + timedelta(days=400)
    since = t - timedelta(days=250)
    refs = sorted(db.session.scalars(select(Client.ref).where(Client.program_id == world.id)))[:15]
    for ref in refs:
        client = db.session.scalar(select(Client).where(Client.ref == ref))
        db.session.add(
            Prompt(program_id=world.id, rule="disclosure", subject_key=ref, due_on=since, client_id=client.id)
        )
    db.session.flush()
    old = compare(db.session, world, t, since, frozenset(refs))
    assert any(i.due_on < t - timedelta(days=30) for i in old.values())


def test_the_narrowed_load_gives_the_full_loads_instances_on_the_sample_bundle(db):
    program = store(db.session, sample_program_data())
    db.session.commit()
    for day in range(0, 120, 3):
        compare(db.session, program, date(2025, 1, 1) + timedelta(days=day))


def _statements(db, program: Program, t: date) -> int:
    """The statements of a sweep of ``program`` on ``t`` (after it, committed)."""
    n = 0

    def count(*_args) -> None:
        nonlocal n
        n += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        program_sweep(db.session, program, t, SweepCounts())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.commit()
    return n


def test_a_sweep_sends_as_many_statements_for_5_clients_as_for_60(db):
    t = BASE + timedelta(days=500)
    small, large = store(db.session, history(1, clients=5)), store(db.session, history(2, clients=60))
    db.session.commit()
    prompts_sweep(db.session, now=datetime.combine(t, time(10), UTC))  # creates, closes
    db.session.commit()
    assert _statements(db, small, t) == _statements(db, large, t)


@pytest.mark.parametrize("seed", range(6))
def test_rules_that_skip_blocks_outside_the_window_derive_what_the_whole_history_gives(seed):
    """outreach and the follow-along rules skip instances due outside the sweep's window
    (``SweepWindow.covers``): over generated histories, on many days, what ``derive_prompts`` keeps
    equals the instances the rules derive over an unbounded window, cut to the sweep's."""
    from caseload.prompts.rules import rule_instances, unique

    data = history(seed)
    for t in (BASE + timedelta(days=d) for d in range(30, 760, 37)):
        w = SweepWindow.of(t)
        everything = SweepWindow(t, date(1900, 1, 1))  # covers every due date up to t + 7
        reference = unique(i for i in rule_instances(data, everything) if in_window(i, w))
        assert derive_prompts(data, t) == reference
        since = t - timedelta(days=120)  # a widened window, as the sweep asks with an old open prompt
        wide = SweepWindow(t, since)
        assert derive_prompts(data, t, since=since) == unique(
            i for i in rule_instances(data, everything) if in_window(i, wide)
        )
