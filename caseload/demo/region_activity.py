"""The region demo's millions of rows: client contacts, the employer-contact log, weekly reviews.

Each kind is generated as a stream in date order (a heap over clients or specialists), so ids
and refs grow with time and a client's contacts are spread over the table as in real use.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import islice

from caseload.contacts.models import ClientContact
from caseload.demo.bulk import BATCH, BulkWriter
from caseload.demo.region_people import stamp, weighted
from caseload.employers.models import EmployerContact, WeeklyReview, employer_contact_clients

SPAN = 3652
REGULAR, FOLLOW, LOSS = 0, 1, 2
MODES = weighted((("face_to_face", 55), ("phone", 25), ("video", 8), ("message", 12)))
PLACES = weighted((("office", 45), ("community", 35), ("home", 8), ("workplace", 12)))
SEARCH = weighted(
    (("job_search", 52), ("engagement", 12), ("benefits", 8), ("disclosure", 8))
    + (("education", 6), ("assessment", 6), ("other", 8))
)
WORKING = weighted(
    (("follow_along", 70), ("disclosure", 6), ("benefits", 6), ("job_search", 8), ("other", 10))
)
MINUTES = {"face_to_face": (30, 45, 60, 90), "phone": (10, 15, 20), "video": (20, 30, 45), "message": (0, 5)}
EC_MODES = weighted((("face_to_face", 50), ("phone", 32), ("email", 15), ("video", 3)))
EC_MINUTES = {"face_to_face": (30, 45, 60), "phone": (10, 15), "email": (5, 10), "video": (20, 30)}
EC_PURPOSES = (
    "Get to know the employer's needs",
    "Introduce the candidate",
    "Follow up on an application",
    "Discuss accommodations",
    "Arrange a workplace visit",
)
EC_OUTCOMES = ("Interested", "No openings now", "Call back in a month", "Interview arranged", None)
CC_COLUMNS: tuple[str, ...] = (
    "id",
    "ref",
    "client_id",
    "staff_id",
    "contact_date",
    "mode",
    "location",
    "minutes",
)
CC_COLUMNS += ("purpose", "created_at", "updated_at", "version")
EC_COLUMNS: tuple[str, ...] = (
    "id",
    "ref",
    "contact_date",
    "specialist_id",
    "employer_id",
    "mode",
    "job_type",
    "minutes",
)
EC_COLUMNS += ("purpose", "outcome", "created_at", "updated_at", "version")
CLIENT_SHARE = 0.35  # of employer contacts made for named clients; the rest build relationships


def seed_activity(w: BulkWriter, rng: random.Random, region, people: list, today: int, targets: dict) -> None:
    """Client contacts, employer contacts with their clients, and the weekly reviews."""
    _client_contacts(w, rng, region, people, today, targets["client_contacts"])
    _employer_contacts(w, rng, region, people, today, targets["employer_contacts"])
    _weekly_reviews(w, rng, region, today)


def _gap(rng: random.Random, mean: float, least: int = 1) -> int:
    """Days to the next event: geometric around ``mean``, at least ``least``."""
    return max(least, int(-mean * math.log(1.0 - rng.random()) + 0.5))


def _weekday(day: int) -> int:
    """The day itself, or the Monday after when it falls on a weekend."""
    weekday = (day - 1) % 7
    return day + 7 - weekday if weekday >= 5 else day


def _client_events(rng: random.Random, people: list, today: int, target: int) -> Iterator[tuple]:
    """(day, client index, kind) of every client contact, in date order."""
    heap = [(p.entry + rng.randint(0, 5), i, REGULAR) for i, p in enumerate(people)]
    for i, p in enumerate(people):
        for start, end, *_ in p.jobs:
            if start < p.entry:
                continue
            for lo, chance in ((start - 7, 0.6), (start, 0.65), (start + 7, 0.55), (start + 14, 0.5)):
                if rng.random() < chance:
                    heap.append((lo + rng.randint(0, 3 if lo == start else 6), i, FOLLOW))
            if end is not None and rng.random() < 0.6:
                heap.append((end + rng.randint(0, 3), i, LOSS))
    heapq.heapify(heap)
    lasts = [p.last_day(today) for p in people]
    span = sum((lasts[i] - p.entry + 1) / p.factor for i, p in enumerate(people))
    mean = span / max(1, target - (len(heap) - len(people))) * 0.88  # weekends and closures trim
    while heap:
        day, i, kind = heap[0]
        if kind != REGULAR:
            heapq.heappop(heap)
            if people[i].entry <= day <= lasts[i]:
                yield day, i, kind
        elif day > lasts[i]:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (_weekday(day + _gap(rng, mean * people[i].factor)), i, REGULAR))
            yield day, i, kind


def _client_contacts(
    w: BulkWriter, rng: random.Random, region, people: list, today: int, target: int
) -> None:
    clinicians = defaultdict(list)
    for staff in (s for group in region.clinicians.values() for s in group):
        for team in staff.teams:
            clinicians[team].append(staff.id)
    first = w.next_id(ClientContact)

    def rows() -> Iterator[tuple]:
        for n, (day, i, kind) in enumerate(_client_events(rng, people, today, target)):
            p, cid, when = people[i], first + n, stamp(day, n)
            staff = p.specialist.id
            if p.team in clinicians and rng.random() < 0.03:
                staff = rng.choice(clinicians[p.team])
            mode, place, purpose = _contact_kind(rng, p, day, kind)
            minutes = rng.choice(MINUTES[mode])
            yield (cid, f"CC-{cid:06d}", p.id, staff, date.fromordinal(day), mode, place, minutes, purpose)
            yield (when, when, 1)

    with w.indexes_deferred(ClientContact):
        w.write(ClientContact, CC_COLUMNS, _joined(rows()))


def _joined(halves: Iterator[tuple]) -> Iterator[tuple]:
    """Rows produced in two halves (keeps the generator's lines short), joined."""
    it = iter(halves)
    for head in it:
        yield head + next(it)


def _contact_kind(rng: random.Random, p, day: int, kind: int) -> tuple[str, str, str]:
    """(mode, location, purpose) of one client contact, by the client's situation that day."""
    if kind == FOLLOW:
        return "face_to_face", ("workplace" if rng.random() < 0.5 else "community"), "follow_along"
    if kind == LOSS:
        face = rng.random() < 0.5
        return ("face_to_face", "community", "follow_along") if face else ("phone", "remote", "follow_along")
    if rng.random() < 0.04:
        return ("phone" if rng.random() < 0.6 else "message"), "remote", "outreach"
    mode = MODES[rng.randrange(100)]
    working = p.job_on(day) is not None
    if working:
        purpose = WORKING[rng.randrange(100)]
    elif day - p.entry < 21:
        purpose = "engagement" if rng.random() < 0.6 else "assessment"
    else:
        purpose = SEARCH[rng.randrange(100)]
    if mode != "face_to_face":
        return mode, "remote", purpose
    place = PLACES[rng.randrange(100)]
    return mode, ("community" if place == "workplace" and not working else place), purpose


def _client_leads(rng: random.Random, people: list, today: int, target: int) -> Iterator[tuple]:
    """(day, 0, client index) of employer contacts made for one client, while they look for work."""
    firsts = [p.entry + int(rng.lognormvariate(math.log(16), 0.9)) for p in people]
    heap = [(day, 0, i) for i, day in enumerate(firsts) if rng.random() < 0.93]
    heapq.heapify(heap)
    lasts = [p.last_day(today) for p in people]
    span = sum(max(0, lasts[i] - firsts[i]) / p.factor for i, p in enumerate(people))
    mean = span / max(1, target) * 0.42  # jobs interrupt the search: keep the total near the target
    while heap:
        day, _, i = heap[0]
        job = people[i].job_on(day)
        if day > lasts[i] or (job is not None and job[1] is None):
            heapq.heappop(heap)
        elif job is not None:
            heapq.heapreplace(heap, (_weekday(job[1] + 1), 0, i))
        else:
            heapq.heapreplace(heap, (_weekday(day + _gap(rng, mean * people[i].factor)), 0, i))
            yield day, 0, i


def _relationship_visits(rng: random.Random, region, today: int, target: int) -> Iterator[tuple]:
    """(day, 1, specialist) of contacts that build employer relationships, per specialist and fte."""
    specialists = [s for group in region.specialists.values() for s in group]
    day0 = today - SPAN
    ends = [s.left or today for s in specialists]
    fte_days = sum(float(s.fte) * (ends[k] - day0) for k, s in enumerate(specialists))
    means = [fte_days / max(1, target) / float(s.fte) for s in specialists]
    heap = [(_weekday(day0 + _gap(rng, means[k], 0)), 1, k) for k in range(len(specialists))]
    heapq.heapify(heap)
    while heap:
        day, _, k = heap[0]
        if day > ends[k]:
            heapq.heappop(heap)
            continue
        heapq.heapreplace(heap, (_weekday(day + _gap(rng, means[k] * 0.89, 0)), 1, k))
        yield day, 1, specialists[k]


def _employer_contacts(
    w: BulkWriter, rng: random.Random, region, people: list, today: int, target: int
) -> None:
    first = w.next_id(EmployerContact)
    codes = region.job_codes
    links: list[tuple[int, int]] = []
    events = heapq.merge(
        _client_leads(rng, people, today, int(target * CLIENT_SHARE)),
        _relationship_visits(rng, region, today, int(target * (1 - CLIENT_SHARE))),
        key=lambda e: e[0],
    )
    seen = set()

    def rows() -> Iterator[tuple]:
        for n, (day, generic, who) in enumerate(events):
            eid = first + n
            if generic:
                staff, mode = who, EC_MODES[rng.randrange(100)]
                code = rng.choice(codes) if rng.random() < 0.4 else None
            else:
                p = people[who]
                staff, code = p.specialist, (rng.choice(p.prefs) if rng.random() < 0.8 else None)
                mode = "face_to_face" if who not in seen else EC_MODES[rng.randrange(100)]
                seen.add(who)
                links.append((eid, p.id))
            when = stamp(day, n)
            yield (eid, f"EC-{eid:06d}", date.fromordinal(day), staff.id, staff.employer(rng), mode, code)
            yield (
                rng.choice(EC_MINUTES[mode]),
                rng.choice(EC_PURPOSES),
                rng.choice(EC_OUTCOMES),
                when,
                when,
                1,
            )

    source = _joined(rows())
    with w.indexes_deferred(EmployerContact, employer_contact_clients):
        while chunk := list(islice(source, BATCH)):
            w.write(EmployerContact, EC_COLUMNS, chunk)
            w.write(employer_contact_clients, ("employer_contact_id", "client_id"), links)
            links.clear()


def _weekly_reviews(w: BulkWriter, rng: random.Random, region, today: int) -> None:
    """A supervisor reviews most specialists' logs each week, a week or so later."""
    rows = []
    monday0 = today - SPAN - (today - SPAN - 1) % 7
    for pid, specialists in region.specialists.items():
        supervisors = [s.id for s in region.supervisors[pid]]
        for monday in range(monday0, today - 6, 7):
            for s in specialists:
                reviewed = monday + 7 + rng.randint(0, 5)
                if (s.left is None or monday <= s.left) and reviewed <= today and rng.random() < 0.88:
                    rows.append((monday, s.id, rng.choice(supervisors), reviewed))
    rows.sort()
    first = w.next_id(WeeklyReview)
    cols = ("id", "specialist_id", "week_start", "reviewer_id", "reviewed_on", "created_at", "updated_at")
    w.write(
        WeeklyReview,
        cols,
        (
            (first + i, sid, date.fromordinal(monday), rid, date.fromordinal(day), stamp(day), stamp(day))
            for i, (monday, sid, rid, day) in enumerate(rows)
        ),
    )
