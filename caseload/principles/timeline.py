"""One chronological view of everything recorded about a client (pure over plain rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from caseload.benefits.forms import KIND_LABELS
from caseload.clients.forms import CLOSURE_LABELS
from caseload.contacts.forms import MODE_LABELS, PURPOSE_LABELS
from caseload.jobs.forms import END_REASON_LABELS
from caseload.principles.records import ClientFile

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


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    kind: str
    text: object
    ref: str | None = None


def _client_events(f: ClientFile) -> list[Event]:
    c = f.client
    events = [Event(c.entry_date, "entry", _("Entered the programme"), c.ref)]
    if f.referral_date:
        events.append(Event(f.referral_date, "referral", _("Referral received"), f.referral_ref))
    if c.profile_started_on:
        events.append(Event(c.profile_started_on, "profile", _("Career profile started"), None))
    if f.profile_completed_on:
        events.append(Event(f.profile_completed_on, "profile", _("Career profile completed"), None))
    if f.profile_updated_on and f.profile_updated_on not in (c.profile_started_on, f.profile_completed_on):
        events.append(Event(f.profile_updated_on, "profile", _("Career profile updated"), None))
    if c.closed_on:
        reason = CLOSURE_LABELS.get(c.closure_reason or "", c.closure_reason)
        events.append(Event(c.closed_on, "closure", _("Closed: %(r)s", r=reason), c.ref))
    return events


def _job_events(f: ClientFile) -> list[Event]:
    events = []
    for j in f.jobs:
        text = _(
            "Started as %(t)s at %(e)s, %(h)s hours a week",
            t=j.title,
            e=j.employer_name,
            h=j.row.hours_per_week,
        )
        events.append(Event(j.row.start_date, "job_start", text, j.row.ref))
        for h in j.row.hours_changes:
            text = _("%(t)s: %(h)s hours a week from now", t=j.title, h=h.hours_per_week)
            events.append(Event(h.effective_from, "hours", text, j.row.ref))
        if j.row.end_date:
            why = END_REASON_LABELS.get(j.end_reason or "", j.end_reason)
            events.append(
                Event(j.row.end_date, "job_end", _("Job ended: %(t)s (%(r)s)", t=j.title, r=why), j.row.ref)
            )
    return events


def _contact_events(f: ClientFile, clinician: bool) -> list[Event]:
    events = []
    for k in f.contacts:
        text = _(
            "Contact: %(p)s, %(m)s, %(n)d min",
            p=PURPOSE_LABELS.get(k.purpose, k.purpose),
            m=MODE_LABELS.get(k.mode, k.mode),
            n=k.minutes,
        )
        events.append(Event(k.contact_date, "contact", text, k.ref))
    for b in f.benefits:
        text = _("Benefits counselling (%(k)s)", k=KIND_LABELS.get(b.kind, b.kind))
        events.append(Event(b.row.session_date, "benefits", text, b.row.ref))
    for e in f.employer_contacts:
        text = (
            _("Employer contact for the client")
            if clinician
            else _("Employer contact: %(e)s (%(m)s)", e=e.employer_name, m=e.row.mode.replace("_", " "))
        )
        events.append(Event(e.row.contact_date, "employer", text, None if clinician else e.row.ref))
    return events


def timeline_for(f: ClientFile, *, clinician: bool = False) -> list[Event]:
    """Newest first. Clinicians get no employer-contact details (and no notes of any kind)."""
    events = _client_events(f) + _job_events(f) + _contact_events(f, clinician)
    events += [
        Event(m.measured_on, "measure", _("Questionnaires (%(t)s)", t=m.timepoint), m.ref) for m in f.measures
    ]
    events += [Event(n.noted_on, "note", _("Treatment team note on work"), n.ref) for n in f.notes]
    return sorted(events, key=lambda e: (e.on, ORDER.index(e.kind), e.ref or ""), reverse=True)


def client_timeline(records, *, clinician: bool = False) -> list[Event]:
    """The timeline from a client's loaded records (``queries.ClientRecords``)."""
    return timeline_for(records.file, clinician=clinician)
