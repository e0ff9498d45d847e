"""Rules across the cells of a row and across files: reasons that go with dates, Mondays,
supervisors, hours changes after the job's start, and references to known records.

Pure functions over the typed values of ``parse.py``; what the database holds comes in through a
``Lookup``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date

from caseload.exchange.cells import items_of, text_of
from caseload.exchange.problems import Problem
from caseload.exchange.schema import LIST_KINDS, VOIDABLE, Column, FileSpec, Value, Values

Rows = Mapping[str, list[Values]]
Lines = Mapping[str, list[int]]
Lookup = Callable[[str, frozenset[str]], Mapping[str, Value]]
"""``lookup(entity, keys)`` → the keys that exist outside the bundle (in the database), each mapped
to its fact: a staff member's role, a job's start date, None for other entities.
Entities: program, treatment_team, staff (by email), client, employer, job."""

# The fact about an entity that the rules below need, as the column that holds it in the bundle.
_FACTS = {"staff": "role", "job": "start_date"}
_LABELS = {"program": "programme", "treatment_team": "treatment team", "staff": "staff member"}


def nothing_exists(_entity: str, _keys: frozenset[str]) -> Mapping[str, Value]:
    """A lookup for an empty database."""
    return {}


def lookup_from(known: Mapping[str, Mapping[str, Value]]) -> Lookup:
    """A lookup answering from ``{entity: {key: fact}}``."""
    return lambda entity, keys: {k: v for k, v in known.get(entity, {}).items() if k in keys}


def check_rows(rows: Rows, lines: Lines) -> Iterator[Problem]:
    """Rules within one row: reasons required with dates, dates in order, Monday week starts,
    a void's reason with its date."""
    for name in rows:
        rule = _ROW_RULES.get(name)
        void = name in VOIDABLE
        for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
            problems = [*rule(values)] if rule else []
            if void:
                problems += _paired(values, "voided_on", "void_reason")
            for column, message in problems:
                yield Problem(name, line, column, message)


def _referral(v: Values) -> Iterator[tuple[str, str]]:
    if v["decision"] == "declined" and v["reason"] is None:
        yield "reason", "required when the decision is declined"


def _client(v: Values) -> Iterator[tuple[str, str]]:
    yield from _paired(v, "closed_on", "closure_reason")
    yield from _ordered(v, "entry_date", "closed_on")


def _job(v: Values) -> Iterator[tuple[str, str]]:
    yield from _paired(v, "end_date", "end_reason")
    yield from _ordered(v, "start_date", "end_date")


def _weekly_review(v: Values) -> Iterator[tuple[str, str]]:
    week_start = v["week_start"]
    if isinstance(week_start, date) and week_start.weekday() != 0:
        yield "week_start", f"{week_start} is a {week_start:%A}, not a Monday"


def _paired(v: Values, day: str, reason: str) -> Iterator[tuple[str, str]]:
    if v[day] is not None and v[reason] is None:
        yield reason, f"required with {day}"
    if v[reason] is not None and v[day] is None:
        yield day, f"required with {reason}"


def _ordered(v: Values, first: str, then: str) -> Iterator[tuple[str, str]]:
    start, end = v[first], v[then]
    if isinstance(start, date) and isinstance(end, date) and end < start:
        yield then, f"{end} is before {first} {start}"


def _screening(v: Values) -> Iterator[tuple[str, str]]:
    if v["eligible"] is False and not v["exclusion_reasons"]:
        yield "exclusion_reasons", "required when the person is not eligible"


def _participant(v: Values) -> Iterator[tuple[str, str]]:
    if v["withdrawn_on"] is not None and v["withdrawal_reason"] is None:
        yield "withdrawal_reason", "required with withdrawn_on"
    yield from _ordered(v, "enrolled_on", "withdrawn_on")


def _assessment(v: Values) -> Iterator[tuple[str, str]]:
    if (v["done_on"] is None) == (v["not_done_reason"] is None):
        yield "not_done_reason", "give either done_on or not_done_reason, not both or neither"


def _allocation(v: Values) -> Iterator[tuple[str, str]]:
    if v["annotation"] is not None and (v["annotated_at"] is None or v["annotated_by_email"] is None):
        yield "annotation", "requires annotated_at and annotated_by_email"


_ROW_RULES = {
    "referrals.csv": _referral,
    "clients.csv": _client,
    "jobs.csv": _job,
    "weekly_reviews.csv": _weekly_review,
    "trial_screenings.csv": _screening,
    "trial_participants.csv": _participant,
    "trial_assessments.csv": _assessment,
    "trial_allocations.csv": _allocation,
}


class References:
    """What a bundle's files name and define, gathered chunk by chunk as the files stream past,
    then judged against the database: which keys are unknown, and the facts the rules need."""

    def __init__(self) -> None:
        self.facts: dict[str, dict[str, Value]] = defaultdict(dict)
        # (file, column, the entity it names) → the keys named
        self.named: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.unknown: dict[tuple[str, str], set[str]] = {}

    def add(self, spec: FileSpec, values: list[Values]) -> None:
        """Note the keys ``values`` (rows of file ``spec``) define and name."""
        if spec.entity is not None:
            fact, facts = _FACTS.get(spec.entity), self.facts[spec.entity]
            for row in values:
                key = text_of(row[spec.key[0]])
                if key is not None:
                    facts[key] = row[fact] if fact else None
        for column in spec.columns:
            if column.refers:
                self.named[(spec.name, column.name, column.refers)].update(_named(values, column))

    def judge(self, existing: Lookup, unsure: frozenset[str] = frozenset()) -> None:
        """Look up what the bundle does not define; keys neither define are unknown (not judged
        for the ``unsure`` entities)."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for (_name, _column_name, entity), keys in self.named.items():
            wanted[entity].update(keys - self.facts[entity].keys())
        for entity, keys in wanted.items():
            if keys:
                self.facts[entity].update(existing(entity, frozenset(keys)))
        for (name, column_name, entity), keys in self.named.items():
            missing = keys - self.facts[entity].keys()
            if missing and entity not in unsure:
                self.unknown[(name, column_name)] = missing

    def needs_second_look(self, name: str) -> bool:
        """File ``name`` has rows to report once every key is known."""
        return name in ("weekly_reviews.csv", "job_hours.csv") or any(f == name for f, _c in self.unknown)

    def problems(self, spec: FileSpec, values: list[Values], lines: list[int]) -> list[Problem]:
        """Unknown references, reviewers who are not supervisors and hours changes not after the
        job's start, among rows of file ``spec``."""
        problems: list[Problem] = []
        for column in spec.columns:
            missing = self.unknown.get((spec.name, column.name))
            if missing and column.refers:
                problems.extend(_unknowns(spec.name, values, lines, column, column.refers, missing))
        rows, row_lines = {spec.name: values}, {spec.name: lines}
        problems.extend(_reviewers(rows, row_lines, self.facts["staff"]))
        problems.extend(_hours_changes(rows, row_lines, self.facts["job"]))
        return problems


def _named(values: list[Values], column: Column) -> set[str]:
    """The keys a file's column names (its lists flattened)."""
    return {key for row in values for key in _named_keys(column, row[column.name])}


def _named_keys(column: Column, value: Value) -> tuple[str, ...]:
    """The keys a cell of a column naming records names: a list's items, or the one key (none
    when empty)."""
    if column.kind in LIST_KINDS:
        return items_of(value)
    key = text_of(value)
    return () if key is None else (key,)


def _unknowns(
    name: str, values: list[Values], lines: list[int], column: Column, entity: str, missing: set[str]
) -> Iterator[Problem]:
    for row, line in zip(values, lines, strict=True):
        for key in _named_keys(column, row[column.name]):
            if key in missing:
                yield Problem(name, line, column.name, _unknown(entity, key))


def _unknown(entity: str, key: str) -> str:
    label = _LABELS.get(entity, entity)
    return f"unknown {label} {key!r} (neither in the bundle nor in the database)"


def _reviewers(rows: Rows, lines: Lines, roles: Mapping[str, Value]) -> Iterator[Problem]:
    name = "weekly_reviews.csv"
    for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
        email = text_of(values["reviewer_email"])
        role = None if email is None else roles.get(email)
        if role is not None and role != "supervisor":
            message = f"{values['reviewer_email']} is a {role}, not a supervisor"
            yield Problem(name, line, "reviewer_email", message)


def _hours_changes(rows: Rows, lines: Lines, starts: Mapping[str, Value]) -> Iterator[Problem]:
    name = "job_hours.csv"
    for values, line in zip(rows.get(name, []), lines.get(name, []), strict=True):
        job = text_of(values["job_ref"])
        start, effective = None if job is None else starts.get(job), values["effective_from"]
        if isinstance(start, date) and isinstance(effective, date) and effective <= start:
            message = f"{effective} is not after the job's start_date {start}"
            yield Problem(name, line, "effective_from", message)
