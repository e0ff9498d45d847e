"""The IPS-25 fidelity scale's thresholds: how a computed value becomes a score, and the total's band.

Every score is decided on an exact value (``Fraction``), never a float, so a value exactly on a
threshold always scores the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from caseload.metrics.periods import ACTIVITY_WEEKS

BANDS = ((115, "exemplary"), (100, "good"), (74, "fair"))  # else not_ips
GOOD_TOTAL = 100  # a good review: the next one is due in a year, not half a year


def _score_at_most(value: Fraction, limits: tuple[int, int, int, int]) -> int:
    """5 when value ≤ limits[0], 4 when ≤ limits[1], 3, 2, else 1."""
    return next((5 - i for i, limit in enumerate(limits) if value <= limit), 1)


def _score_at_least(value: Fraction, limits: tuple[Fraction | int, ...]) -> int:
    """5 when value ≥ limits[0], 4 when ≥ limits[1], 3, 2, else 1."""
    return next((5 - i for i, limit in enumerate(limits) if value >= limit), 1)


def score_s1(value: Fraction) -> int:
    """S1 caseload size: ≤ 20 → 5, ≤ 25 → 4, ≤ 30 → 3, ≤ 40 → 2, > 40 → 1."""
    return _score_at_most(value, (20, 25, 30, 40))


def score_v4(value: Fraction) -> int:
    """V4 mean days to first employer contact: ≤ 30 → 5, ≤ 60, ≤ 150, ≤ 270, > 270 → 1."""
    return _score_at_most(value, (30, 60, 150, 270))


V6_POINTS = (Fraction(11, 2), Fraction(9, 2), 3, 2)  # the closest of the anchors 6, 5, 4, 2, ties up


def v6_review_cap(review_coverage: Fraction) -> int:
    """The highest V6 score the supervisor's review of the log allows: weekly (≥ 0.75) none,
    monthly (0.2 to 0.75) 3, no working tracking (< 0.2) 2."""
    if review_coverage >= Fraction(3, 4):
        return 5
    return 3 if review_coverage >= Fraction(1, 5) else 2


def score_v6(value: Fraction, review_coverage: Fraction) -> int:
    """V6 contacts per week at the closest scale point: ≥ 5.5 → 5, ≥ 4.5 → 4, ≥ 3 → 3, ≥ 2 → 2,
    < 2 → 1; capped by the review of the tracking (``v6_review_cap``)."""
    return min(_score_at_least(value, V6_POINTS), v6_review_cap(review_coverage))


def score_diversity(value: Fraction) -> int:
    """V8 and V9: ≥ 85 → 5, ≥ 70 → 4, ≥ 60 → 3, ≥ 50 → 2, < 50 → 1."""
    return _score_at_least(value, (85, 70, 60, 50))


def score_v10(value: Fraction, jobs: int) -> int:
    """V10 competitive %: ≥ 95 → 5, ≥ 85, ≥ 75, ≥ 64, else 1; 1 with fewer than 10 jobs."""
    return 1 if jobs < 10 else _score_at_least(value, (95, 85, 75, 64))


def score_v13(value: Fraction) -> int:
    """V13 community %: ≥ 65 → 5, ≥ 50 → 4, ≥ 40 → 3, > 30 → 2, ≤ 30 → 1."""
    if value <= 30:
        return 1
    return max(2, _score_at_least(value, (65, 50, 40, 40)))


def score_o1_specialist(share: Fraction) -> int:
    """O1 for one specialist with one or two teams: ≥ 90 → 5, ≥ 75 → 4, ≥ 50 → 3, else 2."""
    return max(2, _score_at_least(share, (90, 75, 50, 50)))


def fidelity_total(scores: Mapping[str, int | None]) -> int | None:
    """The sum of the 25 final scores, or None unless all 25 are scored."""
    values = [v for v in scores.values() if v is not None]
    return sum(values) if len(values) == 25 and len(scores) == 25 else None


def fidelity_band(total: int | None) -> str | None:
    """exemplary (115–125), good (100–114), fair (74–99), not_ips (≤ 73); None without a total."""
    if total is None:
        return None
    return next((band for floor, band in BANDS if total >= floor), "not_ips")


def scheduled_minutes(fte: Decimal, full_time_hours: Decimal) -> Fraction:
    """V13's scheduled minutes of one specialist in the activity window: fte × week × 60 × 13."""
    return Fraction(fte) * Fraction(full_time_hours) * 60 * ACTIVITY_WEEKS
