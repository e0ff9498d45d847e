"""The files and columns of the exchange bundle (../shared/spec/exchange-format.md, version 1).

Plain data only: every file's columns in the spec's order, their kind, whether they are required,
their code list or numeric range, what they refer to, and the key rows are sorted and upserted by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from caseload.metrics.codes import (
    BENEFITS_KINDS,
    CLIENT_CONTACT_MODES,
    CLOSURE_REASONS,
    DECISIONS,
    EMPLOYER_CONTACT_MODES,
    END_REASONS,
    LOCATIONS,
    PURPOSES,
    ROLES,
    STATUSES_AT_ENTRY,
    TIMEPOINTS,
)
from caseload.metrics.trial import (
    ASSESSMENT_MODES,
    NOT_DONE_REASONS,
    TRIAL_TIMEPOINTS,
)
from caseload.rows import FULL_TIME_HOURS

Value = str | int | bool | Decimal | date | datetime | tuple[str, ...] | None
"""A cell's typed value: text (text, ref, e-mail and code columns), a whole number, a boolean, a
decimal, a date, a time stamp, the items of a list column (``a;b``), or None for an empty cell."""

Values = dict[str, Value]
"""One row of a file: a typed value per column name."""


class Kind(Enum):
    """How a cell is read and written."""

    TEXT = "text"  # free text, kept as given
    REF = "ref"  # an identifier: letters, digits and . _ - : + only
    EMAIL = "email"  # a person's login identity, compared in lower case
    OWN_CODE = "own_code"  # a code of the programme's own coding (job types): no ';'
    CODE = "code"  # one of the column's codes
    DATE = "date"  # YYYY-MM-DD (dd.mm.yyyy accepted on import)
    TIMESTAMP = "timestamp"  # a UTC instant: YYYY-MM-DDTHH:MM:SS[.ffffff]Z
    BOOL = "bool"  # true/false (yes/no/1/0/sann/usann/ja/nei accepted on import)
    DECIMAL = "decimal"
    INT = "int"
    OWN_CODES = "own_codes"  # a ";"-separated list of OWN_CODE
    REFS = "refs"  # a ';'-separated list of REF


LIST_KINDS = frozenset({Kind.OWN_CODES, Kind.REFS})
# Dates outside these are typing errors (0024 for 2024), and year 1 or 9999 would overflow the
# date arithmetic of every rule downstream.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
INT_MAX = 2**31 - 1  # what every database stores in an INTEGER column


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a file."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    codes: tuple[str, ...] = ()
    low: Decimal | None = None  # inclusive unless low_open
    high: Decimal | None = None  # inclusive
    low_open: bool = False
    refers: str | None = None  # the entity a REF/EMAIL/REFS value names
    max_length: int = 200
    places: int = 2  # decimals stored (every decimal column is NUMERIC(_, 2))


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One file of the bundle: columns in the spec's order, its key, the entity it defines."""

    name: str  # e.g. "clients.csv"
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique per file; rows are written sorted by it
    entity: str | None = None  # the entity other files refer to by this file's key

    @property
    def stem(self) -> str:
        """The name without ``.csv`` (the sheet name in a workbook)."""
        return self.name.removesuffix(".csv")

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every column name, in the spec's order."""
        return tuple(c.name for c in self.columns)


NOTE = 4000  # free-text notes, purposes, outcomes, reasons

_ZERO = Decimal(0)


def _ref(name: str = "ref", refers: str | None = None, required: bool = True) -> Column:
    return Column(name, Kind.REF, required, refers=refers, max_length=40)


def _email(name: str, refers: str | None = "staff") -> Column:
    return Column(name, Kind.EMAIL, True, refers=refers, max_length=254)


def _code(name: str, codes: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, Kind.CODE, required, codes=codes, max_length=40)


def _own_code(name: str) -> Column:
    """A required code of the trial's own (an arm's, a factor's…)."""
    return Column(name, Kind.OWN_CODE, True, max_length=40)


def _date(name: str, required: bool = False) -> Column:
    return Column(name, Kind.DATE, required)


def _bool(name: str, required: bool = False) -> Column:
    return Column(name, Kind.BOOL, required)


def _text(name: str, required: bool = False, max_length: int = 200) -> Column:
    return Column(name, Kind.TEXT, required, max_length=max_length)


def _int(name: str, low: int, high: int = INT_MAX) -> Column:
    return Column(name, Kind.INT, low=Decimal(low), high=Decimal(high))


def _hours(required: bool) -> Column:
    return Column("hours_per_week", Kind.DECIMAL, required, low=_ZERO, high=Decimal(80), low_open=True)


def _wage() -> Column:
    return Column("hourly_wage", Kind.DECIMAL, low=_ZERO, high=Decimal("99999999.99"))


# Every record file may carry a void: the row is kept and travels, and counts in no number.
VOID = (_date("voided_on"), _text("void_reason", max_length=NOTE))
VOIDABLE = frozenset(
    {
        "referrals.csv",
        "employer_contacts.csv",
        "weekly_reviews.csv",
        "jobs.csv",
        "job_hours.csv",
        "benefits_sessions.csv",
        "client_contacts.csv",
        "outcome_measures.csv",
    }
)


def _client_record(name: str, entity: str, *columns: Column) -> FileSpec:
    """A file of a client's records: each one's ref, the client's ref, ``columns`` and the columns
    of a void; keyed by the ref."""
    return FileSpec(name, (_ref(), _ref("client_ref", "client"), *columns, *VOID), ("ref",), entity)


def _trial_set_up(name: str, *columns: Column) -> FileSpec:
    """A file of a trial's set-up: the trial's ref, ``columns`` (a ``code`` among them) and a
    position; keyed by the trial and the code."""
    return FileSpec(name, (_ref("trial_ref", "trial"), *columns, _int("position", 0)), ("trial_ref", "code"))


PROGRAMS = FileSpec(
    "programs.csv",
    (
        _ref(),
        _text("name", True),
        Column("full_time_hours", Kind.DECIMAL, low=_ZERO, high=Decimal(60), low_open=True),
    ),
    ("ref",),
    "program",
)
TREATMENT_TEAMS = FileSpec(
    "treatment_teams.csv",
    (_ref(), _ref("program_ref", "program"), _text("name", True)),
    ("ref",),
    "treatment_team",
)
STAFF = FileSpec(
    "staff.csv",
    (
        _email("email", refers=None),
        _text("name", True),
        _code("role", ROLES),
        _ref("program_ref", "program"),
        Column("fte", Kind.DECIMAL, low=_ZERO, high=Decimal("1.5")),
        Column("treatment_team_refs", Kind.REFS, refers="treatment_team", max_length=500),
        _bool("active"),
    ),
    ("email",),
    "staff",
)
REFERRALS = FileSpec(
    "referrals.csv",
    (
        _ref(),
        _ref("program_ref", "program"),
        _date("received_on", True),
        _text("source"),
        _code("decision", DECISIONS),
        _text("reason", max_length=NOTE),
        _ref("client_ref", "client", required=False),
        *VOID,
    ),
    ("ref",),
    "referral",
)
CLIENTS = FileSpec(
    "clients.csv",
    (
        _ref(),
        _ref("program_ref", "program"),
        _text("name", True),
        _date("birth_date"),
        _email("specialist_email"),
        _ref("treatment_team_ref", "treatment_team", required=False),
        _date("referral_date"),
        _date("entry_date", True),
        _code("status_at_entry", STATUSES_AT_ENTRY),
        Column("preferred_job_types", Kind.OWN_CODES, max_length=500),
        _date("profile_started_on"),
        _date("profile_completed_on"),
        _date("profile_updated_on"),
        Column("trial_arm", Kind.OWN_CODE, max_length=40),
        _date("closed_on"),
        _code("closure_reason", CLOSURE_REASONS, required=False),
    ),
    ("ref",),
    "client",
)
EMPLOYERS = FileSpec(
    "employers.csv",
    (_ref(), _text("name", True), _text("org_number", max_length=20), _text("industry")),
    ("ref",),
    "employer",
)
EMPLOYER_CONTACTS = FileSpec(
    "employer_contacts.csv",
    (
        _ref(),
        _date("contact_date", True),
        _email("specialist_email"),
        _ref("employer_ref", "employer"),
        _code("mode", EMPLOYER_CONTACT_MODES),
        Column("client_refs", Kind.REFS, refers="client", max_length=4000),
        Column("job_type", Kind.OWN_CODE, max_length=40),
        _int("minutes", 0),
        _text("purpose", max_length=NOTE),
        _text("outcome", max_length=NOTE),
        _text("person_name"),
        *VOID,
    ),
    ("ref",),
    "employer_contact",
)
WEEKLY_REVIEWS = FileSpec(
    "weekly_reviews.csv",
    (
        _email("specialist_email"),
        _date("week_start", True),
        _email("reviewer_email"),
        _date("reviewed_on", True),
        *VOID,
    ),
    ("specialist_email", "week_start"),
)
JOBS = _client_record(
    "jobs.csv",
    "job",
    _ref("employer_ref", "employer"),
    _text("title", True),
    Column("job_type", Kind.OWN_CODE, max_length=40),
    _date("start_date", True),
    _date("end_date"),
    _code("end_reason", END_REASONS, required=False),
    _hours(True),
    _wage(),
    _bool("open_to_anyone", True),
    _bool("min_wage_or_above", True),
    _bool("paid_by_employer", True),
    _bool("integrated_setting", True),
    _bool("set_aside", True),
    _bool("time_limited", True),
    _bool("found_with_ips"),
)
JOB_HOURS = FileSpec(
    "job_hours.csv",
    (_ref("job_ref", "job"), _date("effective_from", True), _hours(True), _wage(), *VOID),
    ("job_ref", "effective_from"),
)
BENEFITS_SESSIONS = _client_record(
    "benefits_sessions.csv",
    "benefits_session",
    _date("session_date", True),
    _code("kind", BENEFITS_KINDS),
    _text("planner_name"),
    _bool("trained_planner"),
    _text("notes", max_length=NOTE),
)
CLIENT_CONTACTS = _client_record(
    "client_contacts.csv",
    "client_contact",
    _email("staff_email"),
    _date("contact_date", True),
    _code("mode", CLIENT_CONTACT_MODES),
    _code("location", LOCATIONS, required=False),
    _int("minutes", 0),
    _code("purpose", PURPOSES),
    _text("notes", max_length=NOTE),
)
OUTCOME_MEASURES = _client_record(
    "outcome_measures.csv",
    "outcome_measure",
    _date("measured_on", True),
    _code("timepoint", TIMEPOINTS),
    *(_int(f"odi_{i}", 0, 5) for i in range(1, 11)),
    _int("eq_vas", 0, 100),
    _int("pain_nrs", 0, 10),
)

# The trial's files (docs/trial-exchange.md). The sealed seed or allocation list is in none of them.
TRIALS = FileSpec(
    "trials.csv",
    (
        _ref(),
        _ref("program_ref", "program"),
        _text("name", True),
        _text("registration_id", max_length=60),
        _int("target_enrolment", 0),
    ),
    ("ref",),
    "trial",
)
TRIAL_ARMS = FileSpec(
    "trial_arms.csv",
    (
        _ref("trial_ref", "trial"),
        _own_code("code"),
        _text("label", True),
        Column("ratio", Kind.INT, True, low=Decimal(1), high=Decimal(10)),
        _int("position", 0),
        _bool("refers_to_caseload", True),
    ),
    ("trial_ref", "code"),
)
TRIAL_TIMEPOINTS_FILE = _trial_set_up(
    "trial_timepoints.csv",
    _code("code", TRIAL_TIMEPOINTS),
    Column("window_days", Kind.INT, True, low=_ZERO, high=Decimal(180)),
)
TRIAL_ELIGIBILITY_ITEMS = _trial_set_up(
    "trial_eligibility_items.csv", _own_code("code"), _text("label", True, max_length=300)
)
TRIAL_FACTORS = _trial_set_up("trial_factors.csv", _own_code("code"), _text("label", True))
TRIAL_FACTOR_LEVELS = FileSpec(
    "trial_factor_levels.csv",
    (
        _ref("trial_ref", "trial"),
        _own_code("factor_code"),
        _own_code("code"),
        _text("label", True),
        _int("position", 0),
    ),
    ("trial_ref", "factor_code", "code"),
)
TRIAL_LOCKS = FileSpec(
    "trial_locks.csv",
    (
        _ref("trial_ref", "trial"),
        _date("locked_on", True),
        Column("locked_at", Kind.TIMESTAMP, True),
        _email("locked_by_email"),
    ),
    ("trial_ref", "locked_at"),
)
TRIAL_POST_LOCK_CORRECTIONS = FileSpec(
    "trial_post_lock_corrections.csv",
    (
        _ref("trial_ref", "trial"),
        Column("at", Kind.TIMESTAMP, True),
        _ref("record_ref"),
        _text("reason", True, max_length=NOTE),
        _email("by_email"),
    ),
    ("trial_ref", "at", "record_ref"),
)
TRIAL_SCREENINGS = FileSpec(
    "trial_screenings.csv",
    (
        _ref(),
        _ref("trial_ref", "trial"),
        _date("screened_on", True),
        _email("screened_by_email"),
        _text("person_name"),
        Column("criteria_met", Kind.OWN_CODES, max_length=500),
        _bool("eligible", True),
        Column("exclusion_reasons", Kind.OWN_CODES, max_length=200),
        _text("exclusion_note", max_length=500),
        _date("consent_on"),
    ),
    ("ref",),
    "screening",
)
TRIAL_PARTICIPANTS = FileSpec(
    "trial_participants.csv",
    (
        _ref(),
        _ref("trial_ref", "trial"),
        _ref("screening_ref", "screening"),
        _text("name", True),
        _date("birth_date"),
        _text("phone", max_length=40),
        _text("email", max_length=254),
        _text("address", max_length=500),
        _text("stratum", max_length=300),
        _date("enrolled_on", True),
        _email("enrolled_by_email"),
        _date("withdrawn_on"),
        _text("withdrawal_reason", max_length=500),
        _bool("data_may_be_kept"),
        _ref("referral_ref", "referral", required=False),
    ),
    ("ref",),
    "participant",
)
TRIAL_ALLOCATIONS = FileSpec(
    "trial_allocations.csv",
    (
        _ref("participant_ref", "participant"),
        _text("stratum", max_length=300),
        Column("sequence", Kind.INT, True, low=Decimal(1), high=Decimal(INT_MAX)),
        _own_code("arm_code"),
        Column("allocated_at", Kind.TIMESTAMP, True),
        _email("allocated_by_email"),
        _text("annotation", max_length=NOTE),
        Column("annotated_at", Kind.TIMESTAMP),
        Column("annotated_by_email", Kind.EMAIL, refers="staff", max_length=254),
    ),
    ("participant_ref",),
)
TRIAL_ASSESSMENTS = FileSpec(
    "trial_assessments.csv",
    (
        _ref(),
        _ref("participant_ref", "participant"),
        _code("timepoint", TRIAL_TIMEPOINTS),
        _date("done_on"),
        _code("not_done_reason", NOT_DONE_REASONS, required=False),
        _code("mode", ASSESSMENT_MODES, required=False),
        _email("assessor_email"),
        *(_int(f"odi_{i}", 0, 5) for i in range(1, 11)),
        _int("eq_vas", 0, 100),
        _int("pain_nrs", 0, 10),
        _bool("competitive_job"),
        Column("hours_per_week", Kind.DECIMAL, low=_ZERO, high=Decimal(100), places=1),
        _int("sick_leave_pct", 0, 100),
        Column("benefits", Kind.OWN_CODES, max_length=200),
        _int("disability_pension_pct", 0, 100),
        _bool("any_competitive_job"),
        _int("weeks_worked", 0, 110),
        _int("days_worked", 0, 800),
        Column("hours_worked", Kind.DECIMAL, low=_ZERO, high=Decimal(6000), places=1),
    ),
    ("ref",),
)
TRIAL_UNMASKING_EVENTS = FileSpec(
    "trial_unmasking_events.csv",
    (
        _ref("participant_ref", "participant"),
        _email("assessor_email"),
        Column("at", Kind.TIMESTAMP, True),
        _text("note", max_length=1000),
    ),
    ("participant_ref", "at", "assessor_email"),
)
TRIAL_FILES: tuple[FileSpec, ...] = (
    TRIALS,
    TRIAL_ARMS,
    TRIAL_TIMEPOINTS_FILE,
    TRIAL_ELIGIBILITY_ITEMS,
    TRIAL_FACTORS,
    TRIAL_FACTOR_LEVELS,
    TRIAL_SCREENINGS,
    TRIAL_PARTICIPANTS,
    TRIAL_ALLOCATIONS,
    TRIAL_ASSESSMENTS,
    TRIAL_UNMASKING_EVENTS,
    TRIAL_LOCKS,
    TRIAL_POST_LOCK_CORRECTIONS,
)

FILES: tuple[FileSpec, ...] = (
    PROGRAMS,
    TREATMENT_TEAMS,
    STAFF,
    REFERRALS,
    CLIENTS,
    EMPLOYERS,
    EMPLOYER_CONTACTS,
    WEEKLY_REVIEWS,
    JOBS,
    JOB_HOURS,
    BENEFITS_SESSIONS,
    CLIENT_CONTACTS,
    OUTCOME_MEASURES,
    *TRIAL_FILES,
)
BY_NAME = {f.name: f for f in FILES}
BY_STEM = {f.stem: f for f in FILES}

# What an empty optional cell means once stored (the spec's "default" values).
DEFAULTS: dict[tuple[str, str], Value] = {
    ("programs.csv", "full_time_hours"): FULL_TIME_HOURS,
    ("staff.csv", "fte"): Decimal("1.0"),
    ("staff.csv", "active"): True,
    ("employer_contacts.csv", "minutes"): 0,
    ("jobs.csv", "found_with_ips"): True,
    ("benefits_sessions.csv", "trained_planner"): False,
    ("client_contacts.csv", "minutes"): 0,
    ("trial_participants.csv", "data_may_be_kept"): True,
}


def default_location(mode: str | None) -> str:
    """A client contact's location when none is given: office face to face, remote otherwise."""
    return "office" if mode == "face_to_face" else "remote"
