"""Where each file of the bundle lives in the database: its table, key, links and plain columns.

A link is a bundle column naming another record (``program_ref``, ``specialist_email``) stored as a
foreign key (``program_id``, ``specialist_id``); a list link (``client_refs``) is an association
table. Everything else is a plain column with the same name in the bundle and in the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
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
    model: type
    key: tuple[str, ...]  # table columns identifying a row
    links: tuple[Link, ...] = ()
    plain: tuple[str, ...] = ()
    many: Many | None = None
    owner: str | None = None  # how a row belongs to a programme: see export.program_filter

    @property
    def table(self) -> Table:
        """The model's table."""
        return self.model.__table__

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
    "program": (Program.__table__, "ref", None),
    "treatment_team": (TreatmentTeam.__table__, "ref", None),
    "staff": (User.__table__, "email", "role"),
    "client": (Client.__table__, "ref", None),
    "employer": (Employer.__table__, "ref", None),
    "job": (Job.__table__, "ref", "start_date"),
    "referral": (Referral.__table__, "ref", None),
    "trial": (Trial.__table__, "ref", None),
    "screening": (Screening.__table__, "ref", None),
    "participant": (Participant.__table__, "ref", None),
}

_PROGRAM = Link("program_ref", "program_id", "program")
_CLIENT = Link("client_ref", "client_id", "client")


def _plain(spec: schema.FileSpec) -> tuple[str, ...]:
    return tuple(c.name for c in spec.columns if not c.refers)


TARGETS: tuple[Target, ...] = (
    Target(schema.PROGRAMS, Program, ("ref",), plain=_plain(schema.PROGRAMS), owner="program"),
    Target(
        schema.TREATMENT_TEAMS,
        TreatmentTeam,
        ("ref",),
        (_PROGRAM,),
        ("ref", "name"),
        owner="self",
    ),
    Target(
        schema.STAFF,
        User,
        ("email",),
        (_PROGRAM,),
        _plain(schema.STAFF),
        Many("treatment_team_refs", user_teams, "user_id", "team_id", "treatment_team"),
        owner="self",
    ),
    Target(schema.EMPLOYERS, Employer, ("ref",), plain=_plain(schema.EMPLOYERS)),
    Target(
        schema.CLIENTS,
        Client,
        ("ref",),
        (
            _PROGRAM,
            Link("specialist_email", "specialist_id", "staff"),
            Link("treatment_team_ref", "treatment_team_id", "treatment_team"),
        ),
        _plain(schema.CLIENTS),
        owner="self",
    ),
    Target(
        schema.REFERRALS,
        Referral,
        ("ref",),
        (_PROGRAM, _CLIENT),
        _plain(schema.REFERRALS),
        owner="self",
    ),
    Target(
        schema.EMPLOYER_CONTACTS,
        EmployerContact,
        ("ref",),
        (
            Link("specialist_email", "specialist_id", "staff"),
            Link("employer_ref", "employer_id", "employer"),
        ),
        _plain(schema.EMPLOYER_CONTACTS),
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
        ("week_start", "reviewed_on", "voided_on", "void_reason"),
        owner="specialist",
    ),
    Target(
        schema.JOBS,
        Job,
        ("ref",),
        (_CLIENT, Link("employer_ref", "employer_id", "employer")),
        _plain(schema.JOBS),
        owner="client",
    ),
    Target(
        schema.JOB_HOURS,
        JobHours,
        ("job_id", "effective_from"),
        (Link("job_ref", "job_id", "job"),),
        _plain(schema.JOB_HOURS),
        owner="job",
    ),
    Target(
        schema.BENEFITS_SESSIONS,
        BenefitsSession,
        ("ref",),
        (_CLIENT,),
        _plain(schema.BENEFITS_SESSIONS),
        owner="client",
    ),
    Target(
        schema.CLIENT_CONTACTS,
        ClientContact,
        ("ref",),
        (_CLIENT, Link("staff_email", "staff_id", "staff")),
        _plain(schema.CLIENT_CONTACTS),
        owner="client",
    ),
    Target(
        schema.OUTCOME_MEASURES,
        OutcomeMeasure,
        ("ref",),
        (_CLIENT,),
        _plain(schema.OUTCOME_MEASURES),
        owner="client",
    ),
)
BY_FILE = {target.spec.name: target for target in TARGETS}
