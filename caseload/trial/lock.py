"""The statistician's data lock. Once a trial is locked at a date, the trial's services refuse a
change to its screening, allocations and assessments of that date or before unless it is recorded
as a post-lock correction with a reason (``services.trial_locked_check``); the export carries the
lock date, the SHA-256 of its canonical CSV and the corrections."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.l10n import lazy_gettext as _l
from caseload.trial.models import Trial, TrialLock
from caseload.trial.reports.loading import latest_lock
from caseload.writes import DomainError


def trial_lock(session: Session, *, trial: Trial, user_id: int, locked_on: date, today: date) -> TrialLock:
    """Lock ``trial``'s data up to and including ``locked_on`` (not after ``today``); a trial is
    locked once."""
    held = latest_lock(session, trial)
    if held is not None:
        raise DomainError(
            _l("The trial was already locked on %(day)s.", day=held.locked_on.isoformat()), "locked_on"
        )
    if locked_on > today:
        raise DomainError(_l("The lock date cannot be in the future."), "locked_on")
    lock = TrialLock(trial_id=trial.id, locked_on=locked_on, locked_by_id=user_id)
    session.add(lock)
    session.flush()
    audit(session, action="trial_lock", target=trial.ref, user_id=user_id)
    return lock
