"""The report pages send the same statements for any trial size; locked data change only as
post-lock corrections, which the export lists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from caseload.trial import services
from caseload.trial.export import canonical_csv, manifest
from caseload.trial.lock import trial_lock
from caseload.trial.models import Assessment, Participant
from caseload.trial.reports.loading import trial_data
from caseload.trial.services import AssessmentValues
from caseload.writes import DomainError
from tests.perf.test_constant_queries import statements
from tests.trial.reports.world import trial_world


def test_report_lock_and_export_pages_send_the_same_statements_for_3_or_40_participants(db, client, login_as):
    small = trial_world(db.session, people=3, seed=1)
    large = trial_world(db.session, people=40, seed=2)
    shapes = [(trial.ref, stat.id) for trial, _p, stat, _m in (small, large)]
    db.session.commit()
    for page in (
        "/trial/{ref}/reports?as_of=2025-09-01",
        "/trial/{ref}/lock",
        "/trial/{ref}/export/trial.csv",
    ):
        counts = [statements(db, client, login_as, user_id, page.format(ref=ref)) for ref, user_id in shapes]
        assert counts[0] == counts[1], f"{page}: {counts}"


def test_a_locked_assessment_changes_only_as_a_correction_with_a_reason_which_the_export_lists(db):
    trial, _prog, statistician, _manager = trial_world(db.session, people=3)
    trial_lock(
        db.session, trial=trial, user_id=statistician.id, locked_on=date(2025, 6, 30), today=date(2026, 1, 1)
    )
    db.session.commit()
    assessment = db.session.scalars(
        select(Assessment).where(Assessment.timepoint == "baseline", Assessment.done_on.is_not(None))
    ).first()
    participant = db.session.get(Participant, assessment.participant_id)
    values = AssessmentValues(done_on=assessment.done_on, mode="telephone", eq_vas=77)
    with pytest.raises(DomainError):
        services.assessment_record(
            db.session,
            participant=participant,
            timepoint="baseline",
            values=values,
            user_id=statistician.id,
            version=assessment.version,
        )
    db.session.rollback()
    services.assessment_record(
        db.session,
        participant=participant,
        timepoint="baseline",
        values=values,
        user_id=statistician.id,
        version=assessment.version,
        correction_reason="EQ VAS misread from the paper form",
    )
    db.session.commit()
    data = trial_data(db.session, trial)
    info = manifest(data, data.locked_on, canonical_csv(data, data.locked_on))
    assert info["locked_on"] == "2025-06-30"
    assert [(c["record"], c["reason"]) for c in info["corrections"]] == [
        (assessment.ref, "EQ VAS misread from the paper form")
    ]
    with pytest.raises(DomainError, match="already locked"):
        trial_lock(
            db.session,
            trial=trial,
            user_id=statistician.id,
            locked_on=date(2025, 7, 1),
            today=date(2026, 1, 1),
        )
    with pytest.raises(DomainError, match="future"):
        trial_lock(
            db.session,
            trial=trial_world(db.session, people=1)[0],
            user_id=statistician.id,
            locked_on=date(2026, 1, 2),
            today=date(2026, 1, 1),
        )
