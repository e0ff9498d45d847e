"""One client's records as plain, frozen rows: the input of the panels, the timeline and the home.

Built by ``caseload/principles/queries.py``; the pure functions of ``panels.py``, ``timeline.py``
and ``home.py`` take these and never see a session. The rows of ``caseload.rows`` carry what the
numbers need; the small wrappers here add what the pages show (titles, names, kinds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientFact,
    ClientRow,
    ContactFact,
    EmployerContactRow,
    JobFact,
    JobRow,
    MeasureFact,
    MeasureRow,
    VisitFact,
)


@dataclass(frozen=True, slots=True)
class JobLine:
    """A job: its row for the numbers, and what the pages say about it."""

    row: JobRow
    title: str
    employer_name: str
    not_competitive_because: tuple[str, ...] = ()
    end_reason: str | None = None

    def held_on(self, day: date) -> bool:
        """The job is held on ``day``."""
        return self.row.held_on(day)


@dataclass(frozen=True, slots=True)
class EmployerVisit:
    """An employer contact made for the client."""

    row: EmployerContactRow
    employer_name: str


@dataclass(frozen=True, slots=True)
class BenefitsLine:
    """A benefits counselling session."""

    row: BenefitsSessionRow
    kind: str


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A note on the client's timeline (e.g. the treatment team's note on work)."""

    ref: str
    noted_on: date
    kind: str


@dataclass(frozen=True, slots=True)
class StepLine:
    """An action step of the job search plan."""

    due_date: date | None
    done_on: date | None


@dataclass(frozen=True, slots=True)
class ClientFile:
    """Everything recorded about one client, as plain rows sorted oldest first."""

    client: ClientRow
    name: str
    specialist_name: str = ""
    team_name: str | None = None
    referral_ref: str | None = None
    referral_date: date | None = None
    profile_completed_on: date | None = None
    profile_updated_on: date | None = None
    plan_review_date: date | None = None
    plan_steps: tuple[StepLine, ...] = ()
    jobs: tuple[JobLine, ...] = ()
    contacts: tuple[ClientContactRow, ...] = ()
    employer_contacts: tuple[EmployerVisit, ...] = ()
    benefits: tuple[BenefitsLine, ...] = ()
    measures: tuple[MeasureRow, ...] = ()
    notes: tuple[NoteLine, ...] = ()
    # The programme's words for the client's preferred job types, in the same order.
    job_type_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TitledJob(JobFact):
    """A job as the home sees it: its dates and its title."""

    title: str


@dataclass(frozen=True, slots=True)
class HomeFile:
    """What the specialist's home reads of a client (``queries.caseload_files``): the client rules'
    facts, the jobs the home looks at, and the benefits sessions and measures to date."""

    client: ClientFact
    name: str
    jobs: tuple[TitledJob, ...] = ()
    contacts: tuple[ContactFact, ...] = ()
    employer_contacts: tuple[VisitFact, ...] = ()
    benefits: tuple[BenefitsLine, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
