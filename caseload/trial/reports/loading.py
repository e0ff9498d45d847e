"""Load one trial's plain rows for the reports and the export: a fixed number of queries,
whatever the trial's size."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, func, select, type_coerce
from sqlalchemy.orm import Session

from caseload.clients.models import Referral
from caseload.trial import models as trial_models
from caseload.trial.models import Allocation, Assessment, Participant, Screening, TrialArm
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, ScreeningRow, TimepointRow, TrialData

ACCEPTED = "accepted"


def _screenings(session: Session, trial: trial_models.Trial) -> tuple[ScreeningRow, ...]:
    rows = session.execute(
        select(
            Screening.ref,
            Screening.screened_on,
            Screening.eligible,
            Screening.exclusion_reasons,
            Participant.ref,
        )
        .outerjoin(Participant, Participant.screening_id == Screening.id)
        .where(Screening.trial_id == trial.id)
        .order_by(Screening.ref)
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
            Participant, Allocation.sequence, TrialArm.code, TrialArm.refers_to_caseload, Referral.decision
        )
        .join(Allocation, Allocation.participant_id == Participant.id)
        .join(TrialArm, TrialArm.id == Allocation.arm_id)
        .outerjoin(Referral, Referral.id == Participant.referral_id)
        .where(Participant.trial_id == trial.id)
        .order_by(Participant.ref)
    )
    return tuple(
        ParticipantRow(
            p.ref,
            arm,
            p.enrolled_on,
            # IPS is received once the programme accepted the referral; usual care always is.
            (decision == ACCEPTED) if to_caseload else True,
            p.stratum,
            sequence,
            p.withdrawn_on,
            p.withdrawal_reason,
            p.data_may_be_kept,
        )
        for p, sequence, arm, to_caseload, decision in rows.tuples()
    )


def _assessments(session: Session, trial: trial_models.Trial) -> tuple[AssessmentRow, ...]:
    unmasked = set(
        session.scalars(
            select(trial_models.UnmaskingEvent.participant_id)
            .join(
                Participant,
                Participant.id == trial_models.UnmaskingEvent.participant_id,
            )
            .where(Participant.trial_id == trial.id)
        )
    )
    # A not-done record counts from the day it was written. Hours come as floats: parsing 15,000
    # Decimals and timestamps would take most of a large trial's report time.
    on = type_coerce(func.coalesce(Assessment.done_on, func.date(Assessment.created_at)), Date).label("on")
    columns = (
        Participant.ref,
        Assessment.participant_id,
        Assessment.timepoint,
        on,
        Assessment.done_on.is_not(None),
        Assessment.not_done_reason,
        Assessment.mode,
        Assessment.competitive_job,
        type_coerce(Assessment.hours_per_week, Float).label("hours_per_week"),
        Assessment.sick_leave_pct,
        Assessment.benefits,
        Assessment.disability_pension_pct,
        Assessment.any_competitive_job,
        Assessment.weeks_worked,
        Assessment.days_worked,
        type_coerce(Assessment.hours_worked, Float).label("hw"),
        Assessment.eq_vas,
        Assessment.pain_nrs,
        *(getattr(Assessment, f"odi_{i}") for i in range(1, 11)),
    )
    rows = session.execute(
        select(*columns)
        .join(Participant, Participant.id == Assessment.participant_id)
        .where(Participant.trial_id == trial.id)
        .order_by(Participant.ref, Assessment.id)
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
        select(TrialArm.code, TrialArm.label).where(TrialArm.trial_id == trial.id).order_by(TrialArm.position)
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
