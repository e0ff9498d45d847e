"""Exact percentages, means and medians, and how a number is written out (JSON, screen, CSV).

Scores are decided on these exact values (``Fraction``), never on floats; floats appear only
when a value is written out.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import lcm

Number = int | Fraction
MISSING = "—"  # a value with nothing to measure, on every page, PDF and CSV


def percent(part: int, whole: int) -> Fraction | None:
    """``100 × part ÷ whole`` exactly, or None when there is nothing to measure."""
    return Fraction(100 * part, whole) if whole else None


def mean(values: Iterable[Number]) -> Fraction | None:
    """The exact arithmetic mean, or None for no values."""
    items = [Fraction(v) for v in values]
    return sum(items, Fraction(0)) / len(items) if items else None


def median(values: Iterable[Number]) -> Fraction | None:
    """The exact median (the mean of the two middle values for an even count), or None."""
    items = [Fraction(v) for v in values]
    if not items:
        return None
    # Sorting integers over a common denominator is exact and far quicker than comparing Fractions.
    scale = lcm(*(v.denominator for v in items))
    ordered = sorted(v.numerator * (scale // v.denominator) for v in items)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[mid], scale)
    return Fraction(ordered[mid - 1] + ordered[mid], 2 * scale)


def round_half_up(value: Number) -> int:
    """Round to an integer, halves up (4.5 → 5): O1's programme score."""
    return (Fraction(value) + Fraction(1, 2)).__floor__()


def round_half_away(value: Number, places: int = 1) -> Fraction:
    """``value`` rounded to ``places`` decimals, half away from zero, exactly."""
    scale = 10**places
    scaled = Fraction(value) * scale
    magnitude = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Fraction(magnitude if scaled >= 0 else -magnitude, scale)


def display(value: Number | float | None, places: int = 1) -> str:
    """A number shown rounded half away from zero (``57.1``), decided exactly; ``—`` for None.
    A float (a value read back from JSON) is taken as the decimal it prints as."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        value = Fraction(str(value))
    rounded = round_half_away(value, places)
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded.numerator) * 10**places // rounded.denominator, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def to_json(value: Number | None) -> int | float | None:
    """A JSON number: integers stay integers, other fractions become floats."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def to_float(value: Number | None) -> float | None:
    """A JSON float (percentages, means, hours), or None."""
    return None if value is None else float(value)
