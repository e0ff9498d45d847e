"""Rules across the cells of a row and across files: reasons that go with dates, Mondays,
supervisors, hours changes after the job's start, and references to known records.

Pure functions over the typed values of ``parse.py``; what the database holds comes in through a
``Lookup``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date

from caseload.exchange.problems import Problem
from caseload.exchange.schema import FILES, LIST_KINDS, Column

Rows = Mapping[str, list[dict[str, object]]]
Lines = Mapping[str, list[int]]
Lookup = Callable[[str, frozenset[str]], Mapping[str, object]]
"""``lookup(entity, keys)`` → the keys that exist outside the bundle (in the database), each mapped
to its fact: a staff member's role, a job's start date, None for other entities.
Entities: program, treatment_team, staff (by email), client, employer, job."""

# The fact about an entity that the rules below need, as the column that holds it in the bundle.
_FACTS = {"staff": "role", "job": "start_date"}
_LABELS = {"program": "programme", "treatment_team": "treatment team", "staff": "staff member"}


def nothing_exists(_entity: str, _keys: frozenset[str]) -> Mapping[str, object]:
    """A lookup for an empty database."""
    return {}


def lookup_from(known: Mapping[str, Mapping[str, object]]) -> Lookup:
    """A lookup answering from ``{entity: {key: fact}}``."""
    return lambda entity, keys: {k: v for k, v in known.get(entity, {}).items() if k in keys}


def check_rows(rows: Rows, lines: Lines) -> Iterator[Problem]:
    """Rules within one row: reasons required with dates, dates in order, Monday week starts."""
    for name, rule in _ROW_RULES.items():
        for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
            for column, message in rule(values):
                yield Problem(name, line, column, message)


def _referral(v: dict) -> Iterator[tuple[str, str]]:
    if v["decision"] == "declined" and v["reason"] is None:
        yield "reason", "required when the decision is declined"


def _client(v: dict) -> Iterator[tuple[str, str]]:
    yield from _paired(v, "closed_on", "closure_reason")
    yield from _ordered(v, "entry_date", "closed_on")


def _job(v: dict) -> Iterator[tuple[str, str]]:
    yield from _paired(v, "end_date", "end_reason")
    yield from _ordered(v, "start_date", "end_date")


def _weekly_review(v: dict) -> Iterator[tuple[str, str]]:
    week_start = v["week_start"]
    if isinstance(week_start, date) and week_start.weekday() != 0:
        yield "week_start", f"{week_start} is a {week_start:%A}, not a Monday"


def _paired(v: dict, day: str, reason: str) -> Iterator[tuple[str, str]]:
    if v[day] is not None and v[reason] is None:
        yield reason, f"required with {day}"
    if v[reason] is not None and v[day] is None:
        yield day, f"required with {reason}"


def _ordered(v: dict, first: str, then: str) -> Iterator[tuple[str, str]]:
    if v[first] is not None and v[then] is not None and v[then] < v[first]:
        yield then, f"{v[then]} is before {first} {v[first]}"


_ROW_RULES = {
    "referrals.csv": _referral,
    "clients.csv": _client,
    "jobs.csv": _job,
    "weekly_reviews.csv": _weekly_review,
}


def check_references(
    rows: Rows, lines: Lines, existing: Lookup, unsure: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every reference names a record of the bundle or of the database (not judged for the
    ``unsure`` entities); reviewers are supervisors; hours change after the job's start."""
    facts = _bundle_facts(rows)
    named = {(name, column): _named(rows.get(name, []), column) for name, column in _REFERRING}
    wanted: dict[str, set[str]] = defaultdict(set)
    for (_name, column), keys in named.items():
        wanted[column.refers].update(keys - facts[column.refers].keys())
    for entity, keys in wanted.items():
        if keys:
            facts[entity].update(existing(entity, frozenset(keys)))
    problems = []
    for (name, column), keys in named.items():
        known = facts[column.refers]
        if column.refers not in unsure and not keys <= known.keys():
            problems.extend(_unknowns(name, rows[name], lines[name], column, known))
    problems.extend(_reviewers(rows, lines, facts["staff"]))
    problems.extend(_hours_changes(rows, lines, facts["job"]))
    return problems


# Every column that names records: (file name, column), in the files' and columns' order.
_REFERRING = [(spec.name, column) for spec in FILES for column in spec.columns if column.refers]


def _named(values: list[dict[str, object]], column: Column) -> set[str]:
    """The keys a file's column names (its lists flattened)."""
    cells = (v[column.name] for v in values)
    if column.kind in LIST_KINDS:
        return {key for cell in cells for key in cell}
    return {cell for cell in cells if cell is not None}


def _unknowns(
    name: str, values: list[dict], lines: list[int], column: Column, known: Mapping[str, object]
) -> Iterator[Problem]:
    is_list = column.kind in LIST_KINDS
    for row, line in zip(values, lines, strict=True):
        value = row[column.name]
        for key in value if is_list else (value,):
            if key is not None and key not in known:
                yield Problem(name, line, column.name, _unknown(column.refers, key))


def _unknown(entity: str, key: str) -> str:
    label = _LABELS.get(entity, entity)
    return f"unknown {label} {key!r} (neither in the bundle nor in the database)"


def _bundle_facts(rows: Rows) -> dict[str, dict[str, object]]:
    facts: dict[str, dict[str, object]] = defaultdict(dict)
    for spec in FILES:
        if spec.entity is None:
            continue
        fact = _FACTS.get(spec.entity)
        for values in rows.get(spec.name, []):
            key = values[spec.key[0]]
            if key is not None:
                facts[spec.entity][key] = values[fact] if fact else None
    return facts


def _reviewers(rows: Rows, lines: Lines, roles: Mapping[str, object]) -> Iterator[Problem]:
    name = "weekly_reviews.csv"
    for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
        role = roles.get(values["reviewer_email"])
        if role is not None and role != "supervisor":
            message = f"{values['reviewer_email']} is a {role}, not a supervisor"
            yield Problem(name, line, "reviewer_email", message)


def _hours_changes(rows: Rows, lines: Lines, starts: Mapping[str, object]) -> Iterator[Problem]:
    name = "job_hours.csv"
    for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
        start, effective = starts.get(values["job_ref"]), values["effective_from"]
        if isinstance(start, date) and isinstance(effective, date) and effective <= start:
            message = f"{effective} is not after the job's start_date {start}"
            yield Problem(name, line, "effective_from", message)
