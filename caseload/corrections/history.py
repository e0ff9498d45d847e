"""Field-by-field differences between the kept versions of a record (pure: plain dicts in)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

# Bookkeeping columns that change with every save and say nothing to a person.
HIDDEN = frozenset({"id", "version", "created_at", "updated_at", "ref", "voided_by_id"})


@dataclass(frozen=True, slots=True)
class Change:
    """One field that changed; ``before``/``after`` are None for long text ("Notes changed")."""

    label: object
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Step:
    """What one saved change did: version ``before`` → ``after``, when and by whom."""

    before: int
    after: int
    at: datetime
    by: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Version:
    """A kept state of the record, as stored in a revision (or the record as it is now)."""

    number: int
    data: Mapping[str, object]
    replaced_at: datetime | None = None
    replaced_by: str | None = None


def differences(
    before: Mapping[str, object],
    after: Mapping[str, object],
    *,
    labels: Mapping[str, object],
    long_text: frozenset[str],
    show: Callable[[str, object], str],
) -> tuple[Change, ...]:
    """The fields whose value differs, in the order of ``labels`` (others after, by name);
    ``show(name, value)`` words a value (a code's label, a person's name)."""
    names = [n for n in labels if n in before or n in after]
    names += sorted((set(before) | set(after)) - set(labels) - HIDDEN)
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new or name in HIDDEN:
            continue
        label = labels.get(name, name)
        if name in long_text:
            changes.append(Change(label, None, None))
        else:
            changes.append(Change(label, _word(name, old, show), _word(name, new, show)))
    return tuple(changes)


def _word(name: str, value: object, show: Callable[[str, object], str]) -> str:
    return "—" if value is None or value == "" else show(name, value)


def history(
    versions: list[Version],
    *,
    labels: Mapping[str, object],
    long_text: frozenset[str],
    show: Callable[[str, object], str],
) -> list[Step]:
    """Newest first, one step per saved change between consecutive ``versions`` (oldest first,
    the last being the record now)."""
    steps = []
    for old, new in zip(versions, versions[1:], strict=False):
        assert old.replaced_at is not None
        changes = differences(old.data, new.data, labels=labels, long_text=long_text, show=show)
        steps.append(Step(old.number, new.number, old.replaced_at, old.replaced_by, changes))
    return steps[::-1]
