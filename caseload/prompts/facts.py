"""A client's records as the prompt rules see them: grouped, sorted, and dated on or before t."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from caseload.rows import (
    BenefitsFact,
    ClientFact,
    ContactFact,
    JobFact,
    MeasureFact,
    ProgramData,
    RuleData,
    VisitFact,
)


class HasRef(Protocol):
    @property
    def ref(self) -> str: ...


R = TypeVar("R", bound=HasRef)


# What the prompt rules read: a sweep's or one client's narrow rows, or a programme's full rows.
RuleInput = RuleData | ProgramData


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """One client and the records about them that are dated on or before t, oldest first."""

    client: ClientFact
    contacts: tuple[ContactFact, ...] = ()
    employer_contacts: tuple[VisitFact, ...] = ()
    benefits: tuple[BenefitsFact, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
    jobs: tuple[JobFact, ...] = ()


def first_ref(rows: Iterable[R], pred: Callable[[R], bool]) -> str | None:
    """The ref of the first row that passes ``pred``, or None."""
    return next((r.ref for r in rows if pred(r)), None)


def client_facts(data: RuleInput, t: date) -> list[ClientFacts]:
    """Group the programme's records by client, keeping those dated on or before ``t``."""
    contacts = _group((x for x in data.client_contacts if x.contact_date <= t), _contact_order)
    employer: dict[str, list[VisitFact]] = defaultdict(list)
    for x in sorted(data.employer_contacts, key=lambda x: (x.contact_date, x.ref)):
        if x.contact_date <= t:
            for ref in dict.fromkeys(x.client_refs):
                employer[ref].append(x)
    benefits = _group(
        (b for b in data.benefits_sessions if b.session_date <= t),
        lambda b: (b.session_date, b.ref),
    )
    measures = _group((m for m in data.measures if m.measured_on <= t), lambda m: (m.measured_on, m.ref))
    jobs = _group(data.jobs, lambda j: (j.start_date, j.ref))
    return [
        ClientFacts(
            c,
            tuple(contacts[c.ref]),
            tuple(employer[c.ref]),
            tuple(benefits[c.ref]),
            tuple(measures[c.ref]),
            tuple(jobs[c.ref]),
        )
        for c in sorted(data.clients, key=lambda c: c.ref)
    ]


def _contact_order(x: ContactFact) -> tuple[date, str]:
    return (x.contact_date, x.ref)


def _group(rows: Iterable, order: Callable) -> defaultdict[str, list]:
    grouped: defaultdict[str, list] = defaultdict(list)
    for r in sorted(rows, key=order):
        grouped[r.client_ref].append(r)
    return grouped
