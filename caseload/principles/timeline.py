"""One chronological view of everything recorded about a client (pure over plain rows).

A long history has hundreds of events: the timeline sorts them all but words (translates and
formats) only those it returns, so showing the latest ones costs the same for any history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Generic, TypeVar

from caseload.l10n import gettext as _
from caseload.labels import CLOSURE_LABELS, END_REASON_LABELS, KIND_LABELS, MODE_LABELS, PURPOSE_LABELS, label
from caseload.principles.records import BenefitsLine, ClientFile, EmployerVisit, JobLine
from caseload.rows import ClientContactRow, HoursChangeRow, MeasureRow

# Same-day events in the order they happen: entry before contacts, a job start before its end.
ORDER = (
    "referral",
    "entry",
    "profile",
    "contact",
    "benefits",
    "employer",
    "job_start",
    "hours",
    "job_end",
    "measure",
    "note",
    "closure",
)
RANK = {kind: i for i, kind in enumerate(ORDER)}


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Event(Generic[T]):
    """An event of the timeline; ``text`` its words, or before they are worded the call that words it."""

    on: date
    kind: str
    text: T
    ref: str | None = None

    @property
    def order(self) -> tuple:
        return (self.on, RANK[self.kind], self.ref or "")


_Unworded = Event[Callable[[], object]]


def _client_events(f: ClientFile) -> list[_Unworded]:
    c = f.client
    events: list[_Unworded] = [Event(c.entry_date, "entry", lambda: _("Entered the programme"), c.ref)]
    if f.referral_date:
        events.append(Event(f.referral_date, "referral", lambda: _("Referral received"), f.referral_ref))
    if c.profile_started_on:
        events.append(Event(c.profile_started_on, "profile", lambda: _("Career profile started")))
    if f.profile_completed_on:
        events.append(Event(f.profile_completed_on, "profile", lambda: _("Career profile completed")))
    if f.profile_updated_on and f.profile_updated_on not in (c.profile_started_on, f.profile_completed_on):
        events.append(Event(f.profile_updated_on, "profile", lambda: _("Career profile updated")))
    if c.closed_on:
        events.append(Event(c.closed_on, "closure", partial(_closed, c.closure_reason), c.ref))
    return events


def _closed(reason: str | None) -> str:
    return _("Closed: %(r)s", r=CLOSURE_LABELS.get(reason or "", reason))


def _job_events(f: ClientFile) -> list[_Unworded]:
    events: list[_Unworded] = []
    for j in f.jobs:
        events.append(Event(j.row.start_date, "job_start", partial(_started, j), j.row.ref))
        for h in j.row.hours_changes:
            events.append(Event(h.effective_from, "hours", partial(_hours, j, h), j.row.ref))
        if j.row.end_date:
            events.append(Event(j.row.end_date, "job_end", partial(_ended, j), j.row.ref))
    return events


def _started(j: JobLine) -> str:
    return _(
        "Started as %(t)s at %(e)s, %(h)s hours a week", t=j.title, e=j.employer_name, h=j.row.hours_per_week
    )


def _hours(j: JobLine, h: HoursChangeRow) -> str:
    return _("%(t)s: %(h)s hours a week from now", t=j.title, h=h.hours_per_week)


def _ended(j: JobLine) -> str:
    why = END_REASON_LABELS.get(j.end_reason or "", j.end_reason)
    return _("Job ended: %(t)s (%(r)s)", t=j.title, r=why)


def _contact_events(f: ClientFile, clinician: bool) -> list[_Unworded]:
    events: list[_Unworded] = [
        Event(k.contact_date, "contact", partial(_contact, k), k.ref) for k in f.contacts
    ]
    events += [Event(b.session_date, "benefits", partial(_benefits, b), b.ref) for b in f.benefits]
    for e in f.employer_contacts:
        if clinician:
            events.append(Event(e.contact_date, "employer", lambda: _("Employer contact for the client")))
        else:
            events.append(Event(e.contact_date, "employer", partial(_visit, e), e.ref))
    return events


def _contact(k: ClientContactRow) -> str:
    return _(
        "Contact: %(p)s, %(m)s, %(n)d min",
        p=PURPOSE_LABELS.get(k.purpose, k.purpose),
        m=MODE_LABELS.get(k.mode, k.mode),
        n=k.minutes,
    )


def _benefits(b: BenefitsLine) -> str:
    return _("Benefits counselling (%(k)s)", k=KIND_LABELS.get(b.kind, b.kind))


def _visit(e: EmployerVisit) -> str:
    return _("Employer contact: %(e)s (%(m)s)", e=e.employer_name, m=e.mode.replace("_", " "))


def _measure(m: MeasureRow) -> str:
    return _("Questionnaires (%(t)s)", t=label(m.timepoint, "timepoint"))


def timeline_for(f: ClientFile, *, clinician: bool = False, limit: int | None = None) -> list[Event[object]]:
    """Newest first, the latest ``limit`` events (all without one). Clinicians get no employer-contact
    details (and no notes of any kind)."""
    events = _client_events(f) + _job_events(f) + _contact_events(f, clinician)
    events += [Event(m.measured_on, "measure", partial(_measure, m), m.ref) for m in f.measures]
    events += [Event(n.noted_on, "note", lambda: _("Treatment team note on work"), n.ref) for n in f.notes]
    events.sort(key=lambda e: e.order, reverse=True)
    return [Event(e.on, e.kind, e.text(), e.ref) for e in events[:limit]]
