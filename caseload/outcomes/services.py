"""Writes of questionnaires (outcome measures): record and correct. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.clients.models import Client
from caseload.db import next_ref
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.codes import TIMEPOINTS
from caseload.outcomes.models import OutcomeMeasure
from caseload.outcomes.proms import (
    EQ_VAS_RANGE,
    ODI_MAX_SCORE,
    ODI_SECTIONS,
    PAIN_NRS_RANGE,
)
from caseload.writes import DomainError, added_audited, check_version, keep_revision


@dataclass(frozen=True, slots=True)
class MeasureFields:
    """What the questionnaire form says about one occasion (scores only)."""

    measured_on: date
    timepoint: str
    odi: Sequence[int | None]
    eq_vas: int | None
    pain_nrs: int | None


def _check_scores(fields: MeasureFields) -> None:
    odi, eq_vas, pain_nrs = fields.odi, fields.eq_vas, fields.pain_nrs
    if fields.timepoint not in TIMEPOINTS:
        raise DomainError(_l("Unknown timepoint."), "timepoint")
    if len(odi) != ODI_SECTIONS:
        raise DomainError(_l("The ODI has ten sections."))
    for n, score in enumerate(odi, start=1):
        if score is not None and not 0 <= score <= ODI_MAX_SCORE:
            raise DomainError(_l("A section score is 0 to 5."), f"odi_{n}")
    if eq_vas is not None and not EQ_VAS_RANGE[0] <= eq_vas <= EQ_VAS_RANGE[1]:
        raise DomainError(_l("EQ VAS is 0 to 100."), "eq_vas")
    if pain_nrs is not None and not PAIN_NRS_RANGE[0] <= pain_nrs <= PAIN_NRS_RANGE[1]:
        raise DomainError(_l("Pain NRS is 0 to 10."), "pain_nrs")
    if all(v is None for v in (*odi, eq_vas, pain_nrs)):
        raise DomainError(_l("Give at least one score."), "eq_vas")


def _apply(measure: OutcomeMeasure, fields: MeasureFields) -> None:
    measure.measured_on, measure.timepoint = fields.measured_on, fields.timepoint
    for n, score in enumerate(fields.odi, start=1):
        setattr(measure, f"odi_{n}", score)
    measure.eq_vas, measure.pain_nrs = fields.eq_vas, fields.pain_nrs


def measure_record(
    session: Session, *, client: Client, fields: MeasureFields, user_id: int | None
) -> OutcomeMeasure:
    """Record one questionnaire occasion (scores only) for ``client``; audited."""
    _check_scores(fields)
    measure = OutcomeMeasure(ref=next_ref(session, OutcomeMeasure), client_id=client.id)
    _apply(measure, fields)
    return added_audited(session, measure, client_id=client.id, user_id=user_id)


def measure_correct(
    session: Session,
    *,
    measure: OutcomeMeasure,
    version: int | None,
    fields: MeasureFields,
    user_id: int | None,
) -> OutcomeMeasure:
    """Correct a recorded questionnaire, keeping the previous version; refuses a stale edit."""
    check_version(measure, version)
    _check_scores(fields)
    keep_revision(session, measure, user_id=user_id)
    _apply(measure, fields)
    session.flush()
    audit(session, action="update", client_id=measure.client_id, target=measure.ref, user_id=user_id)
    return measure
