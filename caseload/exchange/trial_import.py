"""Importing the trial's files: the checks only the database can answer (arms and factors named by
code within their trial, allocations only from the statistician and never changed), then an upsert
of each file in the order the records refer to each other. Services flush; the caller commits.

A trial imported without its key store has no allocation secret: it cannot randomise until the
statistician sets the seed or the list again (docs/trial-exchange.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, func, select, tuple_, update
from sqlalchemy.orm import Session

from caseload.db import Base, RefMixin, bump_ref_sequence
from caseload.exchange import convert
from caseload.exchange.bulk import insert_rows
from caseload.exchange.cells import key_of
from caseload.exchange.parse import read_records
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.queries import chunks
from caseload.exchange.schema import Kind, Values
from caseload.exchange.sources import RawBundle
from caseload.exchange.tables import model_table
from caseload.exchange.trial_files import TRIAL_TARGETS, TrialTarget
from caseload.trial import models as trial_models

if TYPE_CHECKING:
    from caseload.exchange.services import ImportReport

Coded = type[trial_models.TrialArm] | type[trial_models.TrialFactor]  # named by code within their trial
ALLOCATIONS = "trial_allocations.csv"
CORRECTIONS = "trial_post_lock_corrections.csv"
ALLOCATIONS_REFUSED = (
    "allocation rows are imported only by the trial's statistician (migrating a running trial): "
    "import as the statistician, or leave trial_allocations.csv out"
)
# An allocation is append-only: only the statistician's annotation may change.
_ANNOTATION = ("annotation", "annotated_at", "annotated_by_id")


def _rows(raw: RawBundle, name: str) -> list[tuple[int, Values]]:
    table = raw.tables.get(name)
    if table is None:
        return []
    return [(r.line, r.values) for records in read_records(table, []) for r in records]


def trial_problems(session: Session, raw: RawBundle, *, statistician: bool) -> list[Problem]:
    """What the trial's files break beyond their cells: allocations from anyone but the
    statistician (one line, nothing of them read out), arms and factors unknown in their trial,
    an allocation that differs from the one stored."""
    allocations = _rows(raw, ALLOCATIONS)
    if allocations and not statistician:
        return [Problem(ALLOCATIONS, 1, WHOLE_ROW, ALLOCATIONS_REFUSED)]
    problems = list(_unknown_factors(session, raw))
    if allocations:
        problems.extend(_allocation_problems(session, raw, allocations))
    return problems


def _codes(session: Session, model: Coded, raw: RawBundle, name: str) -> set[tuple[str, str]]:
    """(trial ref, code) of every arm or factor, in the bundle or the database."""
    known = {(key_of(v["trial_ref"]), key_of(v["code"])) for _line, v in _rows(raw, name)}
    stmt = select(trial_models.Trial.ref, model.code).join(
        trial_models.Trial, trial_models.Trial.id == model.trial_id
    )
    return known | {(ref, code) for ref, code in session.execute(stmt)}


def _unknown_factors(session: Session, raw: RawBundle) -> Iterable[Problem]:
    levels = _rows(raw, "trial_factor_levels.csv")
    if not levels:
        return
    factors = _codes(session, trial_models.TrialFactor, raw, "trial_factors.csv")
    for line, v in levels:
        if (v["trial_ref"], v["factor_code"]) not in factors:
            message = f"unknown factor {v['factor_code']!r} of trial {v['trial_ref']!r}"
            yield Problem("trial_factor_levels.csv", line, "factor_code", message)


def _allocation_problems(
    session: Session, raw: RawBundle, allocations: list[tuple[int, Values]]
) -> Iterable[Problem]:
    arms = _codes(session, trial_models.TrialArm, raw, "trial_arms.csv")
    trial_of = {key_of(v["ref"]): key_of(v["trial_ref"]) for _line, v in _rows(raw, "trial_participants.csv")}
    people = [key_of(v["participant_ref"]) for _line, v in allocations]
    refs = sorted(set(people) - trial_of.keys())
    stmt = select(trial_models.Participant.ref, trial_models.Trial.ref).join(
        trial_models.Trial, trial_models.Trial.id == trial_models.Participant.trial_id
    )
    for batch in chunks(refs):
        trial_of.update(
            {k: v for k, v in session.execute(stmt.where(trial_models.Participant.ref.in_(batch)))}
        )
    stored = _stored_allocations(session, people)
    for (line, v), person in zip(allocations, people, strict=True):
        trial_ref = trial_of.get(person)
        if trial_ref is not None and (trial_ref, v["arm_code"]) not in arms:
            message = f"unknown arm {v['arm_code']!r} of trial {trial_ref!r}"
            yield Problem(ALLOCATIONS, line, "arm_code", message)
        old = stored.get(person)
        if old is not None and old != (v["stratum"] or "", v["sequence"], v["arm_code"]):
            message = "differs from the allocation stored: an allocation is never changed"
            yield Problem(ALLOCATIONS, line, "participant_ref", message)


def _stored_allocations(session: Session, refs: list[str]) -> dict[str, tuple]:
    stmt = (
        select(
            trial_models.Participant.ref,
            trial_models.Allocation.stratum,
            trial_models.Allocation.sequence,
            trial_models.TrialArm.code,
        )
        .select_from(trial_models.Allocation)
        .join(trial_models.Allocation.participant)
        .join(trial_models.Allocation.arm)
    )
    found = {}
    for batch in chunks(sorted(set(refs))):
        for ref, *values in session.execute(stmt.where(trial_models.Participant.ref.in_(batch))):
            found[ref] = tuple(values)
    return found


def trial_import(
    session: Session, raw: RawBundle, report: ImportReport, user_id: int | None
) -> list[Problem]:
    """Upsert the trial's files of ``raw`` (already checked), counting into ``report``. Returns the
    changes to locked data that no post-lock correction records (then the caller rolls back)."""
    lock = _Lock.stored(session, raw)
    for target in TRIAL_TARGETS:
        lined = _rows(raw, target.spec.name)
        rows = [values for _line, values in lined]
        if not rows:
            continue
        ids = {r.column: _ids(session, r.table, r.key, (row[r.column] for row in rows)) for r in target.refs}
        wanted = [_tomodel_table(target, row, ids) for row in rows]
        if target.model is trial_models.Allocation:
            _allocation_ids(session, rows, wanted)
        if target.model is trial_models.TrialFactorLevel:
            _factor_ids(session, rows, wanted)
        plan = _upsert(session, target, wanted, report, user_id)
        problems = lock.problems(session, target, plan, {v.get("ref"): line for line, v in lined})
        if problems:
            return problems
        report.trial_refs.update(key_of(row["trial_ref"]) for row in rows if "trial_ref" in row)
        if issubclass(target.model, RefMixin):
            bump_ref_sequence(session, target.model, [key_of(row["ref"]) for row in rows])
    return []


def _ids(session: Session, table: Table, key: str, values: Iterable[Any]) -> dict[Any, int]:
    found: dict[Any, int] = {}
    for batch in chunks(sorted({v for v in values if v is not None})):
        stmt = select(table.c[key], table.c.id).where(table.c[key].in_(batch))
        found.update({k: v for k, v in session.execute(stmt)})
    return found


def _tomodel_table(target: TrialTarget, row: dict, ids: dict[str, dict[object, int]]) -> dict:
    """One bundle row as table columns: refs resolved to ids, lists joined, defaults applied."""
    table, spec = target.table, target.spec
    values: dict[str, object] = {}
    for name in target.plain:
        value = row[name]
        if spec.column(name).kind is Kind.OWN_CODES:
            value = ";".join(value)
        elif value is None and not table.c[name].nullable:
            value = getattr(table.c[name].default, "arg", None)
        values[name] = value
    for ref in target.refs:
        key = row[ref.column]
        values[ref.db_column] = None if key is None else ids[ref.column][key]
    return values


def _by_code(session: Session, model: Coded, trial_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    stmt = select(model.trial_id, model.code, model.id).where(model.trial_id.in_(sorted(set(trial_ids))))
    return {(trial_id, code): id_ for trial_id, code, id_ in session.execute(stmt)}


def _allocation_ids(session: Session, rows: list[dict], wanted: list[dict]) -> None:
    """An allocation's trial is its participant's; its arm is named by code in that trial."""
    people = [w["participant_id"] for w in wanted]
    trial_of: dict[int, int] = {}
    for batch in chunks(sorted(set(people))):
        stmt = select(trial_models.Participant.id, trial_models.Participant.trial_id).where(
            trial_models.Participant.id.in_(batch)
        )
        trial_of.update({k: v for k, v in session.execute(stmt)})
    arms = _by_code(session, trial_models.TrialArm, trial_of.values())
    for row, values in zip(rows, wanted, strict=True):
        values["trial_id"] = trial_of[values["participant_id"]]
        values["arm_id"] = arms[(values["trial_id"], row["arm_code"])]


def _factor_ids(session: Session, rows: list[dict], wanted: list[dict]) -> None:
    """A level's factor is named by code in its trial."""
    trials = _ids(session, model_table(trial_models.Trial), "ref", (row["trial_ref"] for row in rows))
    factors = _by_code(session, trial_models.TrialFactor, trials.values())
    for row, values in zip(rows, wanted, strict=True):
        values["factor_id"] = factors[(trials[row["trial_ref"]], row["factor_code"])]


def _db_key(target: TrialTarget) -> tuple[str, ...]:
    by_column = {ref.column: ref.db_column for ref in target.refs}
    by_column.update(factor_code="factor_id")  # a level's key: its factor (of its trial) and code
    return tuple(by_column.get(name, name) for name in target.key if name != "trial_ref" or target.refs)


def _upsert(
    session: Session, target: TrialTarget, wanted: list[dict], report: ImportReport, user_id
) -> list[tuple[dict | None, dict]]:
    """Insert and update ``wanted``; returns the rows that changed as (stored or None, new)."""
    table, key = target.table, _db_key(target)
    columns = tuple(wanted[0])
    existing: dict[tuple, dict] = {}
    for batch in chunks(wanted, 1000):
        keys = [tuple(w[k] for k in key) for w in batch]
        stmt = select(table).where(tuple_(*(table.c[k] for k in key)).in_(keys))
        for stored in session.execute(stmt).mappings():
            existing[tuple(stored[k] for k in key)] = dict(stored)
    inserts: list[dict] = []
    updates: list[tuple[dict, dict]] = []
    for values in wanted:
        old = existing.get(tuple(values[k] for k in key))
        if old is None:
            inserts.append(values)
        elif any(old[c] != values[c] for c in columns):
            updates.append((old, values))
    insert_rows(session, table, inserts)
    for old, values in updates:
        _update(session, target, old, values, user_id)
    name = target.spec.name
    report.created[name] = len(inserts)
    report.updated[name] = len(updates)
    report.unchanged[name] = len(wanted) - len(inserts) - len(updates)
    changed: list[tuple[dict | None, dict]] = [(None, values) for values in inserts]
    return changed + list(updates)


# The records a data lock covers, by the date that puts them inside it (an assessment not done: the
# participant's enrolment), as the web's trial_locked_check judges them.
_LOCKED_BY: dict[type[Base], str] = {
    trial_models.Screening: "screened_on",
    trial_models.Participant: "enrolled_on",
    trial_models.Assessment: "done_on",
}


@dataclass(frozen=True, slots=True)
class _Lock:
    """The data locks stored before the import and the records a post-lock correction covers."""

    locked_on: dict[int, date]  # trial id -> the latest lock date
    corrected: frozenset[str]  # record refs, stored or in the bundle

    @classmethod
    def stored(cls, session: Session, raw: RawBundle) -> _Lock:
        stmt = select(trial_models.TrialLock.trial_id, func.max(trial_models.TrialLock.locked_on)).group_by(
            trial_models.TrialLock.trial_id
        )
        locked_on = {trial_id: day for trial_id, day in session.execute(stmt)}
        refs = {key_of(v["record_ref"]) for _line, v in _rows(raw, CORRECTIONS)}
        if locked_on:
            refs.update(session.scalars(select(trial_models.PostLockCorrection.record_ref)))
        return cls(locked_on, frozenset(refs))

    def problems(
        self, session: Session, target: TrialTarget, changed: list[tuple[dict | None, dict]], lines: dict
    ) -> list[Problem]:
        """A change to a record dated inside its trial's lock, with no post-lock correction for it."""
        column = _LOCKED_BY.get(target.model)
        if column is None or not self.locked_on or not changed:
            return []
        enrolment = self._enrolment(session, changed) if target.model is trial_models.Assessment else {}
        problems = []
        for old, new in changed:
            trial_id, enrolled_on = new.get("trial_id"), None
            if target.model is trial_models.Assessment:
                trial_id, enrolled_on = enrolment[new["participant_id"]]
            locked_on = self.locked_on.get(trial_id) if trial_id is not None else None
            versions = (new, old) if old is not None else (new,)
            dated = [day for v in versions if (day := v[column] or enrolled_on) is not None]
            if locked_on is None or new["ref"] in self.corrected or min(dated) > locked_on:
                continue
            message = (
                f"{new['ref']} lies inside the trial's data lock (up to {locked_on.isoformat()}): "
                f"a change to it needs a post-lock correction with a reason in {CORRECTIONS}"
            )
            problems.append(Problem(target.spec.name, lines.get(new["ref"], 1), "ref", message))
        return problems

    @staticmethod
    def _enrolment(
        session: Session, changed: list[tuple[dict | None, dict]]
    ) -> dict[int, tuple[int, date | None]]:
        ids = sorted({new["participant_id"] for _old, new in changed})
        stmt = select(
            trial_models.Participant.id,
            trial_models.Participant.trial_id,
            trial_models.Participant.enrolled_on,
        )
        found: dict[int, tuple[int, date | None]] = {}
        for batch in chunks(ids):
            found.update(
                {
                    pid: (tid, on)
                    for pid, tid, on in session.execute(stmt.where(trial_models.Participant.id.in_(batch)))
                }
            )
        return found


def _update(session: Session, target: TrialTarget, old: dict, values: dict, user_id: int | None) -> None:
    table = target.table
    if target.model is trial_models.Allocation:
        values = {c: values[c] for c in _ANNOTATION}  # the allocation itself is checked unchanged
    insert_rows(session, table.metadata.tables["record_revisions"], [convert.revision(table, old, user_id)])
    setters = dict(values)
    if "version" in table.c:
        setters["version"] = table.c.version + 1
    session.execute(update(table).where(table.c.id == old["id"]).values(setters))
