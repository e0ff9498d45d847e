"""Reads of a programme's own lists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.teams.models import JobType


def job_type_names(session: Session, program_id: int, codes: Sequence[str]) -> list[str]:
    """The programme's words for job type ``codes``, in their order (a code it lacks as it is)."""
    stmt = select(JobType.code, JobType.label).where(
        JobType.program_id == program_id, JobType.code.in_(codes)
    )
    names: dict[str, str] = {code: name for code, name in session.execute(stmt)}
    return [names.get(code, code) for code in codes]
