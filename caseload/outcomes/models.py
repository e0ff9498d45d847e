"""Patient-reported outcome measures: ODI section scores, EQ VAS, pain NRS (scores only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseload.db import Base, Entity, RefMixin, TimestampMixin, VersionMixin, VoidMixin


def prom_score_checks() -> tuple[CheckConstraint, ...]:
    """The range checks of ``PromScoresMixin``'s columns, new for each table that carries them."""
    return (
        *(
            CheckConstraint(f"odi_{i} IS NULL OR (odi_{i} >= 0 AND odi_{i} <= 5)", name=f"odi_{i}")
            for i in range(1, 11)
        ),
        CheckConstraint("eq_vas IS NULL OR (eq_vas >= 0 AND eq_vas <= 100)", name="eq_vas"),
        CheckConstraint("pain_nrs IS NULL OR (pain_nrs >= 0 AND pain_nrs <= 10)", name="pain_nrs"),
    )


class PromScoresMixin:
    """One questionnaire occasion's scores: the ten ODI sections (0-5), EQ VAS (0-100) and pain NRS
    (0-10), each unanswered as None. A client's outcome measure and a trial assessment carry them."""

    odi_1, odi_2, odi_3, odi_4, odi_5, odi_6, odi_7, odi_8, odi_9, odi_10 = (
        mapped_column(Integer) for _ in range(10)
    )
    eq_vas: Mapped[int | None]
    pain_nrs: Mapped[int | None]

    @property
    def odi(self) -> tuple[int | None, ...]:
        return tuple(getattr(self, f"odi_{i}") for i in range(1, 11))


class OutcomeMeasure(PromScoresMixin, VoidMixin, RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "outcome_measures"
    __table_args__ = prom_score_checks()
    REF_PREFIX = "OM"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    measured_on: Mapped[date]
    timepoint: Mapped[str] = mapped_column(String(10))


class ProgramQuarterOutcome(Base):
    """A programme's quarterly outcome as computed for ``quarter`` (the programme page's last
    complete quarter): the stored computation the page reads instead of computing again
    (``outcomes.stored``).

    ``payload`` is the ``QuarterlyOutcome`` as JSON, None when a change to a record it reads made it
    stale; ``stamp`` counts those changes, so a page that computed from records read before a
    change never stores its result over it.
    """

    __tablename__ = "program_quarter_outcomes"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6), default="")
    stamp: Mapped[int] = mapped_column(default=0)
    payload: Mapped[str | None] = mapped_column(Text)
