"""Where each file of the bundle lives in the database: its table, key, links and plain columns.

A link is a bundle column naming another record (``program_ref``, ``specialist_email``) stored as a
foreign key (``program_id``, ``specialist_id``); a list link (``client_refs``) is an association
table. Everything else is a plain column with the same name in the bundle and in the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import Base
from caseload.employers.models import (
    Employer,
    EmployerContact,
    WeeklyReview,
    employer_contact_clients,
)
from caseload.exchange import schema
from caseload.jobs.models import Job, JobHours
from caseload.outcomes.models import OutcomeMeasure
from caseload.teams.models import Program, TreatmentTeam, user_teams
from caseload.trial.models import Participant, Screening, Trial


def model_table(model: type[Base]) -> Table:
    """A model's table (typed as the Table it is, not as any FROM clause)."""
    return cast(Table, model.__table__)


@dataclass(frozen=True, slots=True)
class Link:
    """A bundle column naming one record, stored as a foreign key."""

    column: str  # e.g. "program_ref"
    db_column: str  # e.g. "program_id"
    entity: str  # e.g. "program"


@dataclass(frozen=True, slots=True)
class Many:
    """A bundle list column naming records, stored in an association table."""

    column: str  # e.g. "client_refs"
    table: Table
    own: str  # the association's column for the record itself
    other: str  # the association's column for the named record
    entity: str


@dataclass(frozen=True, slots=True)
class Target:
    """One file's table and how its columns are stored."""

    spec: schema.FileSpec
    model: type[Base]
    key: tuple[str, ...]  # table columns identifying a row
    links: tuple[Link, ...] = ()
    many: Many | None = None
    owner: str | None = None  # how a row belongs to a programme: see export.program_filter
    plain: tuple[str, ...] = field(init=False)  # the columns stored as they are (naming no record)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plain", tuple(c.name for c in self.spec.columns if not c.refers))

    @property
    def table(self) -> Table:
        """The model's table."""
        return model_table(self.model)

    @property
    def versioned(self) -> bool:
        """Rows carry a version (edits from an older version conflict)."""
        return "version" in self.table.c

    @property
    def stored(self) -> tuple[str, ...]:
        """Every table column the bundle sets."""
        return (*self.plain, *(link.db_column for link in self.links))


# entity → (table, the column other files name it by, the column holding its fact for the checks)
ENTITIES: dict[str, tuple[Table, str, str | None]] = {
    "program": (model_table(Program), "ref", None),
    "treatment_team": (model_table(TreatmentTeam), "ref", None),
    "staff": (model_table(User), "email", "role"),
    "client": (model_table(Client), "ref", None),
    "employer": (model_table(Employer), "ref", None),
    "job": (model_table(Job), "ref", "start_date"),
    "referral": (model_table(Referral), "ref", None),
    "trial": (model_table(Trial), "ref", None),
    "screening": (model_table(Screening), "ref", None),
    "participant": (model_table(Participant), "ref", None),
}

_PROGRAM = Link("program_ref", "program_id", "program")
_CLIENT = Link("client_ref", "client_id", "client")


TARGETS: tuple[Target, ...] = (
    Target(schema.PROGRAMS, Program, ("ref",), owner="program"),
    Target(schema.TREATMENT_TEAMS, TreatmentTeam, ("ref",), (_PROGRAM,), owner="self"),
    Target(
        schema.STAFF,
        User,
        ("email",),
        (_PROGRAM,),
        Many("treatment_team_refs", user_teams, "user_id", "team_id", "treatment_team"),
        owner="self",
    ),
    Target(schema.EMPLOYERS, Employer, ("ref",)),
    Target(
        schema.CLIENTS,
        Client,
        ("ref",),
        (
            _PROGRAM,
            Link("specialist_email", "specialist_id", "staff"),
            Link("treatment_team_ref", "treatment_team_id", "treatment_team"),
        ),
        owner="self",
    ),
    Target(schema.REFERRALS, Referral, ("ref",), (_PROGRAM, _CLIENT), owner="self"),
    Target(
        schema.EMPLOYER_CONTACTS,
        EmployerContact,
        ("ref",),
        (
            Link("specialist_email", "specialist_id", "staff"),
            Link("employer_ref", "employer_id", "employer"),
        ),
        Many("client_refs", employer_contact_clients, "employer_contact_id", "client_id", "client"),
        owner="specialist",
    ),
    Target(
        schema.WEEKLY_REVIEWS,
        WeeklyReview,
        ("specialist_id", "week_start"),
        (
            Link("specialist_email", "specialist_id", "staff"),
            Link("reviewer_email", "reviewer_id", "staff"),
        ),
        owner="specialist",
    ),
    Target(
        schema.JOBS, Job, ("ref",), (_CLIENT, Link("employer_ref", "employer_id", "employer")), owner="client"
    ),
    Target(
        schema.JOB_HOURS,
        JobHours,
        ("job_id", "effective_from"),
        (Link("job_ref", "job_id", "job"),),
        owner="job",
    ),
    Target(schema.BENEFITS_SESSIONS, BenefitsSession, ("ref",), (_CLIENT,), owner="client"),
    Target(
        schema.CLIENT_CONTACTS,
        ClientContact,
        ("ref",),
        (_CLIENT, Link("staff_email", "staff_id", "staff")),
        owner="client",
    ),
    Target(schema.OUTCOME_MEASURES, OutcomeMeasure, ("ref",), (_CLIENT,), owner="client"),
)
BY_FILE = {target.spec.name: target for target in TARGETS}
