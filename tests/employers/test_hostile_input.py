"""Hypothesis posts hostile values to every employer form: no 500, nothing stored from a refused
form, stored text shown escaped. Set HYPOTHESIS_PROFILE=ci for many more examples."""

from __future__ import annotations

import os
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select

from caseload.auth.models import RecordRevision
from caseload.employers.models import Employer, EmployerContact, EmployerPerson, WeeklyReview
from caseload.forms import today
from tests.employers.helpers import audited_writes, contact_form, count_rows, week_path

EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 25
HOSTILE_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
NASTY = st.sampled_from(
    [
        "",
        "   ",
        "\x00",
        "a\x00b",
        "x" * 100_000,
        "😀" * 300,
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'; DROP TABLE employers; --",
        "1 OR 1=1",
        "%_\\",
        "nan",
        "inf",
        "-inf",
        "NaN",
        "1e308",
        "-1",
        "99999999999999999999",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2024-02-30",
        "{{ 7*7 }}",
        "\u202e\u200b\ufeff",
    ]
)
HOSTILE = st.one_of(NASTY, SAFE_TEXT)
OK_STATUSES = {200, 302, 422}


def _maybe(valid: str):
    """The valid value, or a hostile one."""
    return st.one_of(st.just(valid), HOSTILE)


def _assert_shown_escaped(page: str, text: str | None) -> None:
    if text:
        assert str(escape(text)) in page
        # Raw markup must not appear; a short text such as "<" is part of any page's own markup.
        if "<" in text and len(text.strip()) >= 8:
            assert text not in page


@HOSTILE_SETTINGS
@given(name=_maybe("Rema 1000"), org=_maybe("923609016"), industry=_maybe("Retail"))
def test_hostile_employers(client, db, login_as, world, name, org, industry):
    login_as(user=world.spec)
    before = count_rows(db, Employer)
    response = client.post("/employers/new", data={"name": name, "org_number": org, "industry": industry})
    assert response.status_code in OK_STATUSES
    if response.status_code != 302:
        assert count_rows(db, Employer) == before
        return
    employer = db.session.scalar(select(Employer).order_by(Employer.id.desc()).limit(1))
    page = client.get(f"/employers/{employer.ref}").get_data(as_text=True)
    _assert_shown_escaped(page, employer.name)
    _assert_shown_escaped(page, employer.industry)
    employer.org_number = None  # let the next example reuse the number
    db.session.commit()


@HOSTILE_SETTINGS
@given(name=_maybe("Kiwi"), org=_maybe(""), industry=_maybe("Retail"), version=_maybe("1"))
def test_hostile_employer_corrections(client, db, login_as, world, name, org, industry, version):
    login_as(user=world.sup)
    ref = world.employer.ref
    db.session.expire_all()
    current = db.session.scalar(select(Employer.version).where(Employer.ref == ref))
    revisions = count_rows(db, RecordRevision)
    version = str(current) if version == "1" else version
    data = {"name": name, "org_number": org, "industry": industry, "version": version}
    response = client.post(f"/employers/{ref}/edit", data=data)
    assert response.status_code in OK_STATUSES
    db.session.expire_all()
    after = db.session.scalar(select(Employer.version).where(Employer.ref == ref))
    if response.status_code != 302:
        assert after == current and count_rows(db, RecordRevision) == revisions
        return
    page = client.get(f"/employers/{ref}").get_data(as_text=True)
    _assert_shown_escaped(page, db.session.scalar(select(Employer.name).where(Employer.ref == ref)))


@HOSTILE_SETTINGS
@given(name=_maybe("Anne"), role=_maybe("HR"), phone=_maybe("+47 22 33 44 55"), email=_maybe("anne@kiwi.no"))
def test_hostile_contact_people(client, db, login_as, world, name, role, phone, email):
    login_as(user=world.spec)
    before = count_rows(db, EmployerPerson)
    path = f"/employers/{world.employer.ref}/people/new"
    response = client.post(path, data={"name": name, "role": role, "phone": phone, "email": email})
    assert response.status_code in OK_STATUSES
    if response.status_code != 302:
        assert count_rows(db, EmployerPerson) == before
        return
    person = db.session.scalar(select(EmployerPerson).order_by(EmployerPerson.id.desc()).limit(1))
    page = client.get(f"/employers/{world.employer.ref}").get_data(as_text=True)
    _assert_shown_escaped(page, person.name)
    _assert_shown_escaped(page, person.role)
    edit = client.post(
        f"/employers/{world.employer.ref}/people/{person.id}",
        data={"name": role, "phone": email, "stamp": name},
    )
    assert edit.status_code in OK_STATUSES


def _contact_strategy():
    return st.fixed_dictionaries(
        {
            "contact_date": _maybe("today"),
            "employer": _maybe("employer"),
            "new_employer": st.one_of(st.just(""), HOSTILE),
            "mode": _maybe("face_to_face"),
            "client_refs": st.one_of(st.just("own"), st.lists(HOSTILE, max_size=3)),
            "job_type": _maybe("5223"),
            "minutes": _maybe("30"),
            "purpose": _maybe("Introduce IPS"),
            "outcome": HOSTILE,
            "next_step": HOSTILE,
            "specialist_id": _maybe("me"),
        }
    )


def _resolve(world, values: dict) -> dict:
    placeholders = {
        "contact_date": ("today", today().isoformat()),
        "employer": ("employer", world.employer.ref),
        "client_refs": ("own", [world.hege.ref]),
        "specialist_id": ("me", str(world.spec.id)),
    }
    data = dict(values)
    for key, (token, real) in placeholders.items():
        if data[key] == token:
            data[key] = real
    return contact_form(world, **data)


def _state(db) -> tuple:
    db.session.expire_all()
    versions = db.session.scalar(select(func.coalesce(func.sum(EmployerContact.version), 0)))
    return count_rows(db, EmployerContact), versions, audited_writes(db), count_rows(db, Employer)


@HOSTILE_SETTINGS
@given(values=_contact_strategy())
def test_hostile_employer_contacts(client, db, login_as, world, values):
    login_as(user=world.spec)
    before = _state(db)
    response = client.post("/employers/contacts/new", data=_resolve(world, values))
    assert response.status_code in OK_STATUSES
    if response.status_code != 302:
        assert _state(db) == before
        return
    contact = db.session.scalar(select(EmployerContact).order_by(EmployerContact.id.desc()).limit(1))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in (contact.purpose, contact.outcome, contact.next_step, contact.employer.name):
        _assert_shown_escaped(page, text)


@HOSTILE_SETTINGS
@given(values=_contact_strategy(), version=_maybe("current"))
def test_hostile_employer_contact_corrections(client, db, login_as, world, values, version):
    from tests import factories

    contact = db.session.scalar(select(EmployerContact).where(EmployerContact.ref == "EC-HOSTILE"))
    if contact is None:
        contact = factories.employer_contact(db.session, world.spec, on=today(), clients=[world.nils])
        contact.ref = "EC-HOSTILE"
        db.session.commit()
    login_as(user=world.spec)
    data = _resolve(world, values)
    data["version"] = str(contact.version) if version == "current" else version
    before = _state(db)
    response = client.post("/employers/contacts/EC-HOSTILE", data=data)
    assert response.status_code in OK_STATUSES
    if response.status_code != 302:
        assert _state(db) == before
        return
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    contact = db.session.scalar(select(EmployerContact).where(EmployerContact.ref == "EC-HOSTILE"))
    for text in (contact.purpose, contact.outcome, contact.next_step):
        _assert_shown_escaped(page, text)


@HOSTILE_SETTINGS
@given(notes=HOSTILE)
def test_hostile_review_notes(client, db, login_as, world, this_monday, notes):
    login_as(user=world.sup)
    before = count_rows(db, WeeklyReview)
    try:
        response = client.post(week_path(world.spec, this_monday) + "/review", data={"notes": notes})
        assert response.status_code in OK_STATUSES
        if response.status_code != 302:
            assert count_rows(db, WeeklyReview) == before, response.status_code
            return
        page = client.get(week_path(world.spec, this_monday)).get_data(as_text=True)
        _assert_shown_escaped(page, db.session.scalar(select(WeeklyReview.notes)))
    finally:
        db.session.rollback()
        db.session.execute(WeeklyReview.__table__.delete())
        db.session.commit()


@HOSTILE_SETTINGS
@given(segment=HOSTILE, q=HOSTILE)
def test_hostile_paths_and_searches(client, login_as, world, segment, q):
    login_as(user=world.sup)
    part = quote(segment[:2000], safe="")
    for path in (
        f"/employers/{part}",
        f"/employers/{part}/edit",
        f"/employers/contacts/{part}",
        f"/employers/log/{world.spec.id}/{part}",
        f"/employers/team/{part}",
        f"/employers/?q={quote(q[:5000], safe='')}",
    ):
        assert client.get(path).status_code in {200, 302, 308, 404, 422}, path
