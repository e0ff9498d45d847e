"""One chronological view of everything recorded about a client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from caseload.principles.queries import ClientRecords


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    kind: str
    text: object
    ref: str | None = None


def client_timeline(r: ClientRecords, *, clinician: bool = False) -> list[Event]:
    """Newest first. Clinicians get no benefits notes and no employer-contact details."""
    c = r.client
    events = [Event(c.entry_date, "entry", _l("Entered the programme"), c.ref)]
    if r.referral:
        events.append(Event(r.referral.received_on, "referral", _l("Referral received"), r.referral.ref))
    if c.closed_on:
        events.append(Event(c.closed_on, "closure", _l("Closed: %(r)s", r=c.closure_reason), c.ref))
    for j in r.jobs:
        events.append(Event(j.start_date, "job_start", _l("Started as %(t)s", t=j.title), j.ref))
        if j.end_date:
            events.append(Event(j.end_date, "job_end", _l("Job ended: %(t)s", t=j.title), j.ref))
    for k in r.contacts:
        events.append(
            Event(
                k.contact_date,
                "contact",
                _l("Contact (%(p)s, %(m)s)", p=k.purpose, m=k.mode),
                k.ref,
            )
        )
    for b in r.benefits:
        events.append(Event(b.session_date, "benefits", _l("Benefits counselling session"), b.ref))
    if not clinician:
        for e in r.employer_contacts:
            events.append(
                Event(
                    e.contact_date,
                    "employer",
                    _l("Employer contact: %(e)s", e=e.employer.name),
                    e.ref,
                )
            )
    for m in r.measures:
        events.append(Event(m.measured_on, "measure", _l("Questionnaires (%(t)s)", t=m.timepoint), m.ref))
    for n in r.notes:
        events.append(Event(n.noted_on, "note", _l("Treatment team note on work"), n.ref))
    return sorted(events, key=lambda e: (e.on, e.kind), reverse=True)
