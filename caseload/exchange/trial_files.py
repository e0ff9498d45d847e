"""The trial's files of the bundle (docs/trial-exchange.md): where each one's rows live, and the
query that exports them, sorted by the file's key.

Refs, codes and e-mails name the records, never ids. The trial's sealed seed or allocation list
(``trials.allocation_*``) is in no file: it never leaves the key store.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, Select, Table, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Referral
from caseload.db import Base
from caseload.exchange import schema
from caseload.exchange.queries import code_points, program_filter
from caseload.exchange.tables import model_table
from caseload.teams.models import Program
from caseload.trial import models as trial_models


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
    model: type[Base]  # a trial model class
    key: tuple[str, ...]
    refs: tuple[Ref, ...]
    owner: str  # "self" (program_id), "trial" (trial_id), "participant" (participant_id), "factor"
    by_code: tuple[str, ...] = ()  # columns naming a record by its code within the trial

    @property
    def table(self) -> Table:
        """The model's table."""
        return model_table(self.model)

    @property
    def plain(self) -> tuple[str, ...]:
        """Columns stored as they are (the lists too, as ``a;b``)."""
        named = {ref.column for ref in self.refs} | set(self.by_code)
        return tuple(name for name in self.spec.column_names if name not in named)


_USERS = model_table(User)
_TRIAL = Ref("trial_ref", "trial_id", model_table(trial_models.Trial))
_PARTICIPANT = Ref("participant_ref", "participant_id", model_table(trial_models.Participant))


def _by(person: str) -> Ref:
    """A person named by e-mail (``assessor_email``), stored as their id (``assessor_id``)."""
    return Ref(f"{person}_email", f"{person}_id", _USERS, "email")


def _made_by(
    spec: schema.FileSpec, model: type[Base], key: tuple[str, ...], parent: Ref, person: str
) -> TrialTarget:
    """A file of records that a person made of a trial or a participant (``parent``, which owns
    them: ``trial_id`` or ``participant_id``)."""
    owner = parent.db_column.removesuffix("_id")
    return TrialTarget(spec, model, key, (parent, _by(person)), owner)


def _set_up(spec: schema.FileSpec, model: type[Base]) -> TrialTarget:
    """A file of a trial's set-up: keyed by the trial and a code, belonging to the trial."""
    return TrialTarget(spec, model, ("trial_ref", "code"), (_TRIAL,), "trial")


TRIAL_TARGETS: tuple[TrialTarget, ...] = (
    TrialTarget(
        schema.TRIALS,
        trial_models.Trial,
        ("ref",),
        (Ref("program_ref", "program_id", model_table(Program)),),
        "self",
    ),
    _set_up(schema.TRIAL_ARMS, trial_models.TrialArm),
    _set_up(schema.TRIAL_TIMEPOINTS_FILE, trial_models.TrialTimepoint),
    _set_up(schema.TRIAL_ELIGIBILITY_ITEMS, trial_models.TrialEligibilityItem),
    _set_up(schema.TRIAL_FACTORS, trial_models.TrialFactor),
    TrialTarget(
        schema.TRIAL_FACTOR_LEVELS,
        trial_models.TrialFactorLevel,
        ("trial_ref", "factor_code", "code"),
        (),
        "factor",
        ("trial_ref", "factor_code"),
    ),
    _made_by(schema.TRIAL_SCREENINGS, trial_models.Screening, ("ref",), _TRIAL, "screened_by"),
    TrialTarget(
        schema.TRIAL_PARTICIPANTS,
        trial_models.Participant,
        ("ref",),
        (
            _TRIAL,
            Ref("screening_ref", "screening_id", model_table(trial_models.Screening)),
            _by("enrolled_by"),
            Ref("referral_ref", "referral_id", model_table(Referral)),
        ),
        "trial",
    ),
    TrialTarget(
        schema.TRIAL_ALLOCATIONS,
        trial_models.Allocation,
        ("participant_ref",),
        (
            _PARTICIPANT,
            _by("allocated_by"),
            _by("annotated_by"),
        ),
        "trial",
        ("arm_code",),
    ),
    _made_by(schema.TRIAL_ASSESSMENTS, trial_models.Assessment, ("ref",), _PARTICIPANT, "assessor"),
    _made_by(
        schema.TRIAL_UNMASKING_EVENTS,
        trial_models.UnmaskingEvent,
        ("participant_ref", "at", "assessor_email"),
        _PARTICIPANT,
        "assessor",
    ),
    _made_by(schema.TRIAL_LOCKS, trial_models.TrialLock, ("trial_ref", "locked_at"), _TRIAL, "locked_by"),
    _made_by(
        schema.TRIAL_POST_LOCK_CORRECTIONS,
        trial_models.PostLockCorrection,
        ("trial_ref", "at", "record_ref"),
        _TRIAL,
        "by",
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
    return stmt.order_by(*(code_points(session, columns[name]) for name in target.key))


def _named_by_code(target: TrialTarget, joined: FromClause, columns: dict[str, ColumnElement]) -> FromClause:
    """Arms and factors are named by their code within their trial."""
    table = target.table
    if target.model is trial_models.Allocation:
        arms = model_table(trial_models.TrialArm)
        joined = joined.join(arms, arms.c.id == table.c.arm_id)
        columns["arm_code"] = arms.c.code
    if target.model is trial_models.TrialFactorLevel:
        factors, trials = model_table(trial_models.TrialFactor), model_table(trial_models.Trial)
        joined = joined.join(factors, factors.c.id == table.c.factor_id).join(
            trials, trials.c.id == factors.c.trial_id
        )
        columns["factor_code"], columns["trial_ref"] = factors.c.code, trials.c.ref
    return joined


def _owned(target: TrialTarget, table: Table, program_id: int) -> ColumnElement[bool]:
    if target.owner == "factor":
        trials = select(trial_models.Trial.id).where(trial_models.Trial.program_id == program_id)
        return table.c.factor_id.in_(
            select(trial_models.TrialFactor.id).where(trial_models.TrialFactor.trial_id.in_(trials))
        )
    return program_filter(target.owner, table, program_id)
