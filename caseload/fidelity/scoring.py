"""The IPS-25 items computed from records (metrics.md), their scores, the total and the band.

Every function is pure: it takes a ``ProgramData`` (plain rows) and the as-of date A, and decides
scores with exact arithmetic (``Fraction``), never floats. ``compute_fidelity`` is the entry point
that serves the programme page, the review, the PDF and ``fidelity compute --json`` alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from caseload.fidelity.evidence import (
    EVIDENCE_FUNCTIONS,
    READS_CONTACT_SUMMARY,
    ContactSummary,
    Evidence,
    summarise_contacts,
)
from caseload.fidelity.refs import Refs, refs
from caseload.metrics.codes import COMMUNITY_LOCATIONS
from caseload.metrics.numbers import mean, median, percent, round_half_up, to_float, to_json
from caseload.metrics.periods import Window, activity_window, job_year
from caseload.metrics.scale import (
    scheduled_minutes,
    score_diversity,
    score_o1_specialist,
    score_s1,
    score_v4,
    score_v6,
    score_v10,
    score_v13,
)
from caseload.metrics.scope import jobs_obtained_in_ips, specialists_in_scope
from caseload.rows import ClientContactRow, ClientRow, EmployerContactRow, JobRow, ProgramData, StaffRow

COMPUTED_ITEMS = ("S1", "V4", "V6", "V8", "V9", "V10", "V13", "O1")


@dataclass(frozen=True, slots=True)
class SpecialistValue:
    """One specialist's part of a per-specialist item (S1, V6, V13, O1)."""

    email: str
    value: Fraction | None
    score: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ItemResult:
    """A computed item: value, score, the extra keys of its JSON, and the records behind it."""

    key: str
    value: Fraction | None
    score: int | None
    extra: tuple[tuple[str, object], ...] = ()
    refs: Refs = field(default_factory=Refs)
    by_specialist: tuple[SpecialistValue, ...] = ()

    def as_json(self) -> dict[str, object]:
        """``{"value", "score", ...extra}`` as in cli.md."""
        return {"value": to_float(self.value), "score": self.score, **dict(self.extra)}


def _clients(data: ProgramData) -> dict[str, ClientRow]:
    return {c.ref: c for c in data.clients}


def _active_by_specialist(data: ProgramData, as_of: date) -> dict[str, list[ClientRow]]:
    out: dict[str, list[ClientRow]] = {}
    for c in data.clients:
        if c.active_on(as_of):
            out.setdefault(c.specialist_email, []).append(c)
    return out


def item_s1(data: ProgramData, as_of: date) -> ItemResult:
    """S1: active clients of the specialists in scope ÷ their fte."""
    scope = specialists_in_scope(data.staff)
    active = _active_by_specialist(data, as_of)
    held = [c.ref for s in scope for c in active.get(s.email, [])]
    fte = sum((Fraction(s.fte) for s in scope), Fraction(0))
    value = Fraction(len(held)) / fte if scope else None
    per = tuple(
        SpecialistValue(s.email, Fraction(len(active.get(s.email, []))) / Fraction(s.fte)) for s in scope
    )
    score = None if value is None else score_s1(value)
    return ItemResult("S1", value, score, refs=refs(clients=held), by_specialist=per)


def _f2f_contacts_by_client(data: ProgramData) -> dict[str, list[EmployerContactRow]]:
    out: dict[str, list[EmployerContactRow]] = {}
    for ec in sorted(data.employer_contacts, key=lambda e: (e.contact_date, e.ref)):
        if ec.mode == "face_to_face":
            for ref in ec.client_refs:
                out.setdefault(ref, []).append(ec)
    return out


def v4_days(
    client: ClientRow, contacts: list[EmployerContactRow], as_of: date
) -> tuple[int | None, EmployerContactRow | None]:
    """V4's days for one client (None: too early to tell) and the first contact when made by A."""
    first = next((ec for ec in contacts if ec.contact_date >= client.entry_date), None)
    if first is not None and first.contact_date <= as_of:
        return (first.contact_date - client.entry_date).days, first
    end = min(as_of, client.closed_on) if client.closed_on else as_of
    waited = (end - client.entry_date).days
    return (waited if waited >= 30 else None), None


def item_v4(data: ProgramData, as_of: date) -> ItemResult:
    """V4 rapid job search: mean days to the first face-to-face employer contact."""
    year = job_year(as_of)
    contacts = _f2f_contacts_by_client(data)
    measured: dict[str, int] = {}
    first_refs: list[str] = []
    for c in data.clients:
        if c.entry_date in year:
            n, first = v4_days(c, contacts.get(c.ref, []), as_of)
            if n is not None:
                measured[c.ref] = n
                first_refs += [first.ref] if first else []
    value = mean(measured.values())
    within = sum(v <= 30 for v in measured.values())
    extra = (
        ("median", to_json(median(measured.values()))),
        ("n", len(measured)),
        ("pct_within_30", to_float(percent(within, len(measured)))),
    )
    score = None if value is None else score_v4(value)
    found = refs(clients=measured, employer_contacts=first_refs)
    return ItemResult("V4", value, score, extra, found)


def _f2f_in(data: ProgramData, window: Window) -> dict[str, list[EmployerContactRow]]:
    out: dict[str, list[EmployerContactRow]] = defaultdict(list)
    for ec in data.employer_contacts:
        if ec.mode == "face_to_face" and ec.contact_date in window:
            out[ec.specialist_email].append(ec)
    return out


def review_coverage(data: ProgramData, window: Window, scope: list[StaffRow]) -> Fraction | None:
    """Reviewed (specialist, week) pairs of the window ÷ (13 × specialists in scope)."""
    emails = {s.email for s in scope}
    weeks = set(window.mondays())
    pairs = {
        (r.specialist_email, r.week_start)
        for r in data.weekly_reviews
        if r.specialist_email in emails and r.week_start in weeks
    }
    return Fraction(len(pairs), len(weeks) * len(emails)) if emails else None


def item_v6(data: ProgramData, as_of: date) -> ItemResult:
    """V6: mean over specialists of face-to-face employer contacts per week per fte."""
    window = activity_window(as_of)
    scope = specialists_in_scope(data.staff)
    f2f = _f2f_in(data, window)
    contacts = {s.email: f2f[s.email] for s in scope}
    per = tuple(
        SpecialistValue(s.email, Fraction(len(contacts[s.email]), 13) / Fraction(s.fte)) for s in scope
    )
    value = mean(p.value for p in per if p.value is not None)
    coverage = review_coverage(data, window, scope)
    score = None if value is None or coverage is None else score_v6(value, coverage)
    used = [ec.ref for cs in contacts.values() for ec in cs]
    extra = (("review_coverage", to_float(coverage)),)
    return ItemResult("V6", value, score, extra, refs(employer_contacts=used), per)


def _jobs_started_in_year(data: ProgramData, as_of: date) -> list[JobRow]:
    year = job_year(as_of)
    return [j for j in jobs_obtained_in_ips(data.jobs, _clients(data)) if j.start_date in year]


def item_v8(data: ProgramData, as_of: date) -> ItemResult:
    """V8: 100 × distinct job types ÷ jobs started in the job year that have a job type."""
    jobs = [j for j in _jobs_started_in_year(data, as_of) if j.job_type]
    value = percent(len({j.job_type for j in jobs}), len(jobs))
    score = None if value is None else score_diversity(value)
    return ItemResult("V8", value, score, (("jobs", len(jobs)),), refs(jobs=[j.ref for j in jobs]))


def item_v9(data: ProgramData, as_of: date) -> ItemResult:
    """V9: 100 × distinct employers ÷ jobs started in the job year."""
    jobs = _jobs_started_in_year(data, as_of)
    value = percent(len({j.employer_ref for j in jobs}), len(jobs))
    score = None if value is None else score_diversity(value)
    return ItemResult("V9", value, score, (("jobs", len(jobs)),), refs(jobs=[j.ref for j in jobs]))


def item_v10(data: ProgramData, as_of: date) -> ItemResult:
    """V10: 100 × competitive ÷ jobs held on A by the programme's clients."""
    clients = _clients(data)
    held = [j for j in data.jobs if j.client_ref in clients and j.held_on(as_of)]
    value = percent(sum(j.competitive for j in held), len(held))
    score = None if value is None else score_v10(value, len(held))
    return ItemResult("V10", value, score, (("jobs", len(held)),), refs(jobs=[j.ref for j in held]))


def _v13_minutes(mine: list[ClientContactRow], ecs: list[EmployerContactRow]) -> tuple[int, int]:
    community = sum(c.minutes for c in mine if c.face_to_face and c.location in COMMUNITY_LOCATIONS)
    community += sum(e.minutes for e in ecs if e.mode == "face_to_face")
    logged = sum(c.minutes for c in mine) + sum(e.minutes for e in ecs)
    return community, logged


def item_v13(data: ProgramData, as_of: date) -> ItemResult:
    """V13: mean over specialists in scope of 100 × community ÷ scheduled minutes; ``logged_pct``
    (community ÷ logged minutes, over specialists with logged minutes) as evidence."""
    window = activity_window(as_of)
    client_contacts, employer_contacts = defaultdict(list), defaultdict(list)
    for c in data.client_contacts:
        if c.contact_date in window:
            client_contacts[c.staff_email].append(c)
    for e in data.employer_contacts:
        if e.contact_date in window:
            employer_contacts[e.specialist_email].append(e)
    per, logged_shares, ccs, ecs = [], [], [], []
    for s in specialists_in_scope(data.staff):
        mine, theirs = client_contacts[s.email], employer_contacts[s.email]
        community, logged = _v13_minutes(mine, theirs)
        per.append(SpecialistValue(s.email, 100 * community / scheduled_minutes(s.fte, data.full_time_hours)))
        if logged:
            logged_shares.append(percent(community, logged))
        ccs += [c.ref for c in mine]
        ecs += [e.ref for e in theirs]
    value = mean(p.value for p in per if p.value is not None)
    score = None if value is None else score_v13(value)
    extra = (("logged_pct", to_float(mean(v for v in logged_shares if v is not None))),)
    found = refs(client_contacts=ccs, employer_contacts=ecs)
    return ItemResult("V13", value, score, extra, found, tuple(per))


def _o1_specialist(s: StaffRow, active: list[ClientRow]) -> SpecialistValue | None:
    teams = set(s.team_refs)
    if not teams or len(teams) >= 3:
        return SpecialistValue(s.email, None, 2, "teams")
    share = percent(sum(c.treatment_team_ref in teams for c in active), len(active))
    if share is None:  # no active clients on A: left out of both means
        return None
    return SpecialistValue(s.email, share, score_o1_specialist(share))


def item_o1(data: ProgramData, as_of: date) -> ItemResult:
    """O1: integration by team assignment, per specialist, then averaged (metrics.md)."""
    active = _active_by_specialist(data, as_of)
    scope = specialists_in_scope(data.staff)
    per = [p for s in scope if (p := _o1_specialist(s, active.get(s.email, [])))]
    value = mean(p.value for p in per if p.value is not None)
    with_teams = any(0 < len(set(s.team_refs)) < 3 for s in scope)
    if not with_teams:
        score: int | None = 2
    else:
        scores = mean(p.score for p in per if p.score is not None)
        score = None if scores is None else round_half_up(scores)
    held = [c.ref for p in per if p.value is not None for c in active.get(p.email, [])]
    return ItemResult("O1", value, score, refs=refs(clients=held), by_specialist=tuple(per))


ITEM_FUNCTIONS = {
    "S1": item_s1,
    "V4": item_v4,
    "V6": item_v6,
    "V8": item_v8,
    "V9": item_v9,
    "V10": item_v10,
    "V13": item_v13,
    "O1": item_o1,
}


@dataclass(frozen=True, slots=True)
class FidelityResult:
    """The computed items and evidence of one programme on one date."""

    program: str
    as_of: date
    window: Window
    items: dict[str, ItemResult]
    evidence: dict[str, Evidence]  # key → FollowAlongEvidence, Rate, BenefitsEvidence, ...

    def refs(self, key: str) -> Refs:
        """The records behind an item's value or an evidence object."""
        if key in self.items:
            return self.items[key].refs
        return self.evidence[key].refs if key in self.evidence else Refs()

    def scores(self) -> dict[str, int | None]:
        """The computed score of each computed item."""
        return {key: item.score for key, item in self.items.items()}

    def as_json(self) -> dict[str, object]:
        """The JSON of ``fidelity compute --json`` (cli.md)."""
        return {
            "program": self.program,
            "as_of": self.as_of.isoformat(),
            "activity_window": self.window.as_json(),
            "items": {key: item.as_json() for key, item in self.items.items()},
            "evidence": {key: ev.as_json() for key, ev in self.evidence.items()},
        }


def compute_fidelity(
    data: ProgramData, as_of: date, contacts: ContactSummary | None = None
) -> FidelityResult:
    """Every computed item and evidence object of metrics.md for one programme as of A.

    ``contacts`` is what V12 and V2 read of the client contacts; without it, it is summarised from
    ``data.client_contacts`` (the database loader computes it in SQL and loads fewer contact rows).
    """
    contacts = contacts or summarise_contacts(data.client_contacts, as_of)
    return FidelityResult(
        program=data.program_ref,
        as_of=as_of,
        window=activity_window(as_of),
        items={key: fn(data, as_of) for key, fn in ITEM_FUNCTIONS.items()},
        evidence={
            key: fn(data, as_of, contacts) if key in READS_CONTACT_SUMMARY else fn(data, as_of)
            for key, fn in EVIDENCE_FUNCTIONS.items()
        },
    )
