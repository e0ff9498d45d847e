"""Narrow a programme's rows to one specialist's work, so a specialist sees the items of their own."""

from __future__ import annotations

from caseload.rows import ProgramData


def own_work(data: ProgramData, email: str) -> ProgramData:
    """The rows of one specialist: their staff row, clients, contacts, reviews and clients' jobs.

    Referrals carry no specialist, so they are left out (O6 is a programme-level matter).
    """
    clients = [c for c in data.clients if c.specialist_email == email]
    held = {c.ref for c in clients}
    return ProgramData(
        program_ref=data.program_ref,
        full_time_hours=data.full_time_hours,
        staff=[s for s in data.staff if s.email == email],
        clients=clients,
        employer_contacts=[e for e in data.employer_contacts if e.specialist_email == email],
        weekly_reviews=[r for r in data.weekly_reviews if r.specialist_email == email],
        jobs=[j for j in data.jobs if j.client_ref in held],
        benefits_sessions=[b for b in data.benefits_sessions if b.client_ref in held],
        client_contacts=[c for c in data.client_contacts if c.client_ref in held or c.staff_email == email],
        measures=[m for m in data.measures if m.client_ref in held],
    )
