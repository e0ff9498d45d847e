"""Form posts and paths shared by the employer tests."""

from __future__ import annotations

from datetime import date


def contact_form(world, **changes) -> dict:
    """A valid employer-contact form post for the world's specialist."""
    from caseload.forms import today

    data = {
        "contact_date": today().isoformat(),
        "specialist_id": str(world.spec.id),
        "employer": world.employer.ref,
        "new_employer": "",
        "mode": "face_to_face",
        "client_refs": [world.hege.ref, world.nils.ref],
        "job_type": "5223",
        "minutes": "45",
        "purpose": "Introduce IPS",
        "outcome": "Open to a meeting",
        "next_step": "Visit with Hege on Friday",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def week_path(user, monday: date) -> str:
    return f"/employers/log/{user.id}/{monday.isoformat()}"


class QueryCounter:
    """Counts the SQL statements sent while the block runs."""

    def __init__(self, engine) -> None:
        self.engine, self.statements = engine, []

    def _count(self, conn, cursor, statement, *args) -> None:
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    def __len__(self) -> int:
        return len(self.statements)


def count_rows(db, model) -> int:
    from sqlalchemy import func, select

    return db.session.scalar(select(func.count()).select_from(model))


def audited_writes(db) -> int:
    """Audit events of writes (reads of a page are audited too, and do not count here)."""
    from sqlalchemy import func, select

    from caseload.auth.models import AuditEvent

    stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(("create", "update")))
    return db.session.scalar(stmt)
