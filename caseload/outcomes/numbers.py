"""Exact percentages, means and medians, and how they are written out (JSON, screen, CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

Number = int | Fraction


def pct(part: int, whole: int) -> Fraction | None:
    """100 × part ÷ whole as an exact fraction; None when there is nothing to measure."""
    return None if whole == 0 else Fraction(100 * part, whole)


def mean(values: Sequence[Number]) -> Fraction | None:
    """The exact mean; None for no values."""
    return Fraction(sum(values), len(values)) if values else None


def median(values: Sequence[Number]) -> Fraction | None:
    """The exact median (mean of the two middle values for an even count); None for no values."""
    if not values:
        return None
    # Sorting integers over a common denominator is exact and far quicker than comparing Fractions.
    scale = lcm(*(v.denominator for v in values))
    ordered = sorted(v.numerator * (scale // v.denominator) for v in values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[mid], scale)
    return Fraction(ordered[mid - 1] + ordered[mid], 2 * scale)


def json_number(value: Number | None) -> int | float | None:
    """A number for JSON: integers stay integers, fractions become floats rounded to 6 decimals."""
    if value is None or isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value)
    return round(float(value), 6)


def json_float(value: Number | None) -> float | None:
    """Like json_number but always a float (hours, rates), None kept."""
    return None if value is None else round(float(value), 6)


def round_half_away(value: Number, places: int = 1) -> Fraction:
    """``value`` rounded to ``places`` decimals, half away from zero, exactly."""
    scale = 10**places
    scaled = Fraction(value) * scale
    magnitude = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Fraction(magnitude if scaled >= 0 else -magnitude, scale)


def fmt(value: Number | None, places: int = 1, missing: str = "–") -> str:
    """A display string rounded half away from zero, e.g. ``57.1``; ``missing`` for None."""
    if value is None:
        return missing
    rounded = round_half_away(value, places)
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded.numerator) * 10**places // rounded.denominator, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
