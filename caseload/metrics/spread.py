"""Spread of a sample: the sample standard deviation and the quartiles, decided exactly.

The quartiles are the inclusive (linear, "type 7") ones that R, Stata's default summaries and
numpy give, so a statistician's own run matches the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import sqrt

from caseload.metrics.numbers import Number


def sample_sd(values: Sequence[Number]) -> float | None:
    """The sample standard deviation (n − 1), or None below two values."""
    n = len(values)
    if n < 2:
        return None
    items = [Fraction(v) for v in values]
    centre = sum(items, Fraction(0)) / n
    return sqrt(sum(((v - centre) ** 2 for v in items), Fraction(0)) / (n - 1))


def quartiles(values: Sequence[Number]) -> tuple[Fraction, Fraction] | None:
    """The first and third quartiles (linear interpolation between order statistics), or None."""
    if not values:
        return None
    ordered = sorted(Fraction(v) for v in values)

    def at(p: Fraction) -> Fraction:
        pos = p * (len(ordered) - 1)
        low = pos.numerator // pos.denominator
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)

    return at(Fraction(1, 4)), at(Fraction(3, 4))
