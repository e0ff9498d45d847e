"""Importing a bundle: check everything first, then upsert every file in bulk, or write nothing.
Both passes stream the bundle in chunks of rows, so memory does not grow with its size.

Keys: ``ref`` (staff: ``email``; weekly reviews: specialist and week; hours: job and date). Refs are
kept as given. A row whose stored values already match is left alone (no new version), so a second
import of the same bundle changes nothing. Services flush; the caller commits or rolls back.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, bindparam, select, update
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.db import RefMixin, bump_ref_sequence, voided_included
from caseload.exchange import convert
from caseload.exchange.auditing import audit_clients, audit_trials
from caseload.exchange.bulk import analyze, insert_rows
from caseload.exchange.cells import items_of, key_of, text_of
from caseload.exchange.convert import TableRow
from caseload.exchange.parse import ParseResult, check_bundle, read_records
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.queries import Ids, chunks, db_lookup, has_rows, ids_by_key, rows_by_key
from caseload.exchange.schema import Values
from caseload.exchange.scope import ADMIN_FILES, ADMIN_REFUSED, Scope, scope_problems
from caseload.exchange.sources import MAX_UNPACKED, RawBundle, open_bundle
from caseload.exchange.tables import TARGETS, Many, Target
from caseload.exchange.trial_import import trial_import, trial_problems
from caseload.writes import clients_written

Progress = Callable[[int, int], None]
"""``progress(done, total)``: ``done`` of the bundle's ``total`` rows are written."""


def no_progress(done: int, total: int) -> None:
    """The ``progress`` of an import nobody watches."""


WRITE_CHUNK = 20_000  # rows per insert (one statement or COPY each)
ANALYZE_FROM = 1000  # rows written to a table from which its planner statistics are refreshed


@dataclass(slots=True)
class ImportReport:
    """What an import found or did: its problems (nothing written), else counts per file; and
    its warnings either way (text that looks mis-decoded, a file read as Windows-1252)."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    client_refs: set[str] = field(default_factory=set)
    trial_refs: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """The bundle was imported."""
        return not self.problems

    @property
    def wrote(self) -> bool:
        """Some row was created or updated."""
        return any(self.created.values()) or any(self.updated.values())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a bundle becomes millions of small objects that
    live until the import ends (none of them in a cycle), and the collector would walk them all
    again and again — half of the time of reading a large bundle. Reference counting still frees
    everything as usual; the collector runs again afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _max_unpacked() -> int:
    """The configured cap of a bundle's unpacked size."""
    return current_app.config.get("IMPORT_MAX_UNPACKED", MAX_UNPACKED) if has_app_context() else MAX_UNPACKED


def _admin_refusals(raw: RawBundle) -> list[Problem]:
    """An administrator's bundle: one line for each file beyond ``ADMIN_FILES`` that has rows,
    quoting nothing of it (its cells and its own problems are never read out)."""
    refused = []
    for name, table in raw.tables.items():
        if name not in ADMIN_FILES and any(records for records in read_records(table, [])):
            refused.append(Problem(name, 1, WHOLE_ROW, ADMIN_REFUSED))
    return refused


def _check(session: Session, raw: RawBundle, scope: Scope | None, user_id: int | None) -> ParseResult:
    if scope is not None and scope.role == "admin" and (refused := _admin_refusals(raw)):
        return ParseResult(problems=refused)
    lookup = db_lookup(session, scope.program_id if scope else None)
    more_problems = None
    if scope is not None:
        more_problems = lambda spec, records: scope_problems(session, spec, records, scope)  # noqa: E731
    result = check_bundle(raw, lookup, more_problems=more_problems)
    if result.ok:
        result.problems = trial_problems(session, raw, statistician=_is_statistician(session, scope, user_id))
    return result


def _is_statistician(session: Session, scope: Scope | None, user_id: int | None) -> bool:
    """The person importing is a statistician (who alone imports allocations)."""
    if scope is not None:
        return scope.role == "statistician"
    if user_id is None:
        return False
    return session.scalar(select(User.role).where(User.id == user_id)) == "statistician"


def bundle_check(
    session: Session, *, path: Path, scope: Scope | None = None, user_id: int | None = None
) -> ParseResult:
    """Check the bundle at ``path`` against the database (and the importer's scope), streamed."""
    with _collector_paused(), open_bundle(path, _max_unpacked()) as raw, voided_included(session):
        return _check(session, raw, scope, user_id)


def bundle_import(
    session: Session,
    *,
    path: Path,
    user_id: int | None = None,
    scope: Scope | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Check the bundle in one streamed pass; when it has no problem, upsert all of it in a
    second one (flushed, not committed)."""
    with _collector_paused(), open_bundle(path, _max_unpacked()) as raw, voided_included(session):
        result = _check(session, raw, scope, user_id)
        if not result.ok:
            return ImportReport(problems=result.problems, warnings=result.warnings)
        report = _import(session, raw, result, user_id, progress)
        report.warnings = result.warnings
        return report


def _import(
    session: Session, raw: RawBundle, result: ParseResult, user_id: int | None, progress: Progress
) -> ImportReport:
    report, ids = ImportReport(), Ids(session)
    counter = _Counter(sum(result.counts().values()), progress)
    for target in TARGETS:
        table = raw.tables.get(target.spec.name)
        if table is None:
            continue
        unexpected: list[Problem] = []  # only if the file changed since the checking pass
        for records in read_records(table, unexpected):
            rows = [record.values for record in records]
            _upsert(session, target, rows, ids, report, user_id, counter)
            if issubclass(target.model, RefMixin):
                bump_ref_sequence(session, target.model, [key_of(row["ref"]) for row in rows])
        if unexpected:
            return ImportReport(problems=unexpected)  # the caller rolls back what was flushed
    locked = trial_import(session, raw, report, user_id)
    if locked:
        return ImportReport(problems=locked)  # the caller rolls back what was flushed
    audit_clients(session, refs=report.client_refs, action="exchange_import", user_id=user_id)
    if report.wrote:  # the hooks of a bulk write (stored derivations go stale); none if nothing changed
        clients_written(session, _client_ids(session, report.client_refs))
    audit_trials(session, refs=report.trial_refs, action="exchange_import_trial", user_id=user_id)
    return report


def _client_ids(session: Session, refs: set[str]) -> list[int]:
    ids: list[int] = []
    for batch in chunks(sorted(refs)):
        ids.extend(session.scalars(select(Client.id).where(Client.ref.in_(batch))))
    return ids


def bundle_analyze(session: Session, report: ImportReport) -> None:
    """Refresh the planner's statistics of the tables an import wrote many rows to; call it after
    the commit (statistics taken inside the loading transaction mislead the planner)."""
    tables = []
    for target in TARGETS:
        name = target.spec.name
        if report.created.get(name, 0) + report.updated.get(name, 0) >= ANALYZE_FROM:
            tables.extend([target.table, target.many.table] if target.many else [target.table])
    analyze(session, tables)


@dataclass(slots=True)
class _Plan:
    """One file's rows sorted into inserts, updates (with the old row) and rows already stored."""

    inserts: list[TableRow] = field(default_factory=list)
    updates: list[tuple[TableRow, TableRow]] = field(default_factory=list)  # (old, new)
    written: list[Values] = field(default_factory=list)  # bundle rows inserted or updated
    same: list[Values] = field(default_factory=list)  # bundle rows whose table row already matches


def _plan(session: Session, target: Target, rows: list[Values], ids: Ids) -> _Plan:
    for link in target.links:
        ids.need(link.entity, {key for row in rows if (key := text_of(row[link.column])) is not None})
    if target.many:
        ids.need(target.many.entity, {k for row in rows for k in items_of(row[target.many.column])})
    wanted = [convert.to_table(target, row, ids) for row in rows]
    existing = {}
    if has_rows(session, target.table):  # an empty table (a first import) has nothing to compare
        existing = rows_by_key(session, target.table, target.key, (_key(target, w) for w in wanted))
    plan = _Plan()
    for row, values in zip(rows, wanted, strict=True):
        old = existing.get(_key(target, values))
        if old is not None and old.get("voided_on") is not None and values.get("voided_on") is None:
            # an import never un-voids a row the database holds as voided
            values.update(voided_on=old["voided_on"], void_reason=old["void_reason"])
        if old is None:
            plan.inserts.append(values)
        elif any(old[column] != values[column] for column in target.stored):
            plan.updates.append((old, values))
        else:
            plan.same.append(row)
            continue
        plan.written.append(row)
    return plan


def _upsert(
    session: Session,
    target: Target,
    rows: list[Values],
    ids: Ids,
    report: ImportReport,
    user_id: int | None,
    counter: _Counter,
) -> None:
    plan = _plan(session, target, rows, ids)
    for inserts in chunks(plan.inserts, WRITE_CHUNK):
        insert_rows(session, target.table, inserts)
        counter.add(len(inserts))
    for updates in chunks(plan.updates, WRITE_CHUNK):
        _update(session, target, updates, user_id)
        counter.add(len(updates))
    relinked = _set_many(session, target, target.many, rows, ids, plan) if target.many else []
    counter.add(len(plan.same))
    name, created, updated = target.spec.name, len(plan.inserts), len(plan.updates) + len(relinked)
    report.created[name] = report.created.get(name, 0) + created
    report.updated[name] = report.updated.get(name, 0) + updated
    report.unchanged[name] = report.unchanged.get(name, 0) + len(rows) - created - updated
    report.client_refs |= convert.touched_clients(target, [*plan.written, *relinked])


def _key(target: Target, values: TableRow) -> tuple[object, ...]:
    return tuple(values[column] for column in target.key)


class _Counter:
    """Counts rows written and tells ``progress``."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def add(self, count: int) -> None:
        self.done += count
        if count:
            self.progress(self.done, self.total)


def _update(
    session: Session, target: Target, batch: list[tuple[TableRow, TableRow]], user_id: int | None
) -> None:
    table = target.table
    revisions = [convert.revision(table, old, user_id) for old, _values in batch]
    insert_rows(session, table.metadata.tables["record_revisions"], revisions)
    setters: dict[str, ColumnElement[object]] = {
        column: bindparam(f"new_{column}") for column in target.stored
    }
    if target.versioned:
        setters["version"] = table.c.version + 1
    if "session_version" in table.c:  # a person deactivated by the import loses their sessions
        setters["session_version"] = table.c.session_version + bindparam("new_session_bump")
    stmt = update(table).where(table.c.id == bindparam("old_id")).values(setters)
    params = [
        {"old_id": old["id"], **{f"new_{k}": v for k, v in values.items()}}
        | ({"new_session_bump": int(bool(old["active"]) and not values["active"])} if "active" in old else {})
        for old, values in batch
    ]
    session.execute(stmt, params)


def _set_many(
    session: Session, target: Target, many: Many, rows: list[Values], ids: Ids, plan: _Plan
) -> list[Values]:
    """Set the association lists; returns the rows of ``plan.same`` whose list changed (an update)."""
    key = target.key[0]
    keys = [key_of(row[key]) for row in rows]
    own_ids = ids_by_key(session, target.table, key, keys)
    same = [own_ids[key_of(row[key])] for row in plan.same]
    stored = {convert.row_id(old) for old, _values in plan.updates}.union(same)
    changed = convert.set_links(session, many, keys, rows, own_ids, ids, stored)
    return [row for row, own_id in zip(plan.same, same, strict=True) if own_id in changed]
