"""Who and what a computation covers (metrics.md's common definitions)."""

from __future__ import annotations

from collections.abc import Iterable

from caseload.rows import ClientRow, JobRow, StaffRow


def specialists_in_scope(staff: Iterable[StaffRow]) -> list[StaffRow]:
    """Staff with role specialist, active, fte > 0."""
    return [s for s in staff if s.role == "specialist" and s.active and s.fte > 0]


def jobs_obtained_in_ips(jobs: Iterable[JobRow], clients: dict[str, ClientRow]) -> list[JobRow]:
    """The programme's jobs that started on or after their client's entry date."""
    return [j for j in jobs if j.client_ref in clients and j.start_date >= clients[j.client_ref].entry_date]
