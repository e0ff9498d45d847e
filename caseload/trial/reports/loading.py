"""Load one trial's plain rows for the reports and the export: a fixed number of queries,
whatever the trial's size."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, func, select, type_coerce
from sqlalchemy.orm import Session

from caseload.clients.models import Referral
from caseload.trial import models as trial_models
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, ScreeningRow, TimepointRow, TrialData

ACCEPTED = "accepted"


def _screenings(session: Session, trial: trial_models.Trial) -> tuple[ScreeningRow, ...]:
    rows = session.execute(
        select(
            trial_models.Screening.ref,
            trial_models.Screening.screened_on,
            trial_models.Screening.eligible,
            trial_models.Screening.exclusion_reasons,
            trial_models.Participant.ref,
        )
        .outerjoin(
            trial_models.Participant, trial_models.Participant.screening_id == trial_models.Screening.id
        )
        .where(trial_models.Screening.trial_id == trial.id)
        .order_by(trial_models.Screening.ref)
    )
    # CONSORT counts each excluded person once, under the first reason recorded.
    return tuple(
        ScreeningRow(
            ref, on, eligible, participant_ref=p_ref, exclusion_reason=(reasons or "").split(";")[0] or None
        )
        for ref, on, eligible, reasons, p_ref in rows
    )


def _participants(session: Session, trial: trial_models.Trial) -> tuple[ParticipantRow, ...]:
    rows = session.execute(
        select(
            *(
                trial_models.Participant.ref,
                trial_models.Participant.enrolled_on,
                trial_models.Participant.stratum,
                trial_models.Participant.withdrawn_on,
            ),
            *(
                trial_models.Participant.withdrawal_reason,
                trial_models.Participant.data_may_be_kept,
                trial_models.Allocation.sequence,
                trial_models.TrialArm.code,
            ),
            *(trial_models.TrialArm.refers_to_caseload, Referral.decision),
        )
        .join(trial_models.Allocation, trial_models.Allocation.participant_id == trial_models.Participant.id)
        .join(trial_models.TrialArm, trial_models.TrialArm.id == trial_models.Allocation.arm_id)
        .outerjoin(Referral, Referral.id == trial_models.Participant.referral_id)
        .where(trial_models.Participant.trial_id == trial.id)
        .order_by(trial_models.Participant.ref)
    )
    return tuple(
        ParticipantRow(
            ref,
            arm,
            enrolled_on,
            # IPS is received once the programme accepted the referral; usual care always is.
            (decision == ACCEPTED) if to_caseload else True,
            stratum,
            sequence,
            withdrawn_on,
            reason,
            kept,
        )
        for ref, enrolled_on, stratum, withdrawn_on, reason, kept, sequence, arm, to_caseload, decision in (
            rows.tuples()
        )
    )


def _assessments(session: Session, trial: trial_models.Trial) -> tuple[AssessmentRow, ...]:
    unmasked = set(
        session.scalars(
            select(trial_models.UnmaskingEvent.participant_id)
            .join(
                trial_models.Participant,
                trial_models.Participant.id == trial_models.UnmaskingEvent.participant_id,
            )
            .where(trial_models.Participant.trial_id == trial.id)
        )
    )
    # A not-done record counts from the day it was written. Hours come as floats: parsing 15,000
    # Decimals and timestamps would take most of a large trial's report time.
    on = type_coerce(
        func.coalesce(trial_models.Assessment.done_on, func.date(trial_models.Assessment.created_at)), Date
    ).label("on")
    columns = (
        *(
            trial_models.Participant.ref,
            trial_models.Assessment.participant_id,
            trial_models.Assessment.timepoint,
            on,
            trial_models.Assessment.done_on.is_not(None),
        ),
        *(
            trial_models.Assessment.not_done_reason,
            trial_models.Assessment.mode,
            trial_models.Assessment.competitive_job,
        ),
        *(
            type_coerce(trial_models.Assessment.hours_per_week, Float).label("hours_per_week"),
            trial_models.Assessment.sick_leave_pct,
        ),
        *(
            trial_models.Assessment.benefits,
            trial_models.Assessment.disability_pension_pct,
            trial_models.Assessment.any_competitive_job,
        ),
        *(
            trial_models.Assessment.weeks_worked,
            trial_models.Assessment.days_worked,
            type_coerce(trial_models.Assessment.hours_worked, Float).label("hw"),
        ),
        *(trial_models.Assessment.eq_vas, trial_models.Assessment.pain_nrs),
        *(getattr(trial_models.Assessment, f"odi_{i}") for i in range(1, 11)),
    )
    rows = session.execute(
        select(*columns)
        .join(trial_models.Participant, trial_models.Participant.id == trial_models.Assessment.participant_id)
        .where(trial_models.Participant.trial_id == trial.id)
        .order_by(trial_models.Participant.ref, trial_models.Assessment.id)
    )
    result = []
    # Positional unpacking: named access on 15,000 rows costs more than the query.
    for (
        ref,
        pid,
        timepoint,
        on_day,
        done,
        reason,
        mode,
        job,
        hours_week,
        sick,
        benefits,
        *rest,
    ) in rows.tuples():
        disability, any_job, weeks, days, hours, eq_vas, pain_nrs, *odi = rest
        result.append(
            AssessmentRow(
                ref,
                timepoint,
                on_day,
                bool(done),
                reason,
                mode,
                job,
                hours_week,
                sick,
                tuple(c for c in benefits.split(";") if c) if benefits else (),
                disability,
                any_job,
                weeks,
                days,
                hours,
                tuple(odi),
                eq_vas,
                pain_nrs,
                pid in unmasked,
            )
        )
    return tuple(result)


def latest_lock(session: Session, trial: trial_models.Trial) -> trial_models.TrialLock | None:
    """The trial's data lock, if the statistician set one (the latest counts)."""
    return session.scalars(
        select(trial_models.TrialLock)
        .where(trial_models.TrialLock.trial_id == trial.id)
        .order_by(trial_models.TrialLock.id.desc())
        .limit(1)
    ).first()


def trial_data(session: Session, trial: trial_models.Trial) -> TrialData:
    """Everything the reports and the export read about ``trial``."""
    arms = session.execute(
        select(trial_models.TrialArm.code, trial_models.TrialArm.label)
        .where(trial_models.TrialArm.trial_id == trial.id)
        .order_by(trial_models.TrialArm.position)
    ).all()
    timepoints = session.execute(
        select(trial_models.TrialTimepoint.code, trial_models.TrialTimepoint.window_days)
        .where(trial_models.TrialTimepoint.trial_id == trial.id)
        .order_by(trial_models.TrialTimepoint.position)
    ).all()
    lock = latest_lock(session, trial)
    corrections = session.execute(
        select(
            trial_models.PostLockCorrection.record_ref,
            trial_models.PostLockCorrection.at,
            trial_models.PostLockCorrection.reason,
        )
        .where(trial_models.PostLockCorrection.trial_id == trial.id)
        .order_by(trial_models.PostLockCorrection.id)
    ).all()
    return TrialData(
        ref=trial.ref,
        name=trial.name,
        arms=tuple((code, label) for code, label in arms),
        timepoints=tuple(TimepointRow(code, window) for code, window in timepoints),
        target_enrolment=trial.target_enrolment,
        registration=trial.registration_id or "",
        screenings=_screenings(session, trial),
        participants=_participants(session, trial),
        assessments=_assessments(session, trial),
        locked_on=lock.locked_on if lock else None,
        corrections=tuple((ref, at.date().isoformat(), reason) for ref, at, reason in corrections),
    )


def enrolment_dates(data: TrialData) -> list[date]:
    """The enrolment dates in order (enrolment against target over time)."""
    return sorted(p.enrolled_on for p in data.participants)
