"""Who may open which employer record, contact, person and week; everything else answers 404."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.models import User
from caseload.employers.models import Employer, EmployerContact, EmployerPerson
from caseload.extensions import db
from caseload.forms import EARLIEST, today
from caseload.metrics.periods import monday_of

STAFF = ("specialist", "supervisor")
MAX_ID = 2**31 - 1  # path ids beyond a 32-bit integer cannot exist (and would upset PostgreSQL)


def plain_ref(ref: str) -> str:
    """A ref from a path, or 404 for one that cannot exist."""
    if not ref or len(ref) > 40 or "\x00" in ref:
        abort(404)
    return ref


def employer_or_404(ref: str) -> Employer:
    employer = db.session.scalar(select(Employer).where(Employer.ref == plain_ref(ref)))
    if employer is None:
        abort(404)
    return employer


def person_or_404(employer: Employer, person_id: int) -> EmployerPerson:
    person = db.session.get(EmployerPerson, person_id)
    if person is None or person.employer_id != employer.id:
        abort(404)
    return person


def may_manage(specialist: User) -> bool:
    """The specialist themself, or a supervisor of the specialist's programme."""
    if current_user.role == "specialist":
        return specialist.id == current_user.id
    return current_user.role == "supervisor" and specialist.program_id == current_user.program_id


def contact_or_404(ref: str) -> EmployerContact:
    contact = db.session.scalar(select(EmployerContact).where(EmployerContact.ref == plain_ref(ref)))
    if contact is None or not may_manage(contact.specialist):
        abort(404)
    return contact


def specialist_or_404(user_id: int) -> User:
    specialist = db.session.get(User, user_id)
    if specialist is None or specialist.role != "specialist" or not may_manage(specialist):
        abort(404)
    return specialist


def week_or_404(text: str) -> date:
    """The date in a log path: a real date from 1900 up to the current week, else 404."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        abort(404)
    if len(text) != 10 or day < EARLIEST or monday_of(day) > monday_of(today()):
        abort(404)
    return day
