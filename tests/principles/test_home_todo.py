"""The specialist's home: one list of what to do, by due date, each item once with its action;
the caseload table below shows the people, with no second list of the same things."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseload.forms import today
from caseload.prompts.models import Prompt
from caseload.prompts.sweep import prompts_sweep
from tests import factories


def _items(html: str) -> list[tuple[str, str]]:
    """(rule, client ref) of every item of the home's to-do list."""
    listing = html.split('id="home-prompts-heading"')[1].split("</section>")[0]
    item = r'<li id="home-prompts-[\w-]+" class="todo-item" data-rule="(\w+)" data-client-ref="([\w-]+)"'
    return re.findall(item, listing)


@pytest.fixture
def caseload(db):
    spec = factories.user(db.session, "specialist", name="Siv Specialist")
    # entered 400 days ago: the 12-month questionnaire is 35 days overdue, outside the sweep's window
    old = factories.client(db.session, spec, entry=today() - timedelta(days=400), name="Ola Old")
    factories.contact(db.session, old, spec, on=today() - timedelta(days=2), purpose="disclosure")
    factories.measure(db.session, old, on=old.entry_date, timepoint="baseline")
    factories.measure(db.session, old, on=old.entry_date + timedelta(days=182), timepoint="6m")
    factories.employer_contact(db.session, spec, on=old.entry_date + timedelta(days=3), clients=[old])
    old.profile_started_on = old.entry_date
    # a job started 6 days ago with no contact: the start follow-up is overdue (a prompt)
    new = factories.client(db.session, spec, entry=today() - timedelta(days=20), name="Nina New")
    factories.contact(db.session, new, spec, on=new.entry_date, purpose="engagement")
    factories.job(db.session, new, start=today() - timedelta(days=6), title="Baker")
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    return spec, old, new


def test_each_thing_to_do_is_listed_once_by_due_date_with_its_action(client, login_as, caseload):
    spec, old, new = caseload
    login_as(user=spec)
    html = client.get("/").get_data(as_text=True)
    items = _items(html)
    assert len(items) == len(set(items)), items
    assert ("outcome_12m", old.ref) in items  # no prompt (older than the window), still listed
    assert ("start_followup", new.ref) in items  # a prompt, listed once though also derived
    assert f"/clients/{old.ref}/measures/new?timepoint=12m" in html
    assert f"/clients/{new.ref}/contacts/new?purpose=follow_along&amp;mode=face_to_face" in html
    dues = re.findall(r"Due on (\d{4}-\d\d-\d\d)\.", html.split('id="home-prompts-heading"')[1])
    assert dues == sorted(dues)


def test_the_caseload_table_has_no_second_to_do_list(client, login_as, caseload):
    spec, old, _ = caseload
    login_as(user=spec)
    html = client.get("/").get_data(as_text=True)
    table = html.split("<table")[1]
    assert ">To do<" not in table and "12-month questionnaires" not in table
    assert f'data-client="{old.ref}"' in table


def test_a_dismissed_prompt_leaves_the_list(client, db, login_as, caseload):
    spec, _, new = caseload
    login_as(user=spec)
    p = db.session.scalars(select(Prompt).where(Prompt.rule == "start_followup")).one()
    assert client.post(f"/prompts/{p.id}/dismiss", data={"reason": "Client on holiday"}).status_code == 302
    assert ("start_followup", new.ref) not in _items(client.get("/").get_data(as_text=True))
