"""The region demo: 3 programmes, 150 specialists, 30,000 clients over ten years, millions of contacts.

Deterministic for a seed and an anchor date. Written with bulk inserts (caseload.demo.bulk) and
explicit ids, in date order, so ids and refs grow with time as in a live installation.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date

import click
from sqlalchemy.orm import Session

from caseload.auth.passwords import hash_password
from caseload.clients.models import Client, Referral
from caseload.db import RefMixin, bump_ref_sequence
from caseload.demo import region_activity, region_records
from caseload.demo.bulk import BulkWriter, table_of
from caseload.demo.region_people import PROGRAMS, REGION_PROGRAMS, Region, Staff, people, stamp, weighted
from caseload.demo.region_people import as_date as _d
from caseload.demo.small import DEMO_PASSWORD, FIRST, LAST

SPAN = 3652  # ten years of history, in days
CLIENTS_PER_PROGRAM = 10_000
ACTIVE_PER_PROGRAM = 1_000
TARGETS = {"client_contacts": 2_000_000, "employer_contacts": 1_500_000}  # for the region's 3 programmes
ROWS_ESTIMATE = 4_500_000
NATION_PROGRAMS = 10  # `demo seed --scale nation`: the same programmes, ten of them
STATUS = (("unemployed", 45), ("sick_leave", 25), ("inactive", 15), ("student", 5), ("employed", 10))
SOURCES = (("Pain clinic physician", 40), ("NAV", 25), ("GP", 15), ("Self", 10), ("Psychologist", 10))
DECLINE_REASONS = (
    "Did not want employment support now",
    "Wants to focus on treatment first",
    "Already has a job and needs no support",
    "Lives outside the catchment area",
    "Could not be reached after referral",
)
FACTORS = (0.6, 0.8, 1, 1, 1.3, 1.7)  # how often a client is seen, relative to the mean
CLOSURES = (
    ("no_longer_wants_work", 35),
    ("moved", 15),
    ("transferred_to_other_service", 25),
    ("other", 24),
    ("deceased", 1),
)


@dataclass(slots=True)
class Person:
    """A client while the seed is generated (ordinals for dates)."""

    program: int
    specialist: Staff
    team: int | None
    entry: int
    end: int | None
    status: str
    prefs: tuple[str, ...]
    factor: float
    profile: int | None = None
    referred: int = 0
    id: int = 0
    jobs: list = field(default_factory=list)  # (start, end or None, employer, code, hours)

    def last_day(self, today: int) -> int:
        """The last day the client is on the caseload (the day before closure, or today)."""
        return today if self.end is None else min(today, self.end - 1)

    def job_on(self, day: int):
        """The job held on ``day``, if any."""
        for job in self.jobs:
            if job[0] <= day and (job[1] is None or job[1] >= day):
                return job
        return None


def ref(prefix: str, n: int, width: int = 6) -> str:
    return f"{prefix}-{n:0{width}d}"


def seed_region(
    session: Session, *, seed: int, today: date, scale: float = 1.0, programs: int = REGION_PROGRAMS
) -> None:
    """Fill an empty database with ten years of ``programs`` programmes (3: a region, 10: a nation).

    Every programme has the same size and realism; ``scale`` shrinks each of them (tests). Rows
    stream to the database in batches: memory grows with the clients and staff, not the contacts.
    """
    if not 1 <= programs <= len(PROGRAMS):
        raise ValueError(f"programs must be 1..{len(PROGRAMS)}")
    rng = random.Random(seed)
    conn = session.connection()
    share = programs / REGION_PROGRAMS
    with click.progressbar(
        length=int(ROWS_ESTIMATE * share * scale), label="seeding", file=sys.stderr
    ) as bar:
        w = BulkWriter(conn, bar.update)
        region = people(w, rng, today, scale, hash_password(DEMO_PASSWORD), programs)
        clients = _clients(w, rng, region, today.toordinal(), scale)
        _referrals(w, rng, region, clients, today.toordinal(), scale)
        region_records.seed_records(w, rng, clients, today.toordinal())
        targets = {k: int(v * share * scale) for k, v in TARGETS.items()}
        region_activity.seed_activity(w, rng, region, clients, today.toordinal(), targets)
        bar.update(max(0, (bar.length or 0) - bar.pos))
    _ref_sequences(session, w)
    w.fix_sequences()
    w.close()
    session.flush()


STATUSES = weighted(STATUS)
CLOSE_REASONS = weighted(CLOSURES)


def _clients(w: BulkWriter, rng: random.Random, region: Region, today: int, scale: float) -> list[Person]:
    people_ = []
    for program in region.programs:
        n = max(10, round(CLIENTS_PER_PROGRAM * scale))
        active = max(2, round(ACTIVE_PER_PROGRAM * scale))
        for k in range(n):
            people_.append(_person(rng, region, program, today, active=k < active))
    people_.sort(key=lambda p: (p.entry, p.program))
    first = w.next_id(Client)
    for i, person in enumerate(people_):
        person.id = first + i
    region_records.plan_jobs(rng, people_, today)
    w.write(Client, CLIENT_COLUMNS, (_client_row(rng, region, p, today) for p in people_))
    return people_


def _person(rng: random.Random, region: Region, program: int, today: int, *, active: bool) -> Person:
    day0 = today - SPAN
    if active:
        entry = today - min(SPAN - 1, int(rng.expovariate(1 / 330)))
        end = None
        current = region.current[program]
        specialist = rng.choices(current, weights=[float(s.fte) for s in current])[0]
    else:
        entry = day0 + rng.randint(0, SPAN - 30)
        length = 14 + int(rng.expovariate(1 / 320))
        if entry + length >= today:
            length = rng.randint(14, max(14, today - entry - 1))
        end = entry + length
        specialist = rng.choice([s for s in region.specialists[program] if s.left is None or s.left > end])
    teams = specialist.teams
    roll = rng.random()
    team = rng.choice(teams) if roll < 0.88 else (None if roll < 0.95 else rng.choice(region.teams[program]))
    prefs = tuple(sorted(rng.sample(region.job_codes, rng.choice((1, 2, 2, 3)))))
    status = STATUSES[rng.randrange(100)]
    person = Person(program, specialist, team, entry, end, status, prefs, rng.choice(FACTORS))
    person.referred = entry - rng.randint(1, 21)
    if rng.random() < 0.88:
        person.profile = min(person.last_day(today), entry + rng.randint(1, 25))
    return person


CLIENT_COLUMNS = (
    "id",
    "ref",
    "program_id",
    "name",
    "birth_date",
    "specialist_id",
    "treatment_team_id",
    "referral_date",
    "entry_date",
    "status_at_entry",
    "preferred_job_types",
    "profile_started_on",
    "profile_completed_on",
    "profile_updated_on",
    "trial_arm",
    "closed_on",
    "closure_reason",
    "anonymised",
    "created_at",
    "updated_at",
    "version",
)


def _client_row(rng, region: Region, p: Person, today: int) -> tuple:
    last = p.last_day(today)
    started, completed, updated = p.profile, None, None
    if started is not None and rng.random() < 0.75 and started + 10 <= last:
        completed = min(last, started + rng.randint(7, 40))
        updated = min(last, completed + rng.randint(0, 200))
    arm = None
    if p.program == region.programs[0] and today - 6 * 365 <= p.entry <= today - 3 * 365:
        arm = "ips" if rng.random() < 0.5 else "control"
    reason = None
    if p.end is not None:
        job = p.job_on(p.end - 1)
        steady = job is not None and rng.random() < 0.8
        reason = "steady_work_transferred" if steady else CLOSE_REASONS[rng.randrange(100)]
    birth = date(rng.randint(1962, 2004), rng.randint(1, 12), rng.randint(1, 28))
    when = stamp(p.entry, p.id)
    return (
        p.id,
        ref("C", p.id),
        p.program,
        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        birth,
        p.specialist.id,
        p.team,
        _d(p.referred),
        _d(p.entry),
        p.status,
        ";".join(p.prefs),
        _d(started),
        _d(completed),
        _d(updated),
        arm,
        _d(p.end),
        reason,
        False,
        when,
        when,
        1,
    )


def _referrals(w: BulkWriter, rng, region: Region, clients: list[Person], today: int, scale: float) -> None:
    sources = weighted(SOURCES)
    rows: list[tuple[int, int, str, str | None, int | None]] = [
        (c.referred, c.program, "accepted", None, c.id) for c in clients
    ]
    for program in region.programs:
        for _ in range(max(2, round(CLIENTS_PER_PROGRAM * scale * 0.16))):
            received = today - rng.randint(0, SPAN)
            if received > today - 21 and rng.random() < 0.6:
                rows.append((received, program, "pending", None, None))
            elif rng.random() < 0.68:
                rows.append((received, program, "declined", rng.choice(DECLINE_REASONS), None))
            else:
                rows.append((received, program, "withdrawn", None, None))
    rows.sort(key=lambda r: (r[0], r[1], r[4] or 0))
    first = w.next_id(Referral)
    cols: tuple[str, ...] = (
        "id",
        "ref",
        "program_id",
        "received_on",
        "source",
        "decision",
        "reason",
        "client_id",
    )
    cols += ("person_name", "created_at", "updated_at", "version")
    w.write(
        Referral,
        cols,
        (
            (
                first + i,
                ref("R", first + i),
                program,
                _d(received),
                sources[rng.randrange(100)],
                decision,
                reason,
                client_id,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                stamp(received, i),
                stamp(received, i),
                1,
            )
            for i, (received, program, decision, reason, client_id) in enumerate(rows)
        ),
    )


def _ref_sequences(session: Session, w: BulkWriter) -> None:
    """Refs created later in the app continue after the seeded ones."""
    from caseload.models import (
        BenefitsSession,
        ClientContact,
        Employer,
        EmployerContact,
        Job,
        OutcomeMeasure,
        Program,
        TreatmentTeam,
    )

    models: tuple[type[RefMixin], ...] = (
        Program,
        TreatmentTeam,
        Client,
        Referral,
        Employer,
        EmployerContact,
        Job,
        BenefitsSession,
        ClientContact,
        OutcomeMeasure,
    )
    for model in models:
        top = w.last_ids.get(table_of(model).name)
        if top:
            bump_ref_sequence(session, model, [f"{model.REF_PREFIX}-{top}"])
