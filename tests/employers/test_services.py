"""Services on their own: races between two saves, and the rules a form cannot check."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from caseload.employers import services
from caseload.employers.models import Employer, EmployerContact
from caseload.forms import today
from caseload.writes import ConflictError, DomainError
from tests import factories


def _input(world, **changes) -> services.ContactInput:
    values = dict(
        contact_date=today(),
        specialist_id=world.spec.id,
        employer_ref=world.employer.ref,
        new_employer=None,
        mode="face_to_face",
        client_refs=(world.hege.ref,),
        job_type=None,
        minutes=30,
        purpose="Second",
        outcome=None,
        next_step=None,
    )
    return services.ContactInput(**(values | changes))


def test_a_save_that_loses_the_race_after_the_version_check_is_a_conflict(db, world):
    contact = factories.employer_contact(db.session, world.spec, on=today(), purpose="First")
    db.session.commit()
    contact = db.session.get(EmployerContact, contact.id)
    assert contact.version == 1
    # Another session saves between our version check and our write (same transaction here).
    db.session.connection().execute(
        update(EmployerContact).where(EmployerContact.id == contact.id).values(version=2, purpose="Theirs")
    )
    with pytest.raises(ConflictError):
        services.employer_contact_update(
            db.session, user=world.spec, contact=contact, version=1, data=_input(world)
        )
    db.session.rollback()


def test_an_employer_save_that_loses_the_race_is_a_conflict(db, world):
    employer = db.session.get(Employer, world.employer.id)
    db.session.connection().execute(update(Employer).where(Employer.id == employer.id).values(version=2))
    with pytest.raises(ConflictError):
        services.employer_update(
            db.session,
            employer=employer,
            version=1,
            name="Mine",
            org_number=None,
            industry=None,
            user_id=None,
        )
    db.session.rollback()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mode": "fax"}, "mode"),
        ({"minutes": -1}, "minutes"),
        ({"employer_ref": "E-404"}, "employer"),
        ({"job_type": "0000"}, "job_type"),
        ({"client_refs": ("C-404",)}, "client_refs"),
    ],
)
def test_the_contact_service_checks_what_it_is_given(db, world, changes, field):
    with pytest.raises(DomainError) as err:
        services.employer_contact_record(db.session, user=world.spec, data=_input(world, **changes))
    assert err.value.field == field


def test_a_clinician_cannot_review_a_week_even_through_the_service(db, world):
    with pytest.raises(DomainError):
        services.week_review_mark(
            db.session,
            reviewer=world.clin,
            specialist=world.spec,
            monday=date(2024, 3, 11),
            today=date(2024, 3, 15),
            notes=None,
        )
    with pytest.raises(DomainError):
        services.week_review_mark(
            db.session,
            reviewer=world.sup,
            specialist=world.spec,
            monday=date(2024, 3, 12),
            today=date(2024, 3, 15),
            notes=None,
        )
