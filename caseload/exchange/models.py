"""A bundle import started on the web page, run in the background (see ``jobs.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseload.db import Entity, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class ImportJob(Entity):
    """One web import: who started it, where it is (rows written of the bundle's rows), and its
    outcome as JSON (the problems, or the counts) once done."""

    __tablename__ = "import_jobs"
    __table_args__ = (CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
