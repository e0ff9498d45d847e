"""Writes for fidelity: reviews (draft → final) and the logs of the judgement items.

Services add and flush; the view or command commits. They raise DomainError with the field it
belongs to; a final review is read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import RecordRevision, User
from caseload.db import next_ref, utcnow
from caseload.fidelity.catalogue import BY_KEY, EVIDENCE_KEYS, ITEM_KEYS
from caseload.fidelity.models import FidelityReview, FidelityReviewItem
from caseload.fidelity.scoring import FidelityResult
from caseload.l10n import lazy_gettext as _
from caseload.metrics.scale import fidelity_band, fidelity_total
from caseload.teams.models import Program, SupervisionSession, TeamMeeting, TreatmentTeam, VocationalContact
from caseload.writes import DomainError, added_under_ref, check_version

LOG_ITEMS = ("O2", "O3", "O4", "O5")


@dataclass(frozen=True, slots=True)
class ItemInput:
    """What the reviewer entered for one item."""

    score: int | None
    override_reason: str | None = None
    notes: str | None = None
    recommendations: str | None = None
    ticked: tuple[int, ...] = ()


def review_start(
    session: Session,
    *,
    program: Program,
    review_date: date,
    reviewers: str | None,
    result: FidelityResult,
    user_id: int,
) -> FidelityReview:
    """Open a draft review with all 25 items, the computed scores prefilled."""
    open_draft = session.scalar(
        select(FidelityReview.ref).where(
            FidelityReview.program_id == program.id,
            FidelityReview.review_date == review_date,
            FidelityReview.status == "draft",
        )
    )
    if open_draft:
        raise DomainError(
            _("A draft review for this date exists already: %(ref)s.", ref=open_draft), "review_date"
        )
    review = FidelityReview(
        ref=next_ref(session, FidelityReview),
        program_id=program.id,
        review_date=review_date,
        reviewers=(reviewers or "").strip() or None,
        created_by_id=user_id,
    )
    scores = result.scores()
    review.items = [
        FidelityReviewItem(
            code=key, position=i, computed_score=scores.get(key), score=scores.get(key), checklist={}
        )
        for i, key in enumerate(ITEM_KEYS)
    ]
    session.add(review)
    session.flush()
    return review


def keep_review_revision(session: Session, review: FidelityReview, *, user_id: int) -> None:
    """Save the review as it stands, items included, before it changes: reviews keep their history."""
    columns = {c.key: getattr(review, c.key) for c in review.__table__.columns}
    items = [
        {c.key: getattr(item, c.key) for c in item.__table__.columns if c.key not in ("id", "review_id")}
        for item in sorted(review.items, key=lambda i: i.position)
    ]
    session.add(
        RecordRevision(
            entity=review.__tablename__,
            entity_id=review.id,
            version=review.version,
            data=json.dumps({**columns, "items": items}, default=str, sort_keys=True),
            changed_by_id=user_id,
        )
    )


def item_title(key: str) -> str:
    """The item as every message names it: "V6 Vocational generalists"."""
    return f"{key} {BY_KEY[key].name}"


def _check_item(key: str, entry: ItemInput) -> None:
    """Input that cannot be stored, even in a draft (an incomplete draft can: see review_problems)."""
    if entry.score is not None and not 1 <= entry.score <= 5:
        raise DomainError(
            _("%(item)s: a score is a whole number from 1 to 5.", item=item_title(key)), f"{key}.score"
        )
    if any(not 0 <= i < len(BY_KEY[key].checklist) for i in entry.ticked):
        raise DomainError(_("%(item)s: unknown checklist element.", item=item_title(key)), f"{key}.ticked")


def review_problems(review: FidelityReview) -> list[DomainError]:
    """What stands between a draft and a final review, item by item in the scale's order: an item
    not scored, a score that differs from the computed one without a reason. Each names its item."""
    problems = []
    for item in sorted(review.items, key=lambda i: i.position):
        title = item_title(item.code)
        if item.score is None:
            problems.append(DomainError(_("%(item)s: not scored yet.", item=title), f"{item.code}.score"))
        elif (
            item.computed_score is not None and item.score != item.computed_score and not item.override_reason
        ):
            problems.append(
                DomainError(
                    _(
                        "%(item)s: an override needs a reason (the computed score is %(n)d).",
                        item=title,
                        n=item.computed_score,
                    ),
                    f"{item.code}.override_reason",
                )
            )
    return problems


def review_save(
    session: Session,
    *,
    review: FidelityReview,
    version: int | None,
    reviewers: str | None,
    notes: str | None,
    items: dict[str, ItemInput],
    user_id: int,
) -> FidelityReview:
    """Save the reviewer's scores, reasons, notes and checklists on a draft review, complete or not
    (an override may wait for its reason: finalising checks, see ``review_problems``)."""
    if review.status != "draft":
        raise DomainError(_("This review is final and can no longer be changed."))
    check_version(review, version)
    by_code = {item.code: item for item in review.items}
    for key, entry in items.items():
        _check_item(key, entry)
    keep_review_revision(session, review, user_id=user_id)
    for key, entry in items.items():
        item = by_code[key]
        item.score, item.notes, item.recommendations = entry.score, entry.notes, entry.recommendations
        overridden = item.computed_score is not None and entry.score != item.computed_score
        item.override_reason = ((entry.override_reason or "").strip() or None) if overridden else None
        item.checklist = {**item.checklist, "ticked": sorted(set(entry.ticked))}
    review.reviewers = (reviewers or "").strip() or None
    review.notes = (notes or "").strip() or None
    review.total = fidelity_total({i.code: i.score for i in review.items})
    review.band = fidelity_band(review.total)
    review.updated_at = utcnow()  # bumps the version even when only items changed
    session.flush()
    return review


def review_finalise(
    session: Session,
    *,
    review: FidelityReview,
    version: int | None,
    result: FidelityResult,
    user_id: int,
    logs: dict | None = None,
) -> FidelityReview:
    """Make a draft final: every item scored, every override with its reason; computed values and
    log evidence frozen into it."""
    if review.status != "draft":
        raise DomainError(_("This review is final already."))
    check_version(review, version)
    missing = [i.code for i in sorted(review.items, key=lambda i: i.position) if i.score is None]
    if missing:
        raise DomainError(_("Score every item first; not scored: %(codes)s.", codes=", ".join(missing)))
    problems = review_problems(review)
    if problems:
        raise problems[0]
    keep_review_revision(session, review, user_id=user_id)
    for item in review.items:
        frozen = dict(item.checklist)
        if item.code in result.items:
            frozen["computed"] = result.items[item.code].as_json()
        if item.code in EVIDENCE_KEYS:
            frozen["evidence"] = result.evidence[item.code].as_json()
        if item.code in LOG_ITEMS and logs is not None:
            frozen["logs"] = logs
        item.checklist = frozen
    review.total = fidelity_total({i.code: i.score for i in review.items})
    review.band = fidelity_band(review.total)
    review.status, review.finalised_at = "final", utcnow()
    session.flush()
    return review


def _program_member(session: Session, program: Program, user_id: int | None, role: str, field: str) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.program_id != program.id or user.role != role:
        raise DomainError(_("Choose a %(role)s of this programme.", role=role), field)


L = TypeVar("L", TeamMeeting, VocationalContact, SupervisionSession)


def _logged(session: Session, program: Program, record: L) -> L:
    """Add a programme's log record (a meeting, a counsellor contact, a supervision) under its next ref,
    once its supervisor and its specialist, where it names them, are found among the programme's."""
    for field, role in (("supervisor_id", "supervisor"), ("specialist_id", "specialist")):
        _program_member(session, program, getattr(record, field, None), role, field)
    record.program_id = program.id
    return added_under_ref(session, record)


def team_meeting_record(
    session: Session,
    *,
    program: Program,
    team_id: int,
    specialist_id: int,
    meeting_date: date,
    notes: str | None,
) -> TeamMeeting:
    """Log a treatment-team meeting a specialist attended (O2)."""
    team = session.get(TreatmentTeam, team_id)
    if team is None or team.program_id != program.id:
        raise DomainError(_("Choose one of the programme's treatment teams."), "team_id")
    meeting = TeamMeeting(
        team_id=team_id, specialist_id=specialist_id, meeting_date=meeting_date, notes=notes or None
    )
    return _logged(session, program, meeting)


def vocational_contact_record(
    session: Session,
    *,
    program: Program,
    specialist_id: int,
    contact_date: date,
    kind: str,
    counsellor: str | None,
    notes: str | None,
) -> VocationalContact:
    """Log a contact or scheduled meeting with a NAV / vocational rehabilitation counsellor (O3)."""
    if kind not in ("contact", "meeting"):
        raise DomainError(_("Choose contact or meeting."), "kind")
    contact = VocationalContact(
        specialist_id=specialist_id,
        contact_date=contact_date,
        kind=kind,
        counsellor=counsellor or None,
        notes=notes or None,
    )
    return _logged(session, program, contact)


def supervision_session_record(
    session: Session,
    *,
    program: Program,
    supervisor_id: int,
    specialist_id: int | None,
    session_date: date,
    kind: str,
    minutes: int,
    notes: str | None,
) -> SupervisionSession:
    """Log group supervision or a field-mentoring session with one specialist (O4, O5)."""
    if kind not in ("group", "field_mentoring"):
        raise DomainError(_("Choose group supervision or field mentoring."), "kind")
    if kind == "field_mentoring" and specialist_id is None:
        raise DomainError(_("Field mentoring is with one specialist: choose who."), "specialist_id")
    supervision = SupervisionSession(
        supervisor_id=supervisor_id,
        specialist_id=specialist_id,
        session_date=session_date,
        kind=kind,
        minutes=minutes,
        notes=notes or None,
    )
    return _logged(session, program, supervision)
