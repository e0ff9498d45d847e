"""Parsing and checking a bundle: typed records per file and every problem, with its file and line.

``parse_bundle(path, existing)`` reads a folder, ``.zip`` or ``.xlsx`` bundle and checks every rule
of ../shared/spec/exchange-format.md. References to records that are not in the bundle are looked
up through ``existing`` (see ``checks.Lookup``), so the caller decides what "the database" holds.
Pure: no session, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from caseload.exchange.cells import CellError, cell_reader, empty_value
from caseload.exchange.checks import Lookup, check_references, check_rows, nothing_exists
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.schema import BY_NAME, FILES, Column, FileSpec
from caseload.exchange.sources import RawBundle, RawTable, read_bundle

FILE_ORDER = {spec.name: index for index, spec in enumerate(FILES)}


@dataclass(frozen=True, slots=True)
class Record:
    """One row of a file: its line in the file and a typed value (or None / ()) per column."""

    line: int
    values: dict[str, object]


@dataclass(slots=True)
class ParseResult:
    """The records of every file present in the bundle, and every problem found."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem was found: the bundle may be imported."""
        return not self.problems

    def rows(self, name: str) -> list[dict[str, object]]:
        """The values of every record of file ``name`` (empty when the file is absent)."""
        return [record.values for record in self.records.get(name, [])]

    def counts(self) -> dict[str, int]:
        """How many records each file present holds."""
        return {name: len(records) for name, records in self.records.items()}


def parse_bundle(path: Path, existing: Lookup = nothing_exists) -> ParseResult:
    """Read and check the bundle at ``path``; ``existing`` answers for refs outside the bundle."""
    return parse_raw(read_bundle(Path(path)), existing)


def parse_raw(raw: RawBundle, existing: Lookup = nothing_exists) -> ParseResult:
    """Check raw tables as read by ``sources.read_bundle``."""
    result = ParseResult(problems=list(raw.problems))
    for spec in FILES:
        table = raw.tables.get(spec.name)
        if table is not None:
            result.records[spec.name] = _parse_table(table, result.problems)
    values = {name: [r.values for r in records] for name, records in result.records.items()}
    lines = {name: [r.line for r in records] for name, records in result.records.items()}
    bad_cells = {(p.file, p.line, p.column) for p in result.problems}
    unsure = _unsure_entities(result.problems)
    later = [*check_rows(values, lines), *check_references(values, lines, existing, unsure)]
    result.problems.extend(p for p in later if (p.file, p.line, p.column) not in bad_cells)
    result.problems.sort(key=_problem_order)
    return result


def _unsure_entities(problems: list[Problem]) -> frozenset[str]:
    """Entities whose file lost a key (a bad key cell or an unreadable row): an unknown reference
    to them may be that lost key, so it is not reported until the file reads cleanly."""
    return frozenset(
        spec.entity
        for p in problems
        if (spec := BY_NAME.get(p.file)) and spec.entity and p.column in (WHOLE_ROW, *spec.key)
    )


def _problem_order(problem: Problem) -> tuple[int, str, int, int]:
    spec = BY_NAME.get(problem.file)
    names = spec.column_names if spec else ()
    column = names.index(problem.column) if problem.column in names else -1
    return (FILE_ORDER.get(problem.file, -1), problem.file, problem.line, column)


def _parse_table(table: RawTable, problems: list[Problem]) -> list[Record]:
    spec = table.spec
    positions = _check_header(table, problems)
    unnamed = [i for i, name in enumerate(table.header) if not name]
    if unnamed:
        for line, cells in table.rows:
            if any(cells[i].strip() for i in unnamed):
                problems.append(Problem(spec.name, line, WHOLE_ROW, "a value under an empty header"))
    lines = [line for line, _cells in table.rows]
    columns = [
        _read_column(table, column, positions.get(column.name), lines, problems) for column in spec.columns
    ]
    names = spec.column_names
    records = [Record(line, dict(zip(names, values))) for line, values in zip(lines, zip(*columns))]
    problems.extend(_duplicates(spec, records))
    return records


def _read_column(
    table: RawTable, column: Column, position: int | None, lines: list[int], problems: list[Problem]
) -> list[object]:
    """Every row's value of ``column`` (its empty value after a problem). Cells repeat (dates,
    codes, emails, refs of clients): each distinct text is read once."""
    empty = empty_value(column)
    if position is None:
        return [empty] * len(lines)
    texts = [cells[position] for _line, cells in table.rows]
    read, values, errors = cell_reader(column), {}, {}
    for text in set(texts):
        try:
            values[text] = read(text)
        except CellError as exc:
            errors[text] = str(exc)
    if errors:
        problems.extend(
            Problem(table.spec.name, line, column.name, errors[text])
            for line, text in zip(lines, texts)
            if text in errors
        )
        values.update(dict.fromkeys(errors, empty))
    return list(map(values.__getitem__, texts))


def _check_header(table: RawTable, problems: list[Problem]) -> dict[str, int]:
    """Each known column's position; reports unknown, repeated and missing required columns."""
    spec, positions = table.spec, {}
    known = set(spec.column_names)
    for index, name in enumerate(table.header):
        if not name:
            continue
        if name not in known:
            problems.append(Problem(spec.name, 1, name, "unknown column"))
        elif name in positions:
            problems.append(Problem(spec.name, 1, name, "column given twice"))
        else:
            positions[name] = index
    if table.header:
        for column in spec.columns:
            if column.required and column.name not in positions:
                problems.append(Problem(spec.name, 1, column.name, "required column missing"))
    return positions


def _duplicates(spec: FileSpec, records: list[Record]) -> Iterator[Problem]:
    keys = [tuple(record.values[name] for name in spec.key) for record in records]
    if len(set(keys)) == len(keys):
        return
    seen: dict[tuple, int] = {}
    for record, key in zip(records, keys):
        if None in key:
            continue
        if key in seen:
            message = f"duplicate of line {seen[key]} ({', '.join(spec.key)} must be unique)"
            yield Problem(spec.name, record.line, spec.key[-1], message)
        else:
            seen[key] = record.line
