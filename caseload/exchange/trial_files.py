"""The trial's files of the bundle (docs/trial-exchange.md): where each one's rows live, and the
query that exports them, sorted by the file's key.

Refs, codes and e-mails name the records, never ids. The trial's sealed seed or allocation list
(``trials.allocation_*``) is in no file: it never leaves the key store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, FromClause, Select, String, Table, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Referral
from caseload.exchange import schema
from caseload.exchange.queries import program_filter
from caseload.teams.models import Program
from caseload.trial.models import (
    Allocation,
    Assessment,
    Participant,
    PostLockCorrection,
    Screening,
    Trial,
    TrialArm,
    TrialEligibilityItem,
    TrialFactor,
    TrialFactorLevel,
    TrialLock,
    TrialTimepoint,
    UnmaskingEvent,
)


def model_table(model: Any) -> Table:
    """A model's table (typed as the Table it is)."""
    return cast(Table, model.__table__)


@dataclass(frozen=True, slots=True)
class Ref:
    """A bundle column naming a record by ``key`` of ``table``, stored as ``db_column``."""

    column: str
    db_column: str
    table: Table
    key: str = "ref"


@dataclass(frozen=True, slots=True)
class TrialTarget:
    """One trial file's table, its key (bundle columns), the columns naming other records, the
    plain columns (same name in the bundle and the table) and how a row belongs to a programme."""

    spec: schema.FileSpec
    model: Any  # a trial model class
    key: tuple[str, ...]
    refs: tuple[Ref, ...]
    owner: str  # "self" (program_id), "trial" (trial_id), "participant" (participant_id), "factor"
    by_code: tuple[str, ...] = ()  # columns naming a record by its code within the trial

    @property
    def table(self) -> Table:
        """The model's table."""
        return self.model.__table__

    @property
    def plain(self) -> tuple[str, ...]:
        """Columns stored as they are (the lists too, as ``a;b``)."""
        named = {ref.column for ref in self.refs} | set(self.by_code)
        return tuple(name for name in self.spec.column_names if name not in named)


_USERS = model_table(User)
_TRIAL = Ref("trial_ref", "trial_id", model_table(Trial))
_PARTICIPANT = Ref("participant_ref", "participant_id", model_table(Participant))


def _by(column: str, db_column: str) -> Ref:
    return Ref(column, db_column, _USERS, "email")


TRIAL_TARGETS: tuple[TrialTarget, ...] = (
    TrialTarget(
        schema.TRIALS, Trial, ("ref",), (Ref("program_ref", "program_id", model_table(Program)),), "self"
    ),
    TrialTarget(schema.TRIAL_ARMS, TrialArm, ("trial_ref", "code"), (_TRIAL,), "trial"),
    TrialTarget(schema.TRIAL_TIMEPOINTS_FILE, TrialTimepoint, ("trial_ref", "code"), (_TRIAL,), "trial"),
    TrialTarget(
        schema.TRIAL_ELIGIBILITY_ITEMS, TrialEligibilityItem, ("trial_ref", "code"), (_TRIAL,), "trial"
    ),
    TrialTarget(schema.TRIAL_FACTORS, TrialFactor, ("trial_ref", "code"), (_TRIAL,), "trial"),
    TrialTarget(
        schema.TRIAL_FACTOR_LEVELS,
        TrialFactorLevel,
        ("trial_ref", "factor_code", "code"),
        (),
        "factor",
        ("trial_ref", "factor_code"),
    ),
    TrialTarget(
        schema.TRIAL_SCREENINGS,
        Screening,
        ("ref",),
        (_TRIAL, _by("screened_by_email", "screened_by_id")),
        "trial",
    ),
    TrialTarget(
        schema.TRIAL_PARTICIPANTS,
        Participant,
        ("ref",),
        (
            _TRIAL,
            Ref("screening_ref", "screening_id", model_table(Screening)),
            _by("enrolled_by_email", "enrolled_by_id"),
            Ref("referral_ref", "referral_id", model_table(Referral)),
        ),
        "trial",
    ),
    TrialTarget(
        schema.TRIAL_ALLOCATIONS,
        Allocation,
        ("participant_ref",),
        (
            _PARTICIPANT,
            _by("allocated_by_email", "allocated_by_id"),
            _by("annotated_by_email", "annotated_by_id"),
        ),
        "trial",
        ("arm_code",),
    ),
    TrialTarget(
        schema.TRIAL_ASSESSMENTS,
        Assessment,
        ("ref",),
        (_PARTICIPANT, _by("assessor_email", "assessor_id")),
        "participant",
    ),
    TrialTarget(
        schema.TRIAL_UNMASKING_EVENTS,
        UnmaskingEvent,
        ("participant_ref", "at", "assessor_email"),
        (_PARTICIPANT, _by("assessor_email", "assessor_id")),
        "participant",
    ),
    TrialTarget(
        schema.TRIAL_LOCKS,
        TrialLock,
        ("trial_ref", "locked_at"),
        (_TRIAL, _by("locked_by_email", "locked_by_id")),
        "trial",
    ),
    TrialTarget(
        schema.TRIAL_POST_LOCK_CORRECTIONS,
        PostLockCorrection,
        ("trial_ref", "at", "record_ref"),
        (_TRIAL, _by("by_email", "by_id")),
        "trial",
    ),
)
TRIAL_BY_FILE = {target.spec.name: target for target in TRIAL_TARGETS}


def trial_statement(session: Session, target: TrialTarget, program_id: int | None) -> Select:
    """The rows of ``target``'s file as values in its columns' order, sorted by its key (by code
    points, as Python sorts), only programme ``program_id``'s when given."""
    table = target.table
    columns: dict[str, ColumnElement] = {name: table.c[name] for name in target.plain}
    joined: FromClause = table
    for ref in target.refs:
        other = ref.table.alias(f"named_{ref.column}")
        joined = joined.outerjoin(other, other.c.id == table.c[ref.db_column])
        columns[ref.column] = other.c[ref.key]
    joined = _named_by_code(target, joined, columns)
    stmt = select(*(columns[name] for name in target.spec.column_names)).select_from(joined)
    if program_id is not None:
        stmt = stmt.where(_owned(target, table, program_id))
    return stmt.order_by(*(_code_points(session, columns[name]) for name in target.key))


def _named_by_code(target: TrialTarget, joined: FromClause, columns: dict[str, ColumnElement]) -> FromClause:
    """Arms and factors are named by their code within their trial."""
    table = target.table
    if target.model is Allocation:
        arms = model_table(TrialArm)
        joined = joined.join(arms, arms.c.id == table.c.arm_id)
        columns["arm_code"] = arms.c.code
    if target.model is TrialFactorLevel:
        factors, trials = model_table(TrialFactor), model_table(Trial)
        joined = joined.join(factors, factors.c.id == table.c.factor_id).join(
            trials, trials.c.id == factors.c.trial_id
        )
        columns["factor_code"], columns["trial_ref"] = factors.c.code, trials.c.ref
    return joined


def _owned(target: TrialTarget, table: Table, program_id: int) -> ColumnElement[bool]:
    if target.owner == "factor":
        trials = select(Trial.id).where(Trial.program_id == program_id)
        return table.c.factor_id.in_(select(TrialFactor.id).where(TrialFactor.trial_id.in_(trials)))
    return program_filter(target.owner, table, program_id)


def _code_points(session: Session, column: ColumnElement) -> ColumnElement:
    if session.get_bind().dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column
