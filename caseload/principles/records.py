"""One client's records as plain, frozen rows: the input of the panels, the timeline and the home.

Built by ``caseload/principles/queries.py``; the pure functions of ``panels.py``, ``timeline.py``
and ``home.py`` take these and never see a session. The rows of ``caseload.rows`` carry what the
numbers need; the types here add what the pages show (titles, names, kinds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload.prompts.facts import ClientFacts
from caseload.rows import (
    BenefitsSessionRow,
    ClientContactRow,
    ClientRow,
    EmployerContactRow,
    JobFact,
    JobRow,
    MeasureRow,
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


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployerVisit(EmployerContactRow):
    """An employer contact made for the client, with the employer's name."""

    employer_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitsLine(BenefitsSessionRow):
    """A benefits counselling session, with its kind."""

    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteLine:
    """A note on the client's timeline (e.g. the treatment team's note on work)."""

    ref: str
    noted_on: date
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StepLine:
    """An action step of the job search plan."""

    due_date: date | None
    done_on: date | None


@dataclass(frozen=True, slots=True)
class ClientFile:
    """Everything recorded about one client, as plain rows sorted oldest first."""

    client: ClientRow
    name: str
    specialist_name: str
    team_name: str | None
    referral_ref: str | None
    referral_date: date | None
    profile_completed_on: date | None
    profile_updated_on: date | None
    plan_review_date: date | None
    plan_steps: tuple[StepLine, ...]
    jobs: tuple[JobLine, ...]
    contacts: tuple[ClientContactRow, ...]
    employer_contacts: tuple[EmployerVisit, ...]
    benefits: tuple[BenefitsLine, ...]
    measures: tuple[MeasureRow, ...]
    notes: tuple[NoteLine, ...]
    # The programme's words for the client's preferred job types, in the same order.
    job_type_names: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TitledJob(JobFact):
    """A job as the home sees it: its dates and its title."""

    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeFile(ClientFacts):
    """What the specialist's home reads of a client (``queries.caseload_files``): the client rules'
    facts with the client's name and the titles of the jobs the home looks at."""

    name: str
    jobs: tuple[TitledJob, ...] = ()
