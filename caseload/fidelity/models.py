"""IPS-25 fidelity reviews: one row per review, one per item."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.db import Entity, RefMixin, TimestampMixin, VersionMixin


class FidelityReview(RefMixin, TimestampMixin, VersionMixin, Entity):
    __tablename__ = "fidelity_reviews"
    REF_PREFIX = "FR"
    REF_WIDTH = 4

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    review_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | final
    reviewers: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    total: Mapped[int | None]
    band: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    finalised_at: Mapped[datetime | None]

    program = relationship("Program")
    items = relationship("FidelityReviewItem", order_by="FidelityReviewItem.position")


class FidelityReviewItem(TimestampMixin, Entity):
    __tablename__ = "fidelity_review_items"
    __table_args__ = (UniqueConstraint("review_id", "code"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("fidelity_reviews.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    position: Mapped[int]
    computed_score: Mapped[int | None]
    score: Mapped[int | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)
