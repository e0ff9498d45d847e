"""The region demo's jobs, hours changes, benefits sessions, outcome measures and plans."""

from __future__ import annotations

import math
import random
from datetime import date
from decimal import Decimal

from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, JobSearchPlan, JobSearchStep
from caseload.demo.bulk import BulkWriter
from caseload.demo.region_people import JOB_TYPES, stamp
from caseload.demo.region_people import as_date as _d
from caseload.jobs.models import Job, JobHours
from caseload.outcomes.models import OutcomeMeasure

HOURS = tuple(Decimal(h) for h in ("8", "10", "12", "15", "16", "20", "22.5", "25", "30", "37.5"))
END_REASONS = (
    ("quit_new_job", 20),
    ("quit_other_plan", 10),
    ("quit_no_plan", 15),
    ("fired", 12),
    ("laid_off", 10),
    ("temporary_ended", 23),
    ("mutual", 5),
    ("other", 5),
)
PLANNERS = ("NAV benefits planner", "Siri Planner", "Arne Benefits", "Hospital social worker")
STAMP_COLUMNS = ("created_at", "updated_at", "version")


def plan_jobs(rng: random.Random, people: list, today: int) -> None:
    """Decide every client's jobs (start, end or None, employer, code, hours); rows come later."""
    for p in people:
        last = p.last_day(today)
        if p.status in ("employed", "sick_leave") and rng.random() < 0.5:
            start = p.entry - rng.randint(60, 2000)
            end = max(p.entry + rng.randint(0, 200), start + int(rng.expovariate(1 / 500)))
            p.jobs.append(_job(rng, p, start, None if end >= today else end))
        if rng.random() < 0.12:
            continue
        t = p.entry + int(rng.lognormvariate(math.log(80), 0.8))
        while t <= last and len(p.jobs) < 8:
            end = t + 7 + int(rng.expovariate(1 / 140))
            p.jobs.append(_job(rng, p, t, None if end >= today else end))
            if end >= today or (p.end is not None and end >= p.end):
                break
            t = end + 1 + int(rng.lognormvariate(math.log(35), 0.7))


def _job(rng: random.Random, p, start: int, end: int | None) -> tuple:
    code = rng.choice(p.prefs) if rng.random() < 0.8 else None
    return (start, end, p.specialist.employer(rng), code, HOURS[rng.randrange(len(HOURS))])


def seed_records(w: BulkWriter, rng: random.Random, people: list, today: int) -> None:
    """Jobs, hours changes, benefits sessions, measures, career profiles and job search plans."""
    _jobs(w, rng, people, today)
    _benefits(w, rng, people, today)
    _measures(w, rng, people, today)
    _plans(w, rng, people, today)


def _jobs(w: BulkWriter, rng: random.Random, people: list, today: int) -> None:
    jobs = sorted(((job, p.id) for p in people for job in p.jobs), key=lambda j: (j[0][0], j[1]))
    first = w.next_id(Job)
    reasons = [r for r, n in END_REASONS for _ in range(n)]
    rows, hours = [], []
    for i, ((start, end, employer, code, per_week), client_id) in enumerate(jobs):
        jid = first + i
        title = JOB_TYPES[code] if code else rng.choice(("Assistant", "Helper", "Trainee", "Worker"))
        roll = rng.random()
        components = [True, True, True, True, False, False]
        if roll > 0.9:
            components[rng.choice((0, 1, 3, 4, 5, 5))] ^= True
        wage = Decimal(rng.randint(18_000, 32_000)) / 100
        rows.append(
            (jid, f"J-{jid:06d}", client_id, employer, title, code, date.fromordinal(start))
            + (_d(end), rng.choice(reasons) if end else None, per_week, wage, *components)
            + (rng.random() < 0.95, *_stamp(start, i))
        )
        length = (end or today) - start
        if length >= 90 and rng.random() < 0.12:
            changed = start + rng.randint(30, length - 1)
            hours.append((jid, date.fromordinal(changed), HOURS[rng.randrange(len(HOURS))], wage))
    cols: tuple[str, ...] = (
        "id",
        "ref",
        "client_id",
        "employer_id",
        "title",
        "job_type",
        "start_date",
        "end_date",
    )
    cols += ("end_reason", "hours_per_week", "hourly_wage", "open_to_anyone", "min_wage_or_above")
    cols += ("paid_by_employer", "integrated_setting", "set_aside", "time_limited", "found_with_ips")
    w.write(Job, cols + STAMP_COLUMNS, rows)
    w.write(JobHours, ("job_id", "effective_from", "hours_per_week", "hourly_wage"), hours)


def _benefits(w: BulkWriter, rng: random.Random, people: list, today: int) -> None:
    sessions = []
    for p in people:
        last = p.last_day(today)
        if rng.random() < 0.33:
            sessions.append((min(last, p.entry + rng.randint(3, 40)), p.id, "initial"))
        for start, *_ in p.jobs:
            if start >= p.entry and rng.random() < 0.22:
                sessions.append((max(p.entry, start - rng.randint(1, 14)), p.id, "before_job_start"))
            if rng.random() < 0.06 and start + 120 <= last:
                sessions.append((start + rng.randint(30, 120), p.id, "change_in_work"))
        if last - p.entry > 400 and rng.random() < 0.2:
            sessions.append((p.entry + rng.randint(360, 400), p.id, "annual"))
    sessions.sort()
    first = w.next_id(BenefitsSession)
    cols = ("id", "ref", "client_id", "session_date", "kind", "planner_name", "trained_planner", "notes")
    w.write(
        BenefitsSession,
        cols + STAMP_COLUMNS,
        (
            (first + i, f"BS-{first + i:06d}", cid, date.fromordinal(day), kind, rng.choice(PLANNERS))
            + (rng.random() < 0.55, None, *_stamp(day, i))
            for i, (day, cid, kind) in enumerate(sessions)
        ),
    )


def _measures(w: BulkWriter, rng: random.Random, people: list, today: int) -> None:
    rows = []
    for p in people:
        last = p.last_day(today)
        severity = rng.uniform(0.8, 3.6)
        plan = [("baseline", p.entry + rng.randint(-3, 10), 0.93), ("other", p.entry + 91, 0.35)]
        plan += [("6m", p.entry + 182, 0.9), ("12m", p.entry + 365, 0.85)]
        plan += [("other", p.entry + 365 * k, 0.8) for k in range(2, 10)]
        for k, (timepoint, day, chance) in enumerate(plan):
            day += rng.randint(-7, 21) if k else 0
            if day <= last and day <= today and rng.random() < chance:
                rows.append((day, p.id, timepoint, max(0.0, severity - 0.35 * k)))
    rows.sort()
    first = w.next_id(OutcomeMeasure)
    odi = tuple(f"odi_{i}" for i in range(1, 11))
    cols = ("id", "ref", "client_id", "measured_on", "timepoint", *odi, "eq_vas", "pain_nrs")
    w.write(
        OutcomeMeasure,
        cols + STAMP_COLUMNS,
        (
            (first + i, f"OM-{first + i:06d}", cid, date.fromordinal(day), timepoint)
            + _scores(rng, s)
            + _stamp(day, i)
            for i, (day, cid, timepoint, s) in enumerate(rows)
        ),
    )


def _scores(rng: random.Random, severity: float) -> tuple:
    odi = tuple(
        None if rng.random() < 0.04 else min(5, max(0, round(rng.gauss(severity, 0.9)))) for _ in range(10)
    )
    eq_vas = min(100, max(0, round(rng.gauss(92 - 16 * severity, 10))))
    pain = min(10, max(0, round(rng.gauss(1 + 2 * severity, 1.4))))
    return (*odi, eq_vas, pain)


def _plans(w: BulkWriter, rng: random.Random, people: list, today: int) -> None:
    profiles: list[tuple] = []
    plans: list[tuple] = []
    steps: list[tuple] = []
    for p in people:
        if p.end is not None:
            continue
        if p.profile is not None:
            profiles.append((p.id, "Work with people, regular hours", "Upper secondary school"))
        if p.job_on(today) is None:
            pid = len(plans) + 1
            review = date.fromordinal(today + rng.randint(7, 60))
            plans.append((p.id, "Find a part-time job in a preferred trade", "Local shops", review))
            for k in range(rng.randint(2, 3)):
                due = today + rng.randint(-20, 30)
                done = date.fromordinal(due) if due < today and rng.random() < 0.7 else None
                steps.append((pid, f"Step {k + 1} of the job search", "Specialist", _d(due), done))
    base = (w.next_id(CareerProfile), w.next_id(JobSearchPlan))
    stamp = _stamp(today, 0)
    w.write(
        CareerProfile,
        ("id", "client_id", "work_goals", "education") + STAMP_COLUMNS,
        [(base[0] + i, *row, *stamp) for i, row in enumerate(profiles)],
    )
    w.write(
        JobSearchPlan,
        ("id", "client_id", "goal", "target_employers", "review_date") + STAMP_COLUMNS,
        [(base[1] + i, *row, *stamp) for i, row in enumerate(plans)],
    )
    w.write(
        JobSearchStep,
        ("plan_id", "description", "owner", "due_date", "done_on") + STAMP_COLUMNS,
        [(base[1] - 1 + plan, *row, *stamp) for plan, *row in steps],
    )


def _stamp(ordinal: int, k: int) -> tuple:
    when = stamp(ordinal, k)
    return (when, when, 1)
