"""Parsing and checking a bundle: typed records per file and every problem, with its file and line.

``check_bundle(raw, existing)`` checks every rule of ../shared/spec/exchange-format.md over a bundle
opened by ``sources.open_bundle``, streamed in chunks of rows: memory grows with the number of keys
(refs), not with the bundle's size. ``parse_bundle(path, existing)`` also keeps the records.
References to records that are not in the bundle are looked up through ``existing`` (see
``checks.Lookup``), so the caller decides what "the database" holds. Pure: no session, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from caseload.exchange.cells import CellError, cell_reader, empty_value, misdecoded
from caseload.exchange.checks import Lookup, References, check_rows, nothing_exists
from caseload.exchange.problems import WHOLE_ROW, Problem
from caseload.exchange.schema import BY_NAME, FILES, Column, FileSpec, Kind, Value, Values
from caseload.exchange.sources import RawBundle, RawTable, open_bundle

FILE_ORDER = {spec.name: index for index, spec in enumerate(FILES)}


CHUNK = 10_000  # rows read, checked (and written) at a time
MAX_PROBLEMS = 1000  # problems listed before the checking stops
MAX_WARNINGS = 100  # warnings listed (the rest are counted in one line)

MoreProblems = Callable[[FileSpec, list["Record"]], Iterable[Problem]]
"""``more_problems(spec, records)``: further problems of a chunk of records (the importer's scope)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One row of a file: its line in the file and a typed value (or None / ()) per column."""

    line: int
    values: Values


@dataclass(slots=True)
class ParseResult:
    """Every problem found, the warnings (text that looks mis-decoded, a file read as
    Windows-1252: shown, not in the way of an import), how many records each file present holds,
    and (when kept) the records themselves."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem was found: the bundle may be imported."""
        return not self.problems

    def rows(self, name: str) -> list[Values]:
        """The values of every kept record of file ``name`` (empty when the file is absent)."""
        return [record.values for record in self.records.get(name, [])]

    def counts(self) -> dict[str, int]:
        """How many records each file present holds."""
        return dict(self.sizes)


class _TooMany(Exception):
    """More problems than are worth listing."""


def parse_bundle(path: Path, existing: Lookup = nothing_exists) -> ParseResult:
    """Read and check the bundle at ``path``, keeping its records (for small bundles: imports
    stream through ``check_bundle``); ``existing`` answers for refs outside the bundle."""
    with open_bundle(Path(path)) as raw:
        return check_bundle(raw, existing, keep=True)


def check_bundle(
    raw: RawBundle,
    existing: Lookup = nothing_exists,
    *,
    keep: bool = False,
    more_problems: MoreProblems | None = None,
) -> ParseResult:
    """Check the raw tables of ``sources.open_bundle`` in one streamed pass (a second one over
    the files whose rows need every key known), keeping the records only when asked."""
    result = ParseResult(problems=list(raw.problems), warnings=list(raw.notices))
    references = References()
    try:
        for spec in FILES:
            table = raw.tables.get(spec.name)
            if table is not None:
                _check_table(table, result, references, keep, more_problems)
        references.judge(existing, _unsure_entities(result.problems))
        for spec in FILES:
            table = raw.tables.get(spec.name)
            if table is not None and references.needs_second_look(spec.name):
                for records in read_records(table, []):
                    values, lines = [r.values for r in records], [r.line for r in records]
                    result.problems.extend(references.problems(spec, values, lines))
                    _enough(result, spec, records)
    except _TooMany:
        pass
    result.problems.sort(key=_problem_order)
    result.warnings = _capped(sorted(result.warnings, key=_problem_order))
    return result


def _capped(warnings: list[Problem]) -> list[Problem]:
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    last = warnings[MAX_WARNINGS - 1]
    more = len(warnings) - MAX_WARNINGS
    return [*warnings[:MAX_WARNINGS], Problem(last.file, last.line, WHOLE_ROW, f"and {more} more warnings")]


def _check_table(
    table: RawTable,
    result: ParseResult,
    references: References,
    keep: bool,
    more_problems: MoreProblems | None,
) -> None:
    spec = table.spec
    seen: dict[tuple[Value, ...], int] = {}  # key → the line that first has it
    result.sizes[spec.name] = 0
    if keep:
        result.records[spec.name] = []
    for records in read_records(table, result.problems, result.warnings):
        result.sizes[spec.name] += len(records)
        values, lines = [r.values for r in records], [r.line for r in records]
        bad_cells = {(p.file, p.line, p.column) for p in result.problems if p.file == spec.name}
        later = check_rows({spec.name: values}, {spec.name: lines})
        result.problems.extend(p for p in later if (p.file, p.line, p.column) not in bad_cells)
        result.problems.extend(_duplicates(spec, records, seen))
        if more_problems is not None:
            result.problems.extend(more_problems(spec, records))
        references.add(spec, values)
        if keep:
            result.records[spec.name].extend(records)
        _enough(result, spec, records)


def _enough(result: ParseResult, spec: FileSpec, records: list[Record]) -> None:
    """Stop when the problems are too many to be worth listing (memory stays bounded too)."""
    if len(result.problems) > MAX_PROBLEMS:
        message = f"more than {MAX_PROBLEMS} problems: the rest of the bundle was not checked"
        del result.problems[MAX_PROBLEMS:]
        result.problems.append(Problem(spec.name, records[-1].line if records else 1, WHOLE_ROW, message))
        raise _TooMany


def read_records(
    table: RawTable, problems: list[Problem], warnings: list[Problem] | None = None
) -> Iterator[list[Record]]:
    """The typed records of ``table`` in chunks of ``CHUNK``, the problems of its header and
    cells appended to ``problems`` (a bad cell reads as its column's empty value), and text that
    looks mis-decoded to ``warnings`` when given. A header naming no column of the file is one
    problem, and its rows are not read."""
    spec = table.spec
    positions = _check_header(table, problems)
    if positions is None:
        return
    unnamed = [i for i, name in enumerate(table.header) if not name]
    chunk: list[tuple[int, list[str]]] = []
    for line, cells in table.rows(problems):
        if unnamed and any(cells[i].strip() for i in unnamed):
            problems.append(Problem(spec.name, line, WHOLE_ROW, "a value under an empty header"))
        chunk.append((line, cells))
        if len(chunk) == CHUNK:
            yield _typed(spec, positions, chunk, problems, warnings)
            chunk = []
    if chunk:
        yield _typed(spec, positions, chunk, problems, warnings)


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


def _typed(
    spec: FileSpec,
    positions: dict[str, int],
    rows: list[tuple[int, list[str]]],
    problems: list[Problem],
    warnings: list[Problem] | None,
) -> list[Record]:
    lines = [line for line, _cells in rows]
    columns = [
        _read_column(spec, rows, column, positions.get(column.name), problems) for column in spec.columns
    ]
    if warnings is not None:
        for column in spec.columns:
            if column.kind is Kind.TEXT and column.name in positions:
                warnings.extend(_misdecoded(spec, rows, column.name, positions[column.name]))
    names = spec.column_names
    return [Record(line, dict(zip(names, values))) for line, values in zip(lines, zip(*columns))]


def _read_column(
    spec: FileSpec,
    rows: list[tuple[int, list[str]]],
    column: Column,
    position: int | None,
    problems: list[Problem],
) -> list[Value]:
    """Every row's value of ``column`` (its empty value after a problem). Cells repeat (dates,
    codes, emails, refs of clients): each distinct text is read once."""
    empty = empty_value(column)
    if position is None:
        return [empty] * len(rows)
    texts = [cells[position] for _line, cells in rows]
    read = cell_reader(column)
    values: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for text in set(texts):
        try:
            values[text] = read(text)
        except CellError as exc:
            errors[text] = str(exc)
    if errors:
        problems.extend(
            Problem(spec.name, line, column.name, errors[text])
            for (line, _cells), text in zip(rows, texts)
            if text in errors
        )
        values.update(dict.fromkeys(errors, empty))
    return list(map(values.__getitem__, texts))


def _misdecoded(
    spec: FileSpec, rows: list[tuple[int, list[str]]], name: str, position: int
) -> Iterator[Problem]:
    """Cells of a text column that read like UTF-8 decoded as another encoding."""
    for line, cells in rows:
        repaired = misdecoded(cells[position])
        if repaired is not None:
            message = (
                f"looks mis-decoded: {cells[position]!r} may be {repaired!r} (UTF-8 text opened as "
                "another encoding); correct it in the file before importing"
            )
            yield Problem(spec.name, line, name, message)


def _check_header(table: RawTable, problems: list[Problem]) -> dict[str, int] | None:
    """Each known column's position; reports unknown, repeated and missing required columns.
    A header naming no column of the file is one problem (its separator or its file is wrong),
    and None."""
    spec, positions = table.spec, {}
    known = set(spec.column_names)
    if table.header and not known.intersection(table.header):
        message = (
            f"the header row names no column of {spec.name} (such as {', '.join(spec.column_names[:3])}): "
            "the file must be separated by commas or semicolons, with the columns of the exchange format"
        )
        problems.append(Problem(spec.name, 1, WHOLE_ROW, message))
        return None
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


def _duplicates(
    spec: FileSpec, records: list[Record], seen: dict[tuple[Value, ...], int]
) -> Iterator[Problem]:
    """Records whose key an earlier record of the file (in ``seen``: key → line) already has."""
    for record in records:
        key = tuple(record.values[name] for name in spec.key)
        if None in key:
            continue
        first = seen.setdefault(key, record.line)
        if first != record.line:
            message = f"duplicate of line {first} ({', '.join(spec.key)} must be unique)"
            yield Problem(spec.name, record.line, spec.key[-1], message)
