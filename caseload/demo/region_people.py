"""The region demo's programmes, teams, staff, job types and employers."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from caseload.auth.models import User
from caseload.demo import small
from caseload.demo.bulk import BulkWriter
from caseload.demo.small import FIRST, LAST
from caseload.employers.models import Employer, EmployerPerson
from caseload.teams.models import JobType, Program, TreatmentTeam, user_teams

PROGRAMS = (
    "Oslo University Hospital Pain Clinic IPS",
    "Bergen Spine Clinic IPS",
    "Trøndelag Community IPS",
    # the nation's seven more (`demo seed --scale nation`); a region takes the first three
    "Stavanger Rehabilitation IPS",
    "Tromsø Pain Centre IPS",
    "Kristiansand Community IPS",
    "Drammen Spine Clinic IPS",
    "Bodø Community IPS",
    "Ålesund Rehabilitation IPS",
    "Hamar Pain Clinic IPS",
)
REGION_PROGRAMS = 3
STAFF = {"specialist": 50, "former": 2, "supervisor": 4, "clinician": 20, "admin": 1}
TEAMS = 10
EMPLOYERS = 1_000
JOB_TYPES = small.JOB_TYPES | {
    "5131": "Waiter",
    "9333": "Freight handler",
    "7411": "Building electrician",
    "5322": "Home-based personal care worker",
    "4321": "Stock clerk",
    "7115": "Carpenter",
    "9621": "Messenger and porter",
    "6113": "Gardener",
    "3313": "Accounting associate",
    "5414": "Security guard",
    "7231": "Motor vehicle mechanic",
    "5141": "Hairdresser",
}
PLACES = "Nordre Søndre Fjord Bakke Elve Kyst Skog Dal Vik Berg Lia Holm Strand Nes Fjell".split()
KINDS = (
    ("Kafé", "Hospitality"),
    ("Dagligvare", "Retail"),
    ("Transport", "Transport"),
    ("Renhold", "Cleaning"),
    ("Bygg", "Construction"),
    ("Kundesenter", "Customer service"),
    ("Regnskap", "Accounting"),
    ("Sikkerhet", "Security"),
    ("Hotell", "Hospitality"),
    ("Verksted", "Motor trade"),
    ("Omsorg", "Care"),
    ("Data", "IT"),
)
ASCII = str.maketrans({"ø": "o", "å": "a", "æ": "ae", "Ø": "O", "Å": "A", "Æ": "AE"})


def weighted(pairs) -> list:
    """A lookup list in which each value appears as often as its weight (for fast picks)."""
    return [value for value, weight in pairs for _ in range(weight)]


def stamp(ordinal: int, k: int = 0) -> datetime:
    """A creation time on that day (UTC, naive): one of eight moments of the working day."""
    return _stamp(ordinal, k % 8)


@lru_cache(maxsize=65536)
def _stamp(ordinal: int, slot: int) -> datetime:
    return datetime.fromordinal(ordinal) + timedelta(hours=7, minutes=53 * slot + 11)


def as_date(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


@dataclass(slots=True)
class Staff:
    """A member of staff while the seed is generated."""

    id: int
    program: int
    role: str
    fte: Decimal
    teams: list[int]
    left: int | None = None  # ordinal of the last working day of a former specialist
    employers: list[int] = field(default_factory=list)
    employer_weights: list[float] = field(default_factory=list)  # cumulative

    def employer(self, rng: random.Random) -> int:
        """One of the specialist's own employer network, the familiar ones more often."""
        return rng.choices(self.employers, cum_weights=self.employer_weights)[0]


@dataclass
class Region:
    programs: list[int] = field(default_factory=list)
    teams: dict[int, list[int]] = field(default_factory=dict)
    specialists: dict[int, list[Staff]] = field(default_factory=dict)
    current: dict[int, list[Staff]] = field(default_factory=dict)
    supervisors: dict[int, list[Staff]] = field(default_factory=dict)
    clinicians: dict[int, list[Staff]] = field(default_factory=dict)
    employers: dict[int, list[int]] = field(default_factory=dict)
    job_codes: list[str] = field(default_factory=list)


def people(
    w: BulkWriter,
    rng: random.Random,
    today: date,
    scale: float,
    password_hash: str,
    programs: int = REGION_PROGRAMS,
) -> Region:
    """The first ``programs`` programmes, their teams, staff and employers; what later rows refer to."""
    region = Region(job_codes=sorted(JOB_TYPES))
    since = datetime.combine(today - timedelta(days=3660), datetime.min.time())
    program_id, team_id = w.next_id(Program), w.next_id(TreatmentTeam)
    program_rows, teams = [], []
    for k, name in enumerate(PROGRAMS[:programs]):
        pid = program_id + k
        program_rows.append((pid, f"P-{pid:04d}", name, "Europe/Oslo", since, since))
        region.programs.append(pid)
        region.teams[pid] = [team_id + TEAMS * k + t for t in range(TEAMS)]
        for t, tid in enumerate(region.teams[pid]):
            teams.append((tid, f"T-{tid:04d}", pid, f"{name.split()[0]} team {chr(65 + t)}", since, since))
    w.write(Program, ("id", "ref", "name", "timezone", "created_at", "updated_at"), program_rows)
    w.write(TreatmentTeam, ("id", "ref", "program_id", "name", "created_at", "updated_at"), teams)
    w.write(
        JobType,
        ("program_id", "code", "label"),
        [(pid, code, label) for pid in region.programs for code, label in JOB_TYPES.items()],
    )
    _employers(w, rng, region, since, scale)
    _staff(w, rng, region, today, scale, password_hash, since)
    return region


def _staff(w, rng, region: Region, today: date, scale: float, password_hash: str, since) -> None:
    next_id = w.next_id(User)
    users, links = [], []
    for pid in region.programs:
        for key in ("specialists", "current", "supervisors", "clinicians"):
            getattr(region, key)[pid] = []
        for role, count in STAFF.items():
            n = count if role == "admin" else max(2 if role == "specialist" else 1, round(count * scale))
            for k in range(n):
                staff = _member(rng, region, pid, role, k, next_id, today)
                next_id += 1
                first, last = rng.choice(FIRST), rng.choice(LAST)
                email = f"{first}.{last}.{staff.id}@region-ips.example.org".lower().translate(ASCII)
                users.append(
                    (staff.id, email, f"{first} {last}", staff.role, pid, staff.fte, staff.left is None)
                    + (password_hash, None, 1, None, secrets.token_urlsafe(32))
                    + (since, since, 1)
                )
                links += [(staff.id, team) for team in staff.teams]
    cols: tuple[str, ...] = (
        "id",
        "email",
        "name",
        "role",
        "program_id",
        "fte",
        "active",
        "password_hash",
        "language",
    )
    cols += ("session_version", "totp_secret", "feed_token", "created_at", "updated_at", "version")
    w.write(User, cols, users)
    w.write(user_teams, ("user_id", "team_id"), links)


def _member(rng, region: Region, pid: int, role: str, k: int, uid: int, today: date) -> Staff:
    teams = region.teams[pid]
    if role in ("specialist", "former"):
        fte = Decimal(rng.choice(("1.0",) * 6 + ("0.8", "0.8", "0.6", "0.5")))
        n_teams = 1 if rng.random() < 0.71 else (2 if rng.random() < 0.86 else 3)
        mine = sorted({teams[k % len(teams)], *rng.sample(teams, n_teams - 1)})
        left = today.toordinal() - rng.randint(365, 5 * 365) if role == "former" else None
        staff = Staff(uid, pid, "specialist", fte, mine, left)
        _network(rng, region, staff)
        region.specialists[pid].append(staff)
        if left is None:
            region.current[pid].append(staff)
        return staff
    if role == "clinician":
        mine = sorted({teams[k % len(teams)], *rng.sample(teams, int(rng.random() < 0.3))})
        staff = Staff(uid, pid, role, Decimal("1.0"), mine)
        region.clinicians[pid].append(staff)
        return staff
    staff = Staff(uid, pid, role, Decimal("1.0"), [])
    if role == "supervisor":
        region.supervisors[pid].append(staff)
    return staff


def _network(rng: random.Random, region: Region, staff: Staff) -> None:
    pool = region.employers[staff.program]
    staff.employers = rng.sample(pool, min(len(pool), 80))
    staff.employer_weights = list(accumulate(1 / (rank + 3) for rank in range(len(staff.employers))))


def _employers(w: BulkWriter, rng: random.Random, region: Region, since, scale: float) -> None:
    first = w.next_id(Employer)
    person_id = w.next_id(EmployerPerson)
    rows, contacts = [], []
    n = max(20, round(EMPLOYERS * scale))
    for k, pid in enumerate(region.programs):
        region.employers[pid] = list(range(first + k * n, first + (k + 1) * n))
    for eid in range(first, first + n * len(region.programs)):
        kind, industry = rng.choice(KINDS)
        suffix = rng.choice(("AS", "AS", "SA", "ASA", "kommune"))
        org = str(rng.randint(800_000_000, 999_999_999))
        rows.append((eid, f"E-{eid:04d}", f"{rng.choice(PLACES)} {kind} {suffix}", org, industry))
        for _ in range(rng.choice((0, 1, 1, 2))):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            mail = f"{name.split()[0].lower()}@employer-{eid}.example.org".translate(ASCII)
            contacts.append((person_id, eid, name, rng.choice(("Manager", "HR", "Owner")), None, mail))
            person_id += 1
    cols = ("id", "ref", "name", "org_number", "industry", "created_at", "updated_at", "version")
    w.write(Employer, cols, [r + (since, since, 1) for r in rows])
    cols = ("id", "employer_id", "name", "role", "phone", "email", "created_at", "updated_at")
    w.write(EmployerPerson, cols, [r + (since, since) for r in contacts])
