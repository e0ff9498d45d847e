"""Common definitions of metrics.md shared by the fidelity items and evidence: periods, rates, refs.

Pure: plain values in, plain values out. Every proportion is an exact ``Fraction``; floats only
appear when a value is written out as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from caseload.rows import ClientRow, JobRow, StaffRow


@dataclass(frozen=True, slots=True)
class Window:
    """A closed range of calendar days ``[start, end]``."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def mondays(self) -> tuple[date, ...]:
        """The Mondays of the complete ISO weeks inside the window."""
        first = self.start + timedelta(days=(7 - self.start.weekday()) % 7)
        return tuple(first + timedelta(weeks=k) for k in range((self.end - first).days // 7 + 1))

    def as_json(self) -> dict[str, str]:
        """``{"start", "end"}`` as ISO dates."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def activity_window(as_of: date) -> Window:
    """The 13 complete ISO weeks ending on the latest Sunday on or before ``as_of``."""
    sunday = as_of - timedelta(days=(as_of.weekday() + 1) % 7)
    return Window(sunday - timedelta(days=90), sunday)


def job_year(as_of: date) -> Window:
    """``[A − 364, A]``."""
    return Window(as_of - timedelta(days=364), as_of)


def days(n: int) -> timedelta:
    """Shorthand for a number of days."""
    return timedelta(days=n)


def specialists_in_scope(staff: Iterable[StaffRow]) -> list[StaffRow]:
    """Staff with role specialist, active, fte > 0."""
    return [s for s in staff if s.role == "specialist" and s.active and s.fte > 0]


def jobs_obtained_in_ips(jobs: Iterable[JobRow], clients: dict[str, ClientRow]) -> list[JobRow]:
    """The programme's jobs that started on or after their client's entry date."""
    return [j for j in jobs if j.client_ref in clients and j.start_date >= clients[j.client_ref].entry_date]


def percent(part: int, whole: int) -> Fraction | None:
    """``100 × part ÷ whole`` exactly, or None when there is nothing to measure."""
    return Fraction(100 * part, whole) if whole else None


def mean(values: Iterable[Fraction | int]) -> Fraction | None:
    """The exact arithmetic mean, or None for no values."""
    items = [Fraction(v) for v in values]
    return sum(items, Fraction(0)) / len(items) if items else None


def median(values: Iterable[int | Fraction]) -> Fraction | None:
    """The exact median, or None for no values."""
    items = sorted(Fraction(v) for v in values)
    if not items:
        return None
    mid = len(items) // 2
    return items[mid] if len(items) % 2 else (items[mid - 1] + items[mid]) / 2


def round_half_up(value: Fraction) -> int:
    """Round to an integer, halves up (4.5 → 5)."""
    return (value + Fraction(1, 2)).__floor__()


def display(value: Fraction | int | None) -> str:
    """One decimal, half away from zero, decided exactly (metrics.md); '—' for None."""
    if value is None:
        return "—"
    tenths = round_half_up(abs(Fraction(value)) * 10)
    sign = "-" if value < 0 and tenths else ""
    return f"{sign}{tenths // 10}.{tenths % 10}"


def to_json(value: Fraction | int | None) -> float | int | None:
    """A JSON number: integers stay integers, other fractions become floats."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def to_float(value: Fraction | int | None) -> float | None:
    """A JSON float (percentages, means), or None."""
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Refs:
    """The records behind a value, by kind, so pages can link to them."""

    clients: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    client_contacts: tuple[str, ...] = ()
    employer_contacts: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    benefits_sessions: tuple[str, ...] = ()


def refs(**kinds: Iterable[str]) -> Refs:
    """Refs with each kind sorted and deduplicated."""
    return Refs(**{k: tuple(sorted(set(v))) for k, v in kinds.items()})


@dataclass(frozen=True, slots=True)
class Rate:
    """``met`` of ``applicable`` records (refs of one kind), as ``{applicable, met, pct}``."""

    kind: str  # a field of Refs: clients | jobs | employer_contacts ...
    applicable: tuple[str, ...]
    met: tuple[str, ...]

    @property
    def pct(self) -> Fraction | None:
        """100 × met ÷ applicable, exactly."""
        return percent(len(self.met), len(self.applicable))

    @property
    def unmet(self) -> tuple[str, ...]:
        """The applicable records that did not meet the rule."""
        met = set(self.met)
        return tuple(r for r in self.applicable if r not in met)

    @property
    def refs(self) -> Refs:
        """Every applicable record."""
        return refs(**{self.kind: self.applicable})

    def as_json(self) -> dict[str, int | float | None]:
        """``{"applicable", "met", "pct"}``."""
        return {"applicable": len(self.applicable), "met": len(self.met), "pct": to_float(self.pct)}


def rate(kind: str, applicable: Iterable[str], met: Iterable[str]) -> Rate:
    """A Rate with sorted refs."""
    return Rate(kind, tuple(sorted(set(applicable))), tuple(sorted(set(met))))
