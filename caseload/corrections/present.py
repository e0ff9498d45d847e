"""Words for the records on the void, move and history pages: field labels, code labels, names."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.benefits.forms import KIND_LABELS
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client, Referral
from caseload.contacts.forms import LOCATION_LABELS, MODE_LABELS, PURPOSE_LABELS
from caseload.contacts.models import ClientContact
from caseload.employers.forms import MODE_LABELS as EMPLOYER_MODE_LABELS
from caseload.employers.models import Employer, EmployerContact, WeeklyReview
from caseload.jobs.forms import COMPONENT_LABELS, END_REASON_LABELS
from caseload.jobs.models import Job, JobHours
from caseload.l10n import lazy_gettext as _l
from caseload.outcomes.forms import TIMEPOINT_CHOICES
from caseload.outcomes.models import OutcomeMeasure

KIND_NAMES = {
    ClientContact: _l("Contact"),
    Job: _l("Job"),
    JobHours: _l("Change of hours"),
    BenefitsSession: _l("Benefits counselling"),
    OutcomeMeasure: _l("Questionnaires"),
    EmployerContact: _l("Employer contact"),
    CareerProfile: _l("Career profile"),
    Referral: _l("Referral"),
    WeeklyReview: _l("Weekly review"),
}
KIND_BY_TABLE = {model.__tablename__: name for model, name in KIND_NAMES.items()}


def kind_name(table: str) -> str:
    """A record kind's name for a person, from its table's name."""
    return str(KIND_BY_TABLE.get(table, table))


_COMMON = {
    "client_id": _l("Client"),
    "voided_on": _l("Voided on"),
    "void_reason": _l("Why void"),
    "notes": _l("Notes"),
    "minutes": _l("Minutes"),
    "mode": _l("How"),
}
LABELS: dict[type, dict[str, object]] = {
    ClientContact: {
        "contact_date": _l("Date"),
        "purpose": _l("Purpose"),
        "location": _l("Where"),
        "staff_id": _l("Staff member"),
    },
    Job: {
        "title": _l("Job title"),
        "employer_id": _l("Employer"),
        "job_type": _l("Job type"),
        "start_date": _l("Start date"),
        "end_date": _l("End date"),
        "end_reason": _l("Why the job ended"),
        "hours_per_week": _l("Hours per week"),
        "hourly_wage": _l("Hourly wage"),
        "found_with_ips": _l("Found with IPS"),
        **COMPONENT_LABELS,
    },
    BenefitsSession: {
        "session_date": _l("Date"),
        "kind": _l("Kind"),
        "planner_name": _l("Planner"),
        "trained_planner": _l("Trained planner"),
    },
    OutcomeMeasure: {
        "measured_on": _l("Date"),
        "timepoint": _l("Timepoint"),
        **{f"odi_{i}": _l("ODI section %(n)s", n=i) for i in range(1, 11)},
        "eq_vas": _l("EQ VAS"),
        "pain_nrs": _l("Pain (NRS)"),
    },
    EmployerContact: {
        "contact_date": _l("Date"),
        "employer_id": _l("Employer"),
        "specialist_id": _l("Employment specialist"),
        "job_type": _l("Job type"),
        "purpose": _l("Purpose"),
        "outcome": _l("Outcome"),
        "next_step": _l("Next step"),
    },
    CareerProfile: {
        "work_goals": _l("Work goals"),
        "education": _l("Education"),
        "work_history": _l("Work history"),
        "strengths": _l("Strengths and skills"),
        "health_considerations": _l("Health and pain considerations for work"),
        "supports": _l("Supports"),
        "disclosure_preferences": _l("Disclosure preferences"),
    },
}
LONG_TEXT = frozenset(
    {"notes", "void_reason", "outcome", "next_step", *LABELS[CareerProfile]} - {"work_goals"}
) | frozenset({"purpose_text"})
CODES: dict[str, dict] = {
    "purpose": PURPOSE_LABELS,
    "location": LOCATION_LABELS,
    "kind": KIND_LABELS,
    "end_reason": END_REASON_LABELS,
    "timepoint": dict(TIMEPOINT_CHOICES),
}
PEOPLE = ("staff_id", "specialist_id", "voided_by_id")


def labels_for(model: type) -> dict[str, object]:
    """Every field's label for ``model``: its own, then the common ones."""
    return {**LABELS.get(model, {}), **_COMMON}


def long_text_for(model: type) -> frozenset[str]:
    """Fields shown as "changed" only: free text (an employer contact's purpose is free text)."""
    return LONG_TEXT | ({"purpose"} if model is EmployerContact else frozenset())


class Words:
    """Words a stored value: codes by their label, ids by a name, booleans, decimals (one query per
    kind of id, for the ids the versions hold)."""

    def __init__(self, session: Session, model: type, versions: list[Mapping[str, object]]) -> None:
        self.model = model
        ids: dict[str, set[int]] = {"people": set(), "client_id": set(), "employer_id": set()}
        for data in versions:
            for name, value in data.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    key = "people" if name in PEOPLE else name
                    ids.get(key, set()).add(value)
        self.names = {
            "people": _names(session, User.id, User.name, ids["people"]),
            "client_id": _names(session, Client.id, Client.ref, ids["client_id"]),
            "employer_id": _names(session, Employer.id, Employer.name, ids["employer_id"]),
        }

    def __call__(self, name: str, value: object) -> str:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        key = "people" if name in PEOPLE else name
        if key in self.names:
            return self.names[key].get(value, str(value))  # type: ignore[call-overload]
        if name == "mode":
            codes = EMPLOYER_MODE_LABELS if self.model is EmployerContact else MODE_LABELS
            return str(codes.get(str(value), value))
        if name in CODES:
            return str(CODES[name].get(str(value), value))
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return str(value)


def _names(session: Session, key, name, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {i: n for i, n in session.execute(select(key, name).where(key.in_(ids)))}


def describe(record) -> str:
    """One line naming a record for a person: its kind, date and ref."""
    kind = KIND_NAMES.get(type(record), "")
    if isinstance(record, WeeklyReview):
        return _(
            "%(kind)s of %(name)s, week of %(d)s", kind=kind, name=record.specialist.name, d=record.week_start
        )
    if isinstance(record, JobHours):
        return _("%(kind)s of %(job)s from %(d)s", kind=kind, job=record.job.ref, d=record.effective_from)
    for name in ("contact_date", "start_date", "session_date", "measured_on", "received_on"):
        if hasattr(record, name):
            return _("%(kind)s %(ref)s of %(d)s", kind=kind, ref=record.ref, d=getattr(record, name))
    return str(kind)
