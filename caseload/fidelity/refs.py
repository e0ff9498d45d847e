"""The records behind a fidelity value (``Refs``) and a rate of met records (``Rate``), so that
pages and the PDF can link every number to what it counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from caseload.metrics.numbers import percent, to_float


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
