"""Every prompt rule links to the one form that satisfies it, pre-filled by refs and codes only;
the forms take those parameters on GET only, check them and ignore anything else."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from caseload.contacts.models import ClientContact
from caseload.forms import today
from caseload.prompts.actions import FORMS, action
from caseload.prompts.texts import TITLES
from tests import factories
from tests.trial import builders

CODES = {"purpose", "mode", "kind", "timepoint", "client"}
# rule: (what the opened form shows chosen: input name, value)
PREFILLED = {
    "first_contact": [("purpose", "engagement")],
    "disclosure": [("purpose", "disclosure")],
    "outreach": [("purpose", "engagement")],
    "pre_start_contact": [("purpose", "follow_along"), ("mode", "face_to_face")],
    "start_followup": [("purpose", "follow_along"), ("mode", "face_to_face")],
    "weekly_followup": [("purpose", "follow_along"), ("mode", "face_to_face")],
    "monthly_followup": [("purpose", "follow_along"), ("mode", "face_to_face")],
    "job_loss_contact": [("purpose", "follow_along")],
    "outcome_baseline": [("timepoint", "baseline")],
    "outcome_6m": [("timepoint", "6m")],
    "outcome_12m": [("timepoint", "12m")],
    "benefits_before_start": [("kind", "before_job_start")],
    "rapid_job_search": [("mode", "face_to_face"), ("client_refs", "{client}")],
    "career_profile": [],
}


def chosen(html: str, name: str, value: str) -> bool:
    """The form shows ``value`` chosen for the input or select ``name``."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag and "checked" in tag:
            return True
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return bool(select and re.search(rf'<option selected value="{re.escape(value)}"', select.group(1)))


def item(rule: str, **kw):
    fields = dict.fromkeys(("client_ref", "week_start", "specialist_id", "program_ref", "participant_ref"))
    return SimpleNamespace(rule=rule, **(fields | kw))


@pytest.fixture
def world(db):
    spec = factories.user(db.session, "specialist", name="Siv Specialist")
    cl = factories.client(db.session, spec, entry=today() - timedelta(days=40), name="Kari Nordmann")
    db.session.commit()
    return spec, cl


def test_every_rule_of_metrics_md_has_its_form():
    assert set(FORMS) == set(TITLES)
    assessments = {f"assessment_{tp}" for tp in ("baseline", "6m", "12m", "24m")}
    assert set(PREFILLED) | {"weekly_log_review", "fidelity_review"} | assessments == set(TITLES)


def test_an_assessment_rule_links_the_assessor_to_the_participants_form(app, client, login_as, db):
    prog = factories.program(db.session)
    manager = factories.user(db.session, role="trial_manager", prog=prog)
    p = builders.enrol(db.session, builders.trial(db.session, prog=prog, factors=False), user=manager)
    db.session.commit()
    login_as("assessor", prog=prog)
    with app.test_request_context():
        url, words = action(item("assessment_6m", participant_ref=p.ref))
        assert action(item("assessment_6m")) is None  # no participant: no link
    assert words and url == f"/assess/{p.ref}/6m"
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("rule", sorted(PREFILLED))
def test_a_client_rule_links_to_its_form_pre_filled_by_codes(app, client, login_as, world, rule):
    spec, cl = world
    login_as(user=spec)
    with app.test_request_context():
        url, words = action(item(rule, client_ref=cl.ref))
    assert words
    parts = urlsplit(url)
    assert set(parse_qs(parts.query)) <= CODES
    assert "Kari" not in url and "Nordmann" not in url
    resp = client.get(url)
    assert resp.status_code == 200, url
    html = resp.get_data(as_text=True)
    for name, value in PREFILLED[rule]:
        assert chosen(html, name, value.format(client=cl.ref)), (rule, name, value)


def test_the_programme_rules_link_to_the_week_log_and_the_review_form(app, client, login_as, world):
    spec, _ = world
    boss = login_as("supervisor", prog=spec.program)
    monday = date.today() - timedelta(days=date.today().weekday() + 7)
    with app.test_request_context():
        week, _w = action(item("weekly_log_review", specialist_id=spec.id, week_start=monday))
        review, _r = action(item("fidelity_review", program_ref=boss.program.ref))
    assert week.endswith(f"/{spec.id}/{monday.isoformat()}") or monday.isoformat() in week
    assert client.get(week).status_code == 200
    page = client.get(review)
    assert page.status_code == 200
    assert 'name="review_date"' in page.get_data(as_text=True)


def test_bad_or_unknown_parameters_are_ignored(client, login_as, world):
    spec, cl = world
    login_as(user=spec)
    future = (today() + timedelta(days=400)).isoformat()
    url = f"/clients/{cl.ref}/contacts/new?purpose=nonsense&mode=%3Cscript%3E&date={future}&name=Kari&x=1"
    resp = client.get(url)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert not any(chosen(html, "purpose", p) for p in ("nonsense", "engagement", "disclosure"))
    assert "&lt;script&gt;" not in html and "<script>" not in html.split("</head>")[1]
    assert f'value="{today().isoformat()}"' in html and future not in html
    bad_client = client.get("/employers/contacts/new?client=Kari%20Nordmann&mode=fax")
    assert bad_client.status_code == 200
    assert 'value="Kari Nordmann"' not in bad_client.get_data(as_text=True)


def test_a_past_date_and_a_mode_in_the_link_are_pre_filled(client, login_as, world):
    spec, cl = world
    login_as(user=spec)
    day = (today() - timedelta(days=2)).isoformat()
    html = client.get(f"/clients/{cl.ref}/contacts/new?date={day}&mode=video").get_data(as_text=True)
    assert re.search(rf'name="contact_date"[^>]*value="{day}"|value="{day}"[^>]*name="contact_date"', html)
    assert chosen(html, "mode", "video")
    html = client.get(f"/employers/contacts/new?date={day}&mode=phone").get_data(as_text=True)
    assert chosen(html, "mode", "phone")
    assert re.search(rf'name="contact_date"[^>]*value="{day}"|value="{day}"[^>]*name="contact_date"', html)


def test_the_parameters_pre_fill_a_get_never_a_post(client, db, login_as, world):
    spec, cl = world
    login_as(user=spec)
    day = (today() - timedelta(days=2)).isoformat()
    data = {"mode": "phone", "location": "remote", "minutes": "10", "staff_id": str(spec.id)}
    resp = client.post(f"/clients/{cl.ref}/contacts/new?purpose=engagement&date={day}", data=data)
    assert resp.status_code == 422  # neither the purpose nor the date came from the address
    assert db.session.scalar(select(func.count(ClientContact.id))) == 0
