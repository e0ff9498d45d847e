"""Writes of the trial: set-up, the secret allocation, screening, enrolment with concealed
randomisation, assessments, withdrawal, unmasking, annotations. Services add and flush; the
caller (view or CLI) commits. Every write is audited with the record's ref, never health data."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseload.auth.audit import audit
from caseload.clients.models import Client, Referral
from caseload.clients.services import referral_record
from caseload.db import next_ref, utcnow
from caseload.l10n import lazy_gettext as _l
from caseload.metrics.trial import (
    ASSESSMENT_MODES,
    DEFAULT_WINDOW_DAYS,
    EXCLUSION_REASONS,
    NOT_DONE_REASONS,
    TRIAL_BENEFITS,
    TRIAL_TIMEPOINTS,
)
from caseload.security.keys import seal, unseal
from caseload.trial import allocation as allocator
from caseload.trial.models import (
    Allocation,
    Assessment,
    Participant,
    PostLockCorrection,
    Screening,
    Trial,
    TrialArm,
    TrialEligibilityItem,
    TrialFactor,
    TrialFactorLevel,
    TrialLock,
    TrialTimepoint,
    UnmaskingEvent,
)
from caseload.writes import DomainError, added_under_ref, check_version, keep_revision

SEAL_PURPOSE = "trial-allocation"


@dataclass(frozen=True)
class ArmSpec:
    code: str
    label: str
    ratio: int
    refers_to_caseload: bool = False


@dataclass(frozen=True)
class FactorSpec:
    code: str
    label: str
    levels: Sequence[tuple[str, str]]  # (code, label)


@dataclass(frozen=True)
class Contact:
    """Who a participant enrolled is and how to reach them."""

    name: str
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass
class AssessmentValues:
    """What an assessor records at one timepoint (done, or not done with a reason)."""

    done_on: date | None = None
    not_done_reason: str | None = None
    mode: str | None = None
    odi: Sequence[int | None] = (None,) * 10
    eq_vas: int | None = None
    pain_nrs: int | None = None
    competitive_job: bool | None = None
    hours_per_week: Decimal | None = None
    sick_leave_pct: int | None = None
    benefits: Sequence[str] = field(default_factory=tuple)
    disability_pension_pct: int | None = None
    any_competitive_job: bool | None = None
    weeks_worked: int | None = None
    days_worked: int | None = None
    hours_worked: Decimal | None = None


# --- the data lock -----------------------------------------------------------------------------


def trial_locked_check(
    session: Session,
    *,
    trial_id: int,
    record_on: date,
    record_ref: str,
    user_id: int,
    correction_reason: str | None = None,
) -> PostLockCorrection | None:
    """Locked data are refused unless the change is a post-lock correction with a reason.

    A record dated on or before the trial's latest lock date is locked; with a reason the
    change goes through and a PostLockCorrection is kept (the export lists them)."""
    locked_on = session.scalar(select(func.max(TrialLock.locked_on)).where(TrialLock.trial_id == trial_id))
    if locked_on is None or record_on > locked_on:
        return None
    reason = (correction_reason or "").strip()
    if not reason:
        raise DomainError(
            _l(
                "The trial's data are locked up to %(d)s. Give a reason to record this as a "
                "post-lock correction.",
                d=locked_on.isoformat(),
            ),
            "correction_reason",
        )
    correction = PostLockCorrection(trial_id=trial_id, record_ref=record_ref, reason=reason, by_id=user_id)
    session.add(correction)
    audit(session, action="trial_correct", target=record_ref, user_id=user_id)
    return correction


# --- set-up ------------------------------------------------------------------------------------


def trial_create(
    session: Session,
    *,
    program_id: int,
    name: str,
    registration_id: str | None,
    target_enrolment: int,
    arms: Sequence[ArmSpec],
    eligibility: Sequence[tuple[str, str]],
    factors: Sequence[FactorSpec] = (),
    windows: Mapping[str, int] | None = None,
    user_id: int,
) -> Trial:
    """Set up a trial in a programme: arms with their ratio, eligibility checklist, strata factors
    and the assessment schedule (every timepoint, window ``DEFAULT_WINDOW_DAYS`` unless given)."""
    codes = [a.code for a in arms]
    if len(arms) < 2 or len(set(codes)) != len(codes):
        raise DomainError(_l("A trial needs at least two arms with different codes."), "arms")
    if sum(a.refers_to_caseload for a in arms) > 1:
        raise DomainError(_l("Only one arm can refer its participants to the caseload."), "arms")
    trial = Trial(
        program_id=program_id,
        name=name,
        registration_id=registration_id or None,
        target_enrolment=target_enrolment,
    )
    added_under_ref(session, trial)
    for i, a in enumerate(arms):
        session.add(
            TrialArm(
                trial_id=trial.id,
                code=a.code,
                label=a.label,
                ratio=a.ratio,
                position=i,
                refers_to_caseload=a.refers_to_caseload,
            )
        )
    for i, (code, label) in enumerate(eligibility):
        session.add(TrialEligibilityItem(trial_id=trial.id, code=code, label=label, position=i))
    for i, tp in enumerate(TRIAL_TIMEPOINTS):
        window = (windows or {}).get(tp, DEFAULT_WINDOW_DAYS)
        session.add(TrialTimepoint(trial_id=trial.id, code=tp, window_days=window, position=i))
    for i, f in enumerate(factors):
        factor = TrialFactor(trial_id=trial.id, code=f.code, label=f.label, position=i)
        session.add(factor)
        session.flush()
        for j, (code, label) in enumerate(f.levels):
            session.add(TrialFactorLevel(factor_id=factor.id, code=code, label=label, position=j))
    session.flush()
    audit(session, action="trial_create", target=trial.ref, user_id=user_id)
    return trial


def trial_strata(trial: Trial) -> list[str]:
    """Every stratum of the trial's factors."""
    return allocator.strata({f.code: [lv.code for lv in f.levels] for f in trial.factors})


def allocation_seed_set(session: Session, *, trial: Trial, user_id: int, seed: bytes | None = None) -> None:
    """The statistician sets the secret seed (a fresh random one unless given), sealed with the
    key store's data key. Refused once anyone has been allocated."""
    _refuse_after_first_allocation(session, trial)
    secret = seed if seed is not None else secrets.token_bytes(32)
    trial.allocation_source = "seed"
    trial.allocation_secret = seal(secret, SEAL_PURPOSE)
    trial.allocation_set_at, trial.allocation_set_by_id = utcnow(), user_id
    session.flush()
    audit(session, action="trial_seed_set", target=trial.ref, user_id=user_id)


def allocation_list_set(session: Session, *, trial: Trial, text: str, user_id: int) -> int:
    """The statistician uploads an allocation list (CSV ``stratum,sequence,arm``); it is kept
    sealed. Returns the number of entries."""
    _refuse_after_first_allocation(session, trial)
    try:
        parsed = allocator.parse_list(text, [a.code for a in trial.arms], trial_strata(trial))
    except allocator.AllocationError as err:
        raise DomainError(str(err), "allocation_list") from err
    trial.allocation_source = "list"
    trial.allocation_secret = seal(json.dumps(parsed, sort_keys=True).encode(), SEAL_PURPOSE)
    trial.allocation_set_at, trial.allocation_set_by_id = utcnow(), user_id
    session.flush()
    audit(session, action="trial_list_set", target=trial.ref, user_id=user_id)
    return sum(len(v) for v in parsed.values())


def _refuse_after_first_allocation(session: Session, trial: Trial) -> None:
    if session.scalar(select(Allocation.id).where(Allocation.trial_id == trial.id).limit(1)) is not None:
        raise DomainError(_l("Participants have been allocated: the allocation cannot be changed."))


# --- screening and enrolment ------------------------------------------------------------------


def screening_record(
    session: Session,
    *,
    trial: Trial,
    screened_on: date,
    person_name: str | None,
    criteria_met: Sequence[str],
    consent_on: date | None,
    exclusion_reasons: Sequence[str],
    exclusion_note: str | None,
    user_id: int,
) -> Screening:
    """Record one person screened. Eligible when every checklist item is met; anyone not
    eligible is excluded as ``not_eligible``; an eligible person who is not enrolled needs a
    reason (declined, other). Consent needs a date and eligibility."""
    _refuse_locked(session, trial, screened_on, user_id)
    items = [i.code for i in trial.eligibility_items]
    unknown = set(criteria_met) - set(items)
    if unknown:
        raise DomainError(_l("Unknown eligibility item."), "criteria_met")
    reasons = [r for r in EXCLUSION_REASONS if r in set(exclusion_reasons)]
    if set(exclusion_reasons) - set(EXCLUSION_REASONS):
        raise DomainError(_l("Unknown exclusion reason."), "exclusion_reasons")
    eligible = all(code in criteria_met for code in items)
    if not eligible and "not_eligible" not in reasons:
        reasons.insert(0, "not_eligible")
    if eligible and "not_eligible" in reasons:
        raise DomainError(_l("Every criterion is met: the person is eligible."), "exclusion_reasons")
    if consent_on is not None and reasons:
        raise DomainError(_l("A person who consented and is eligible is not excluded."), "consent_on")
    if consent_on is not None and consent_on < screened_on:
        raise DomainError(_l("Consent cannot be given before screening."), "consent_on")
    if eligible and consent_on is None and not reasons:
        raise DomainError(_l("Give the consent date, or why the person is not enrolled."), "consent_on")
    if "other" in reasons and not (exclusion_note or "").strip():
        raise DomainError(_l("Say what the other reason is."), "exclusion_note")
    screening = Screening(
        trial_id=trial.id,
        screened_on=screened_on,
        screened_by_id=user_id,
        person_name=person_name or None,
        criteria_met=";".join(c for c in items if c in criteria_met),
        eligible=eligible,
        exclusion_reasons=";".join(reasons),
        exclusion_note=(exclusion_note or "").strip() or None,
        consent_on=consent_on,
    )
    added_under_ref(session, screening)
    audit(session, action="trial_screen", target=screening.ref, user_id=user_id)
    return screening


def _refuse_locked(session: Session, trial: Trial, on: date, user_id: int) -> None:
    """New records dated inside a locked period are refused outright (corrections edit records)."""
    trial_locked_check(session, trial_id=trial.id, record_on=on, record_ref=trial.ref, user_id=user_id)


def participant_enrol(
    session: Session,
    *,
    trial: Trial,
    screening: Screening,
    contact: Contact,
    levels: Mapping[str, str],
    enrolled_on: date,
    user_id: int,
) -> Participant:
    """Enrol a consented, eligible person and randomise them at once (concealed: the arm is
    drawn only now, under the trial's row lock). An arm that refers to the caseload creates
    the programme's referral in the same transaction, linked to the participant."""
    if screening.trial_id != trial.id or not screening.eligible or screening.consent_on is None:
        raise DomainError(_l("Only an eligible person who consented can be enrolled."))
    if screening.exclusion_reasons:
        raise DomainError(_l("This person was excluded at screening."))
    if enrolled_on < screening.consent_on:
        raise DomainError(_l("Enrolment cannot be before consent."), "enrolled_on")
    if session.scalar(select(Participant.id).where(Participant.screening_id == screening.id)) is not None:
        raise DomainError(_l("This person is enrolled already."))
    if trial.allocation_secret is None:
        raise DomainError(_l("The statistician has not set up the allocation yet."))
    _refuse_locked(session, trial, enrolled_on, user_id)
    stratum = _stratum(trial, levels)
    participant = Participant(
        trial_id=trial.id,
        screening_id=screening.id,
        name=contact.name,
        birth_date=contact.birth_date,
        phone=contact.phone or None,
        email=contact.email or None,
        address=contact.address or None,
        stratum=stratum,
        enrolled_on=enrolled_on,
        enrolled_by_id=user_id,
    )
    added_under_ref(session, participant)
    audit(session, action="trial_enrol", target=participant.ref, user_id=user_id)
    arm = randomise(session, trial=trial, participant=participant, user_id=user_id)
    if arm.refers_to_caseload:
        referral = referral_record(
            session,
            program_id=trial.program_id,
            received_on=enrolled_on,
            source=f"{trial.name} ({participant.ref})"[:200],
            person_name=contact.name,
            user_id=user_id,
        )
        participant.referral_id = referral.id
        session.flush()
    return participant


def _stratum(trial: Trial, levels: Mapping[str, str]) -> str:
    chosen: dict[str, str] = {}
    for factor in trial.factors:
        level = levels.get(factor.code)
        if level not in {lv.code for lv in factor.levels}:
            raise DomainError(_l("Choose a level for every stratification factor."), f"factor_{factor.code}")
        chosen[factor.code] = level  # type: ignore[assignment]
    return allocator.stratum_key(chosen)


def randomise(session: Session, *, trial: Trial, participant: Participant, user_id: int) -> TrialArm:
    """Allocate the participant: the next sequence number of their stratum (the trial's row is
    locked, so concurrent enrolments queue: no duplicate, no gap), the arm from the sealed seed
    or list. Append-only, audited (the audit event binds it into the hash chain)."""
    session.execute(select(Trial.id).where(Trial.id == trial.id).with_for_update())
    taken = session.scalar(
        select(func.count())
        .select_from(Allocation)
        .where(Allocation.trial_id == trial.id, Allocation.stratum == participant.stratum)
    )
    number = (taken or 0) + 1
    secret = unseal(trial.allocation_secret or "", SEAL_PURPOSE)
    if secret is None:
        raise DomainError(_l("The allocation cannot be read with this key store."))
    arms = {a.code: a for a in trial.arms}
    try:
        if trial.allocation_source == "list":
            code = allocator.from_list(json.loads(secret), participant.stratum, number)
        else:
            code = allocator.allocate(
                secret, participant.stratum, [(a.code, a.ratio) for a in trial.arms], number
            )
    except allocator.AllocationError as err:
        raise DomainError(str(err)) from err
    arm = arms[code]
    session.add(
        Allocation(
            trial_id=trial.id,
            participant_id=participant.id,
            stratum=participant.stratum,
            sequence=number,
            arm_id=arm.id,
            allocated_by_id=user_id,
        )
    )
    session.flush()
    audit(
        session,
        action="trial_allocate",
        target=f"{participant.ref}/{number}/{arm.code}"[:120],
        user_id=user_id,
    )
    return arm


def allocation_annotate(session: Session, *, allocation: Allocation, text: str, user_id: int) -> None:
    """The statistician's annotation (e.g. "randomisation error"); the allocation stays as it was."""
    if not text.strip():
        raise DomainError(_l("Write the annotation."), "annotation")
    allocation.annotation = text.strip()
    allocation.annotated_at, allocation.annotated_by_id = utcnow(), user_id
    session.flush()
    audit(session, action="trial_annotate", target=allocation.participant.ref, user_id=user_id)


def client_arm_fill(session: Session, client_id: int, _now: datetime) -> None:
    """A client who came in through the trial carries the allocated arm's code in ``trial_arm``
    (a hook run after a client's records change, e.g. when the trial's referral is accepted).
    An arm recorded before, outside the trial, is kept."""
    row = session.execute(
        select(Client, TrialArm.code)
        .join(Referral, Referral.client_id == Client.id)
        .join(Participant, Participant.referral_id == Referral.id)
        .join(Allocation, Allocation.participant_id == Participant.id)
        .join(TrialArm, TrialArm.id == Allocation.arm_id)
        .where(Client.id == client_id)
    ).first()
    if row is not None and row[0].trial_arm is None:
        row[0].trial_arm = row[1]
        session.flush()


# --- follow-up ---------------------------------------------------------------------------------


def assessment_record(
    session: Session,
    *,
    participant: Participant,
    timepoint: str,
    values: AssessmentValues,
    user_id: int,
    version: int | None = None,
    correction_reason: str | None = None,
) -> Assessment:
    """Record (or correct, with the version it was opened at) the assessment at a timepoint."""
    if timepoint not in TRIAL_TIMEPOINTS:
        raise DomainError(_l("Unknown timepoint."), "timepoint")
    _check_values(participant, values)
    existing = session.scalar(
        select(Assessment).where(
            Assessment.participant_id == participant.id, Assessment.timepoint == timepoint
        )
    )
    on = values.done_on or participant.enrolled_on
    if existing is None:
        assessment = Assessment(
            ref=next_ref(session, Assessment), participant_id=participant.id, timepoint=timepoint
        )
    else:
        check_version(existing, version)
        assessment = existing
        # a correction is locked when the saved date or the new one is inside the lock
        on = min(existing.done_on or participant.enrolled_on, on)
    trial_locked_check(
        session,
        trial_id=participant.trial_id,
        record_on=on,
        record_ref=assessment.ref,
        user_id=user_id,
        correction_reason=correction_reason,
    )
    if existing is None:
        session.add(assessment)
    else:
        keep_revision(session, existing, user_id=user_id)
    _apply(assessment, values, user_id)
    session.flush()
    audit(session, action="trial_assess", target=assessment.ref, user_id=user_id)
    return assessment


def _check_values(participant: Participant, v: AssessmentValues) -> None:
    if (v.done_on is None) == (v.not_done_reason is None):
        raise DomainError(_l("Give the date it was done, or why it was not done."), "done_on")
    if v.not_done_reason is not None and v.not_done_reason not in NOT_DONE_REASONS:
        raise DomainError(_l("Unknown reason."), "not_done_reason")
    if v.done_on is None:
        return
    if v.mode not in ASSESSMENT_MODES:
        raise DomainError(_l("Choose how it was done."), "mode")
    if (
        v.done_on < participant.enrolled_on
        and (participant.enrolled_on - v.done_on).days > DEFAULT_WINDOW_DAYS
    ):
        raise DomainError(_l("The date is too long before enrolment."), "done_on")
    benefits = set(v.benefits)
    if benefits - set(TRIAL_BENEFITS):
        raise DomainError(_l("Unknown benefit."), "benefits")
    if "none" in benefits and len(benefits) > 1:
        raise DomainError(_l("“None” cannot go with a benefit."), "benefits")
    if v.disability_pension_pct is not None and "disability_pension" not in benefits:
        raise DomainError(
            _l("A disability pension grade needs the disability pension ticked."), "disability_pension_pct"
        )
    if v.competitive_job is False and v.hours_per_week:
        raise DomainError(_l("Hours a week are for a person in a competitive job."), "hours_per_week")
    if v.any_competitive_job is False and (v.weeks_worked or v.days_worked or v.hours_worked):
        raise DomainError(
            _l("Weeks, days and hours worked are for a person who had a job."), "any_competitive_job"
        )


def _apply(a: Assessment, v: AssessmentValues, user_id: int) -> None:
    done = v.done_on is not None
    a.done_on, a.not_done_reason = v.done_on, v.not_done_reason
    a.mode = v.mode if done else None
    a.assessor_id = user_id
    for i, score in enumerate(v.odi, start=1):
        setattr(a, f"odi_{i}", score if done else None)
    a.eq_vas = v.eq_vas if done else None
    a.pain_nrs = v.pain_nrs if done else None
    a.competitive_job = v.competitive_job if done else None
    a.hours_per_week = v.hours_per_week if done else None
    a.sick_leave_pct = v.sick_leave_pct if done else None
    a.benefits = ";".join(b for b in TRIAL_BENEFITS if b in set(v.benefits)) if done else ""
    a.disability_pension_pct = v.disability_pension_pct if done else None
    a.any_competitive_job = v.any_competitive_job if done else None
    a.weeks_worked = v.weeks_worked if done else None
    a.days_worked = v.days_worked if done else None
    a.hours_worked = v.hours_worked if done else None


def participant_withdraw(
    session: Session,
    *,
    participant: Participant,
    withdrawn_on: date,
    reason: str,
    data_may_be_kept: bool,
    user_id: int,
    version: int | None = None,
) -> None:
    """Record a withdrawal: date, reason and whether the data collected may be kept."""
    check_version(participant, version)
    if withdrawn_on < participant.enrolled_on:
        raise DomainError(_l("Withdrawal cannot be before enrolment."), "withdrawn_on")
    if not reason.strip():
        raise DomainError(_l("Give the reason."), "reason")
    keep_revision(session, participant, user_id=user_id)
    participant.withdrawn_on, participant.withdrawal_reason = withdrawn_on, reason.strip()
    participant.data_may_be_kept = data_may_be_kept
    session.flush()
    audit(session, action="trial_withdraw", target=participant.ref, user_id=user_id)


def unmasking_record(
    session: Session, *, participant: Participant, note: str | None, user_id: int
) -> UnmaskingEvent:
    """An assessor learned the participant's arm: kept for the reports."""
    event = UnmaskingEvent(
        participant_id=participant.id, assessor_id=user_id, note=(note or "").strip() or None
    )
    session.add(event)
    session.flush()
    audit(session, action="trial_unmasked", target=participant.ref, user_id=user_id)
    return event
