"""Review lifecycle (draft → final, overrides with a reason, read-only when final) and the logs."""

from __future__ import annotations

import pytest

from caseload.fidelity import services
from caseload.fidelity.catalogue import ITEM_KEYS
from caseload.fidelity.queries import fidelity_result
from caseload.fidelity.services import ItemInput
from caseload.writes import ConflictError, DomainError
from tests import factories
from tests.fidelity.conftest import AS_OF

# Messages are translated when shown, which needs a request for the locale.
pytestmark = pytest.mark.usefixtures("in_request")


def _start(db, programme, **kw):
    result = fidelity_result(db.session, programme.program, AS_OF)
    review = services.review_start(
        db.session,
        program=programme.program,
        review_date=AS_OF,
        reviewers=kw.get("reviewers", "A. Reviewer"),
        result=result,
        user_id=programme.sup.id,
    )
    return review, result


def _all_scored(review, score=4):
    return {i.code: ItemInput(i.computed_score or score) for i in review.items}


def test_a_review_starts_with_25_items_and_the_computed_scores_prefilled(db, programme):
    review, result = _start(db, programme)
    assert [i.code for i in sorted(review.items, key=lambda i: i.position)] == list(ITEM_KEYS)
    by_code = {i.code: i for i in review.items}
    assert by_code["S1"].computed_score == by_code["S1"].score == result.items["S1"].score == 5
    assert by_code["O5"].computed_score is None and by_code["O5"].score is None
    assert review.status == "draft" and review.ref.startswith("FR-")


def test_a_second_draft_for_the_same_date_is_refused(db, programme):
    _start(db, programme)
    with pytest.raises(DomainError, match="exists already"):
        _start(db, programme)


def _save(db, programme, review, items, version=None):
    return services.review_save(
        db.session,
        review=review,
        version=review.version if version is None else version,
        reviewers="A. Reviewer",
        notes="Overall fine",
        items=items,
        user_id=programme.sup.id,
    )


def test_overriding_a_computed_score_needs_a_reason_to_finalise_not_to_save(db, programme):
    review, result = _start(db, programme)
    items = _all_scored(review)
    items["S1"] = ItemInput(3)
    _save(db, programme, review, items)
    [problem] = services.review_problems(review)
    assert problem.field == "S1.override_reason"
    assert str(problem) == "S1 Caseload size: an override needs a reason (the computed score is 5)."
    with pytest.raises(DomainError) as err:
        services.review_finalise(
            db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
        )
    assert err.value.field == "S1.override_reason" and review.status == "draft"
    _save(db, programme, review, {"S1": ItemInput(3, override_reason="Caseloads were counted by hand")})
    item = next(i for i in review.items if i.code == "S1")
    assert (item.score, item.override_reason) == (3, "Caseloads were counted by hand")


def test_going_back_to_the_computed_score_drops_the_reason(db, programme):
    review, _result = _start(db, programme)
    _save(db, programme, review, {"S1": ItemInput(3, override_reason="why")})
    _save(db, programme, review, {"S1": ItemInput(5, override_reason="stale")})
    assert next(i for i in review.items if i.code == "S1").override_reason is None


@pytest.mark.parametrize("entry", [ItemInput(0), ItemInput(6), ItemInput(3, ticked=(5,))])
def test_scores_and_checklists_are_checked(db, programme, entry):
    review, _result = _start(db, programme)
    with pytest.raises(DomainError):
        _save(db, programme, review, {"O5": entry})


def test_a_stale_version_is_a_conflict(db, programme):
    review, _result = _start(db, programme)
    db.session.commit()
    old = review.version
    _save(db, programme, review, {"O5": ItemInput(4)})
    db.session.commit()
    with pytest.raises(ConflictError):
        _save(db, programme, review, {"O5": ItemInput(3)}, version=old)


def test_total_and_band_appear_when_all_25_are_scored(db, programme):
    review, _result = _start(db, programme)
    items = _all_scored(review)
    items.pop("V7")
    _save(db, programme, review, items)
    assert review.total is None and review.band is None
    _save(db, programme, review, _all_scored(review))
    assert review.total == sum(i.score for i in review.items) and review.band is not None


def test_finalising_needs_every_item_and_freezes_the_computed_values(db, programme):
    review, result = _start(db, programme)
    with pytest.raises(DomainError, match="not scored"):
        services.review_finalise(
            db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
        )
    _save(db, programme, review, _all_scored(review))
    services.review_finalise(
        db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
    )
    by_code = {i.code: i for i in review.items}
    assert review.status == "final" and review.finalised_at is not None
    assert by_code["S1"].checklist["computed"] == result.items["S1"].as_json()
    assert by_code["V12"].checklist["evidence"] == result.evidence["V12"].as_json()


def test_a_final_review_is_read_only(db, programme):
    review, result = _start(db, programme)
    _save(db, programme, review, _all_scored(review))
    services.review_finalise(
        db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
    )
    with pytest.raises(DomainError, match="final"):
        _save(db, programme, review, {"O5": ItemInput(1)})
    with pytest.raises(DomainError, match="final"):
        services.review_finalise(
            db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
        )


def test_logs_refuse_people_and_teams_of_another_programme(db, programme):
    other_prog = factories.program(db.session, "Bergen IPS")
    stranger = factories.user(db.session, "specialist", other_prog)
    other_team = factories.team(db.session, other_prog)
    team = programme.teams[0]
    with pytest.raises(DomainError) as err:
        services.team_meeting_record(
            db.session, program=programme.program, team_id=other_team.id, specialist_id=programme.spec.id,
            meeting_date=AS_OF, notes=None,
        )  # fmt: skip
    assert err.value.field == "team_id"
    with pytest.raises(DomainError) as err:
        services.team_meeting_record(
            db.session, program=programme.program, team_id=team.id, specialist_id=stranger.id,
            meeting_date=AS_OF, notes=None,
        )  # fmt: skip
    assert err.value.field == "specialist_id"


def test_field_mentoring_needs_a_specialist_and_a_supervisor(db, programme):
    kw = dict(program=programme.program, session_date=AS_OF, minutes=60, notes=None)
    with pytest.raises(DomainError):
        services.supervision_session_record(
            db.session, supervisor_id=programme.sup.id, specialist_id=None, kind="field_mentoring", **kw
        )
    with pytest.raises(DomainError):
        services.supervision_session_record(
            db.session, supervisor_id=programme.spec.id, specialist_id=None, kind="group", **kw
        )
    row = services.supervision_session_record(
        db.session,
        supervisor_id=programme.sup.id,
        specialist_id=programme.spec.id,
        kind="field_mentoring",
        **kw,
    )
    assert row.ref.startswith("SV-")


def test_every_change_keeps_the_review_as_it_was_items_included(db, programme):
    import json

    from sqlalchemy import select

    from caseload.auth.models import RecordRevision

    review, result = _start(db, programme)
    _save(db, programme, review, {"O5": ItemInput(2, notes="first look")})
    _save(db, programme, review, _all_scored(review))
    services.review_finalise(
        db.session, review=review, version=review.version, result=result, user_id=programme.sup.id
    )
    revisions = db.session.scalars(
        select(RecordRevision).where(RecordRevision.entity == "fidelity_reviews").order_by(RecordRevision.id)
    ).all()
    assert len(revisions) == 3
    second = json.loads(revisions[1].data)
    o5 = next(i for i in second["items"] if i["code"] == "O5")
    assert (o5["score"], o5["notes"], second["status"]) == (2, "first look", "draft")
    assert json.loads(revisions[2].data)["status"] == "draft"
