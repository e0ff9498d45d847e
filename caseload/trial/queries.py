"""Reads of the trial. The assessor's reads (``assessor_*``) never touch allocations, arms,
referrals or clients: nothing they return can reveal the arm."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.metrics.trial import TIMEPOINT_DAYS, TRIAL_TIMEPOINTS, Due, assessment_due
from caseload.trial.models import (
    Allocation,
    Assessment,
    Participant,
    Screening,
    Trial,
    TrialArm,
    TrialTimepoint,
)


def trial_for(session: Session, user: User, ref: str) -> Trial:
    """A trial of the person's programme, else 404."""
    trial = session.scalar(select(Trial).where(Trial.ref == ref, Trial.program_id == user.program_id))
    if trial is None:
        abort(404)
    return trial


def trials_of(session: Session, user: User) -> list[Trial]:
    return list(session.scalars(select(Trial).where(Trial.program_id == user.program_id).order_by(Trial.ref)))


def participant_for(session: Session, user: User, ref: str) -> Participant:
    """A participant of a trial in the person's programme, else 404 (no arm loaded)."""
    participant = session.scalar(
        select(Participant).join(Trial).where(Participant.ref == ref, Trial.program_id == user.program_id)
    )
    if participant is None:
        abort(404)
    return participant


@dataclass(frozen=True)
class TrialCounts:
    screened: int
    excluded: int
    awaiting_enrolment: int
    enrolled: int
    withdrawn: int


def trial_counts(session: Session, trial: Trial) -> TrialCounts:
    """Screening and enrolment counts, without arms (safe for anyone on the trial)."""
    screened, excluded = session.execute(
        select(func.count(), func.count().filter(Screening.exclusion_reasons != "")).where(
            Screening.trial_id == trial.id
        )
    ).one()
    enrolled, withdrawn = session.execute(
        select(func.count(), func.count(Participant.withdrawn_on)).where(Participant.trial_id == trial.id)
    ).one()
    return TrialCounts(screened, excluded, len(awaiting_enrolment(session, trial)), enrolled, withdrawn)


def awaiting_enrolment(session: Session, trial: Trial) -> list[Screening]:
    """Eligible people who consented and are not enrolled yet."""
    enrolled = select(Participant.screening_id).where(Participant.trial_id == trial.id)
    return list(
        session.scalars(
            select(Screening)
            .where(
                Screening.trial_id == trial.id,
                Screening.eligible,
                Screening.consent_on.is_not(None),
                Screening.exclusion_reasons == "",
                Screening.id.not_in(enrolled),
            )
            .order_by(Screening.screened_on, Screening.id)
        )
    )


def recent_screenings(session: Session, trial: Trial, limit: int = 50) -> list[Screening]:
    return list(
        session.scalars(
            select(Screening).where(Screening.trial_id == trial.id).order_by(Screening.id.desc()).limit(limit)
        )
    )


def participants_with_arms(session: Session, trial: Trial) -> list[tuple[Participant, TrialArm]]:
    """The trial manager's and statistician's list: every participant with the allocated arm."""
    return [
        (p, a)
        for p, a in session.execute(
            select(Participant, TrialArm)
            .join(Allocation, Allocation.participant_id == Participant.id)
            .join(TrialArm, TrialArm.id == Allocation.arm_id)
            .where(Participant.trial_id == trial.id)
            .order_by(Participant.ref)
        ).all()
    ]


def allocations(session: Session, trial: Trial) -> list[tuple[Allocation, Participant, TrialArm]]:
    """The sequence, stratum by stratum (the statistician's view)."""
    return [
        (al, p, a)
        for al, p, a in session.execute(
            select(Allocation, Participant, TrialArm)
            .join(Participant, Participant.id == Allocation.participant_id)
            .join(TrialArm, TrialArm.id == Allocation.arm_id)
            .where(Allocation.trial_id == trial.id)
            .order_by(Allocation.stratum, Allocation.sequence)
        ).all()
    ]


def balance(rows: list[tuple[Allocation, Participant, TrialArm]]) -> dict[str, Counter]:
    """Allocations per stratum and arm code."""
    out: dict[str, Counter] = {}
    for al, _p, arm in rows:
        out.setdefault(al.stratum, Counter())[arm.code] += 1
    return out


@dataclass(frozen=True)
class DueRow:
    """One timepoint of one participant as the assessor sees it."""

    participant: Participant
    due: Due
    state: str  # upcoming | due | missing | done | not_done | withdrawn
    assessment: Assessment | None


def assessor_schedule(session: Session, trial_ids: list[int], today: date) -> list[DueRow]:
    """Every participant's timepoints with their state; masked (no arm, no caseload record).
    Two queries whatever the number of participants."""
    participants = list(
        session.scalars(
            select(Participant).where(Participant.trial_id.in_(trial_ids)).order_by(Participant.ref)
        )
    )
    done = {
        (a.participant_id, a.timepoint): a
        for a in session.scalars(
            select(Assessment).join(Participant).where(Participant.trial_id.in_(trial_ids))
        )
    }
    windows = _windows(session, trial_ids)
    rows = []
    for p in participants:
        for tp, window in windows.get(p.trial_id, []):
            due = assessment_due(p.enrolled_on, tp, window)
            a = done.get((p.id, tp))
            if a is not None:
                state = "done" if a.done_on else "not_done"
            elif p.withdrawn_on is not None and p.withdrawn_on <= due.closes:
                state = "withdrawn"  # nothing more is asked of a withdrawn participant
            else:
                state = due.state(today)
            rows.append(DueRow(p, due, state, a))
    return rows


def _windows(session: Session, trial_ids: list[int]) -> dict[int, list[tuple[str, int]]]:

    out: dict[int, list[tuple[str, int]]] = {}
    for tp in session.scalars(
        select(TrialTimepoint).where(TrialTimepoint.trial_id.in_(trial_ids)).order_by(TrialTimepoint.position)
    ):
        out.setdefault(tp.trial_id, []).append((tp.code, tp.window_days))
    return out


# A participant enrolled longer ago than this has every assessment window closed (the longest
# timepoint, the widest window a trial may set, and a month's grace for a stopped scheduler).
SCHEDULE_SPAN = timedelta(days=max(TIMEPOINT_DAYS.values()) + 180 + 30)


def assessor_schedule_rows(
    session: Session, program_id: int, t: date, participant_ref: str | None = None
) -> list[tuple[str, date, date | None, str, int, str | None]]:
    """The assessment prompts' rows: per participant of the programme's trials and timepoint, the
    study ref, enrolment, withdrawal, timepoint, window and the recorded assessment's ref. Masked
    (no allocation, arm, referral or client); one query whatever the number of participants."""
    stmt = (
        select(
            Participant.ref,
            Participant.enrolled_on,
            Participant.withdrawn_on,
            TrialTimepoint.code,
            TrialTimepoint.window_days,
            Assessment.ref,
        )
        .join(Trial, Trial.id == Participant.trial_id)
        .join(TrialTimepoint, TrialTimepoint.trial_id == Participant.trial_id)
        .outerjoin(
            Assessment,
            and_(Assessment.participant_id == Participant.id, Assessment.timepoint == TrialTimepoint.code),
        )
        .where(
            Trial.program_id == program_id,
            TrialTimepoint.code.in_(TRIAL_TIMEPOINTS),
            Participant.enrolled_on >= t - SCHEDULE_SPAN,
        )
        .order_by(Participant.ref, TrialTimepoint.position)
    )
    if participant_ref is not None:
        stmt = stmt.where(Participant.ref == participant_ref)
    return [tuple(row) for row in session.execute(stmt)]
