"""Questionnaire services: checks at the service too, revisions kept on correction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from caseload.auth.models import RecordRevision
from caseload.outcomes.services import MeasureFields, measure_correct, measure_record
from caseload.writes import ConflictError, DomainError
from tests import factories

ODI = (1,) * 10
FIELDS = MeasureFields(measured_on=date(2025, 1, 6), timepoint="baseline", odi=ODI, eq_vas=50, pain_nrs=5)


@pytest.fixture
def person(db):
    spec = factories.user(db.session, role="specialist")
    return factories.client(db.session, spec, entry=date(2025, 1, 6))


def _record(db, person, **kw):
    return measure_record(db.session, client=person, fields=replace(FIELDS, **kw), user_id=None)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"timepoint": "3m"}, "timepoint"),
        ({"odi": (6,) + (1,) * 9}, "odi_1"),
        ({"odi": (1,) * 9}, None),
        ({"eq_vas": -1}, "eq_vas"),
        ({"pain_nrs": 11}, "pain_nrs"),
        ({"odi": (None,) * 10, "eq_vas": None, "pain_nrs": None}, "eq_vas"),
    ],
)
def test_measure_record_refuses_out_of_range_scores(db, person, kw, field):
    with pytest.raises(DomainError) as caught:
        _record(db, person, **kw)
    assert caught.value.field == field


def test_a_correction_keeps_the_previous_version(db, person):
    measure = _record(db, person)
    db.session.commit()
    version, later = measure.version, replace(FIELDS, measured_on=date(2025, 1, 7), eq_vas=55)
    measure_correct(db.session, measure=measure, version=version, fields=later, user_id=None)
    db.session.commit()
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity == "outcome_measures"))
    assert revision.version == version and '"eq_vas": 50' in revision.data
    with pytest.raises(ConflictError):
        measure_correct(
            db.session, measure=measure, version=version, fields=replace(later, eq_vas=60), user_id=None
        )
