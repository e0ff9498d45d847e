"""Trial services through the database: screening, enrolment, allocation, assessment, lock."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from caseload.auth.models import User
from caseload.clients.models import Referral
from caseload.clients.services import referral_accept
from caseload.db import RefSequence, utcnow
from caseload.trial import allocation as allocator
from caseload.trial import services
from caseload.trial.models import Allocation, Participant, PostLockCorrection, Trial, TrialLock
from caseload.writes import DomainError
from tests import factories
from tests.trial import builders


def test_three_hundred_enrolments_follow_the_seeds_sequence_without_gaps(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, seed=b"three hundred")
    for i in range(300):
        builders.enrol(
            db.session, t, user=manager, name=f"Person {i}", level=("sick_leave", "other")[i % 3 == 0]
        )
    db.session.commit()
    for stratum in ("status=sick_leave", "status=other"):
        rows = db.session.execute(
            select(Allocation.sequence, Allocation.arm_id)
            .where(Allocation.stratum == stratum)
            .order_by(Allocation.sequence)
        ).all()
        codes = {a.id: a.code for a in t.arms}
        assert [r.sequence for r in rows] == list(range(1, len(rows) + 1))
        expected = allocator.sequence(b"three hundred", stratum, [("ips", 2), ("tau", 1)], len(rows))
        assert [codes[r.arm_id] for r in rows] == expected


def test_an_ips_allocation_refers_the_participant_to_the_caseload_and_the_client_gets_the_arm(db, app):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, seed=b"x", factors=False)
    participants = [builders.enrol(db.session, t, user=manager, name=f"P {i}") for i in range(6)]
    db.session.commit()
    ips = [p for p in participants if builders.arm_of(p) == "ips"]
    tau = [p for p in participants if builders.arm_of(p) == "tau"]
    assert ips and tau
    assert all(p.referral_id is None for p in tau)
    referral = db.session.get(Referral, ips[0].referral_id)
    assert referral.decision == "pending" and referral.person_name == ips[0].name
    assert ips[0].ref in referral.source
    specialist = factories.user(db.session, role="specialist")
    client = referral_accept(
        db.session,
        referral=referral,
        name=ips[0].name,
        specialist=specialist,
        team_id=None,
        entry_date=date(2026, 1, 6),
        status_at_entry="sick_leave",
        birth_date=None,
        user_id=specialist.id,
    )
    services.client_arm_fill(db.session, client.id, utcnow())
    assert client.trial_arm == "ips"


def test_a_free_text_arm_recorded_outside_the_trial_is_kept(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, seed=b"x", factors=False)
    p = next(
        p
        for p in (builders.enrol(db.session, t, user=manager, name=f"P{i}") for i in range(6))
        if p.referral_id
    )
    specialist = factories.user(db.session, role="specialist")
    client = referral_accept(
        db.session,
        referral=p.referral,
        name=p.name,
        specialist=specialist,
        team_id=None,
        entry_date=date(2026, 1, 6),
        status_at_entry="sick_leave",
        birth_date=None,
        user_id=specialist.id,
    )
    client.trial_arm = "pilot group"
    services.client_arm_fill(db.session, client.id, utcnow())
    assert client.trial_arm == "pilot group"


def test_the_database_refuses_to_change_an_allocation(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, factors=False)
    builders.enrol(db.session, t, user=manager)
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text("UPDATE trial_allocations SET sequence = 9"))
    db.session.rollback()
    db.session.execute(text("UPDATE trial_allocations SET annotation = 'randomisation error'"))
    db.session.commit()
    assert db.session.scalar(select(Allocation.sequence)) == 1


def test_screening_an_ineligible_person_excludes_them_and_they_cannot_be_enrolled(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, factors=False)
    s = services.screening_record(
        db.session,
        trial=t,
        screened_on=date(2026, 1, 5),
        person_name=None,
        criteria_met=["age"],
        consent_on=None,
        exclusion_reasons=[],
        exclusion_note=None,
        user_id=manager.id,
    )
    assert not s.eligible and s.reason_list == ["not_eligible"]
    with pytest.raises(DomainError):
        services.participant_enrol(
            db.session,
            trial=t,
            screening=s,
            contact=services.Contact(name="X"),
            levels={},
            enrolled_on=date(2026, 1, 5),
            user_id=manager.id,
        )


def test_enrolment_without_the_statisticians_allocation_is_refused(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, factors=False)
    t.allocation_secret = None
    with pytest.raises(DomainError, match="statistician"):
        builders.enrol(db.session, t, user=manager)


def test_locked_data_are_refused_unless_corrected_with_a_reason(db):
    manager = factories.user(db.session, role="trial_manager")
    assessor = factories.user(db.session, role="assessor")
    t = builders.trial(db.session, factors=False)
    p = builders.enrol(db.session, t, user=manager)
    values = services.AssessmentValues(done_on=date(2026, 1, 5), mode="telephone", eq_vas=50)
    a = services.assessment_record(
        db.session, participant=p, timepoint="baseline", values=values, user_id=assessor.id
    )
    db.session.add(TrialLock(trial_id=t.id, locked_on=date(2026, 6, 30), locked_by_id=manager.id))
    db.session.flush()
    values.eq_vas = 60
    with pytest.raises(DomainError, match="locked"):
        services.assessment_record(
            db.session,
            participant=p,
            timepoint="baseline",
            values=values,
            user_id=assessor.id,
            version=a.version,
        )
    services.assessment_record(
        db.session,
        participant=p,
        timepoint="baseline",
        values=values,
        user_id=assessor.id,
        version=a.version,
        correction_reason="Transcription error in the EQ VAS",
    )
    correction = db.session.scalar(select(PostLockCorrection))
    assert correction.record_ref == a.ref and "EQ VAS" in correction.reason
    assert a.eq_vas == 60


def test_an_assessment_not_done_needs_a_reason_and_keeps_no_answers(db):
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, factors=False)
    p = builders.enrol(db.session, t, user=manager)
    with pytest.raises(DomainError):
        services.assessment_record(
            db.session, participant=p, timepoint="6m", values=services.AssessmentValues(), user_id=manager.id
        )
    a = services.assessment_record(
        db.session,
        participant=p,
        timepoint="6m",
        values=services.AssessmentValues(not_done_reason="not_reached", eq_vas=40),
        user_id=manager.id,
    )
    assert a.done_on is None and a.eq_vas is None and a.not_done_reason == "not_reached"


def test_concurrent_enrolments_get_no_duplicate_or_skipped_sequence_number(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are PostgreSQL's; SQLite serialises writers anyway")
    manager = factories.user(db.session, role="trial_manager")
    t = builders.trial(db.session, factors=False, seed=b"race")
    # The ref counters exist already in a running installation (their first row is not what is tested).
    db.session.add_all(RefSequence(prefix=p, last=0) for p in ("SC", "TP", "R"))
    db.session.commit()
    trial_id, manager_id = t.id, manager.id
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        with app.app_context():
            try:
                session = db.session
                barrier.wait()
                for i in range(5):
                    trial = session.get(Trial, trial_id)
                    user = session.get(User, manager_id)
                    builders.enrol(session, trial, user=user, name=f"T{n}-{i}")
                    session.commit()
            except BaseException as err:  # noqa: BLE001 - reported by the test
                errors.append(err)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    numbers = db.session.scalars(select(Allocation.sequence).order_by(Allocation.sequence)).all()
    assert numbers == list(range(1, 41))
    assert db.session.scalar(select(Participant).limit(1)) is not None
