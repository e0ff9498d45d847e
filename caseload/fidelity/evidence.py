"""Evidence for the IPS-25 judgement items (metrics.md "Fidelity evidence"): shown, never scored."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from caseload.fidelity.refs import Rate, Refs, rate, refs
from caseload.metrics import support
from caseload.metrics.codes import CLOSURE_REASONS, DECISIONS
from caseload.metrics.numbers import to_float
from caseload.metrics.periods import (
    V2_ENTERED_DAYS,
    V3_ENTERED_DAYS,
    Window,
    activity_window,
    days,
    held_through_first_month,
    job_year,
    v12_ended,
    v12_started,
)
from caseload.metrics.scope import jobs_obtained_in_ips
from caseload.rows import BenefitsSessionRow, ClientContactRow, JobRow, ProgramData

V12_RULES = ("pre_start", "within_3_days", "weekly_month1", "monthly", "job_loss")


# V12's windows lie in [A − 371, A]: from 7 days before the jobs started since A − 364. The database
# loads the contact days of that span only.
V12_SPAN = 371


@dataclass(frozen=True, slots=True)
class ContactSummary:
    """What V12 and V2 read of the client contacts, by client ref: the days with a face-to-face
    contact and the days with a contact that counts (V12), and how many disclosure contacts are dated
    on or before A (V2). ``fidelity.loading`` computes it in SQL, for the days of [A − 371, A]."""

    face_to_face: Mapping[str, set[date]]
    counting: Mapping[str, set[date]]
    disclosures: Mapping[str, int]


def summarise_contacts(contacts: Iterable[ClientContactRow], as_of: date) -> ContactSummary:
    """The ContactSummary of client contact rows as of A."""
    f2f: dict[str, set[date]] = defaultdict(set)
    counting: dict[str, set[date]] = defaultdict(set)
    talks: Counter[str] = Counter()
    for c in contacts:
        if c.purpose == "disclosure" and c.contact_date <= as_of:
            talks[c.client_ref] += 1
        if c.counts:
            counting[c.client_ref].add(c.contact_date)
        if c.face_to_face:
            f2f[c.client_ref].add(c.contact_date)
    return ContactSummary(dict(f2f), dict(counting), dict(talks))


def _sorted_days(found: Mapping[str, set[date]], jobs: list[JobRow]) -> dict[str, list[date]]:
    """The contact days of the jobs' clients, sorted for ``_seen``."""
    return {ref: sorted(found.get(ref, ())) for ref in {j.client_ref for j in jobs}}


def _seen(contact_days: list[date], window: Window) -> bool:
    """Whether any of the sorted ``contact_days`` falls in the window."""
    i = bisect_left(contact_days, window.start)
    return i < len(contact_days) and contact_days[i] <= window.end


def _windows(*blocks: support.Block) -> list[Window]:
    return [b.window for b in blocks]


def _pre_start(job: JobRow) -> list[Window]:
    return _windows(support.pre_start(job.start_date))


def _first_days(job: JobRow) -> list[Window]:
    return _windows(support.first_days(job.start_date))


def _after_loss(job: JobRow) -> list[Window]:
    assert job.end_date is not None
    return _windows(support.after_loss(job.end_date))


def _weeks_of_month1(job: JobRow) -> list[Window]:
    """Weeks 1 to 4 of the job (V12 counts the first week too, beside the weekly blocks 2 to 4)."""
    return _windows(*(support.week(job.start_date, k) for k in range(support.FIRST_WEEKS + 1)))


def _complete_months(as_of: date):
    return lambda job: _windows(*support.complete_months(job, as_of))


@dataclass(frozen=True, slots=True)
class FollowAlongEvidence:
    """V12: the five follow-along rules, each a Rate over jobs."""

    rates: tuple[tuple[str, Rate], ...]

    @property
    def refs(self) -> Refs:
        """Every job any of the rules looked at."""
        return refs(jobs=[j for _, r in self.rates for j in r.applicable])

    def as_json(self) -> dict[str, object]:
        """``{pre_start, within_3_days, weekly_month1, monthly, job_loss}``."""
        return {key: r.as_json() for key, r in self.rates}


def evidence_v12(
    data: ProgramData, as_of: date, contacts: ContactSummary | None = None
) -> FollowAlongEvidence:
    """V12 follow-along: contacts around job starts, through the first year, and after job loss."""
    clients = {c.ref: c for c in data.clients}
    contacts = contacts or summarise_contacts(data.client_contacts, as_of)
    started = [j for j in jobs_obtained_in_ips(data.jobs, clients) if j.start_date in v12_started(as_of)]
    held_month1 = [j for j in started if j.held_on(held_through_first_month(j.start_date))]
    with_blocks = [j for j in started if support.complete_months(j, as_of)]
    ended = [
        j for j in data.jobs if j.client_ref in clients and j.end_date and j.end_date in v12_ended(as_of)
    ]
    f2f = _sorted_days(contacts.face_to_face, started)
    counts = _sorted_days(contacts.counting, ended)

    def met(jobs: list[JobRow], windows, seen: dict[str, list[date]]) -> Rate:
        ok = [j.ref for j in jobs if all(_seen(seen[j.client_ref], w) for w in windows(j))]
        return rate("jobs", [j.ref for j in jobs], ok)

    return FollowAlongEvidence(
        (
            ("pre_start", met(started, _pre_start, f2f)),
            ("within_3_days", met(started, _first_days, f2f)),
            ("weekly_month1", met(held_month1, _weeks_of_month1, f2f)),
            ("monthly", met(with_blocks, _complete_months(as_of), f2f)),
            ("job_loss", met(ended, _after_loss, counts)),
        )
    )


@dataclass(frozen=True, slots=True)
class BenefitsEvidence:
    """V1: jobs with a benefits session before the start, and who held those sessions."""

    jobs: Rate
    sessions: Rate  # kind benefits_sessions; met = held by a trained planner

    @property
    def refs(self) -> Refs:
        """The jobs and the sessions."""
        return refs(jobs=self.jobs.applicable, benefits_sessions=self.sessions.applicable)

    def as_json(self) -> dict[str, object]:
        """``{jobs, with_session, pct, sessions, trained_sessions, trained_pct}``."""
        return {
            "jobs": len(self.jobs.applicable),
            "with_session": len(self.jobs.met),
            "pct": to_float(self.jobs.pct),
            "sessions": len(self.sessions.applicable),
            "trained_sessions": len(self.sessions.met),
            "trained_pct": to_float(self.sessions.pct),
        }


def evidence_v1(data: ProgramData, as_of: date) -> BenefitsEvidence:
    """V1: jobs obtained in the job year with a benefits session dated in [entry, start]."""
    clients = {c.ref: c for c in data.clients}
    year = job_year(as_of)
    jobs = [j for j in jobs_obtained_in_ips(data.jobs, clients) if j.start_date in year]
    of_client = defaultdict(list)
    for s in data.benefits_sessions:
        of_client[s.client_ref].append(s)
    with_session: list[str] = []
    sessions: dict[str, BenefitsSessionRow] = {}
    for j in jobs:
        before = Window(clients[j.client_ref].entry_date, j.start_date)
        found = [s for s in of_client[j.client_ref] if s.session_date in before]
        with_session += [j.ref] if found else []
        sessions.update((s.ref, s) for s in found)
    trained = [ref for ref, s in sessions.items() if s.trained_planner]
    return BenefitsEvidence(
        rate("jobs", [j.ref for j in jobs], with_session),
        rate("benefits_sessions", sessions, trained),
    )


def evidence_v2(data: ProgramData, as_of: date, contacts: ContactSummary | None = None) -> Rate:
    """V2: clients active on A with entry ≤ A − 60 who have ≥ 2 disclosure contacts by A."""
    talks = (contacts or summarise_contacts(data.client_contacts, as_of)).disclosures
    due = [
        c.ref for c in data.clients if c.active_on(as_of) and c.entry_date <= as_of - days(V2_ENTERED_DAYS)
    ]
    return rate("clients", due, [ref for ref in due if talks.get(ref, 0) >= 2])


def evidence_v3(data: ProgramData, as_of: date) -> Rate:
    """V3: clients active on A with entry ≤ A − 30 whose career profile was started by A."""
    due = [c for c in data.clients if c.active_on(as_of) and c.entry_date <= as_of - days(V3_ENTERED_DAYS)]
    started = [c.ref for c in due if c.profile_started_on and c.profile_started_on <= as_of]
    return rate("clients", [c.ref for c in due], started)


def evidence_v5(data: ProgramData, as_of: date) -> Rate:
    """V5: client-specific employer contacts in the window whose job type every client prefers."""
    window = activity_window(as_of)
    specialists = {s.email for s in data.staff if s.role == "specialist"}
    prefs = {c.ref: set(c.preferred_job_types) for c in data.clients}
    contacts = [
        e
        for e in data.employer_contacts
        if e.client_refs and e.job_type and e.specialist_email in specialists
        and e.contact_date in window
    ]  # fmt: skip
    met = [e.ref for e in contacts if all(e.job_type in prefs.get(r, ()) for r in e.client_refs)]
    return rate("employer_contacts", [e.ref for e in contacts], met)


@dataclass(frozen=True, slots=True)
class ReferralsEvidence:
    """O6: referrals received in the job year by decision, with every decline reason."""

    received: tuple[str, ...]
    by_decision: tuple[tuple[str, int], ...]
    decline_reasons: tuple[tuple[str, str | None], ...]

    @property
    def refs(self) -> Refs:
        """The referrals received."""
        return refs(referrals=self.received)

    def as_json(self) -> dict[str, object]:
        """``{received, by_decision, decline_reasons: [{ref, reason}]}``."""
        return {
            "received": len(self.received),
            "by_decision": dict(self.by_decision),
            "decline_reasons": [{"ref": r, "reason": why} for r, why in self.decline_reasons],
        }


def evidence_o6(data: ProgramData, as_of: date) -> ReferralsEvidence:
    """O6: referrals received in the job year, by decision, with decline reasons sorted by ref."""
    year = job_year(as_of)
    received = sorted((r for r in data.referrals if r.received_on in year), key=lambda r: r.ref)
    decisions = Counter(r.decision for r in received)
    return ReferralsEvidence(
        tuple(r.ref for r in received),
        tuple((d, decisions[d]) for d in DECISIONS),
        tuple((r.ref, r.reason) for r in received if r.decision == "declined"),
    )


@dataclass(frozen=True, slots=True)
class OutreachEvidence:
    """V14: closures in the job year by reason; outreach contacts in the activity window."""

    closed: tuple[str, ...]
    closures_by_reason: tuple[tuple[str, int], ...]
    outreach_contacts: tuple[str, ...]
    outreach_clients: tuple[str, ...]

    @property
    def refs(self) -> Refs:
        """The closed clients, the outreach contacts and their clients."""
        return refs(clients=self.closed + self.outreach_clients, client_contacts=self.outreach_contacts)

    def as_json(self) -> dict[str, object]:
        """``{closures, closures_by_reason, outreach_contacts, outreach_clients}``."""
        return {
            "closures": len(self.closed),
            "closures_by_reason": dict(self.closures_by_reason),
            "outreach_contacts": len(self.outreach_contacts),
            "outreach_clients": len(self.outreach_clients),
        }


def evidence_v14(data: ProgramData, as_of: date) -> OutreachEvidence:
    """V14: closures in the job year by reason; outreach contacts and clients in the window."""
    year, window = job_year(as_of), activity_window(as_of)
    closed = [c for c in data.clients if c.closed_on and c.closed_on in year]
    reasons = Counter(c.closure_reason or "other" for c in closed)
    outreach = [c for c in data.client_contacts if c.purpose == "outreach" and c.contact_date in window]
    return OutreachEvidence(
        tuple(sorted(c.ref for c in closed)),
        tuple((r, reasons[r]) for r in CLOSURE_REASONS),
        tuple(sorted(c.ref for c in outreach)),
        tuple(sorted({c.client_ref for c in outreach})),
    )


# The evidence functions that read the ContactSummary (compute_fidelity passes it to them).
READS_CONTACT_SUMMARY = frozenset({"V12", "V2"})


class Evidence(Protocol):
    """What every evidence object offers: the records behind it and its JSON."""

    @property
    def refs(self) -> Refs: ...

    def as_json(self) -> Mapping[str, object]: ...


EVIDENCE_FUNCTIONS: dict[str, Callable[..., Evidence]] = {
    "V12": evidence_v12,
    "V1": evidence_v1,
    "V2": evidence_v2,
    "V3": evidence_v3,
    "V5": evidence_v5,
    "O6": evidence_o6,
    "V14": evidence_v14,
}
