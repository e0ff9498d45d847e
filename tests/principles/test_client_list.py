"""The clients list and search: scope, filters, phase, no names in addresses, one audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.forms import today
from tests import factories

URL = "/clients"


def _names(html: str, *names: str) -> dict[str, bool]:
    return {n: n in html for n in names}


@pytest.fixture
def world(db):
    """Two specialists of one programme, a team, a clinician of that team, and another programme."""
    s = db.session
    prog = factories.program(s)
    team_a, team_b = factories.team(s, prog, "Pain team A"), factories.team(s, prog, "Pain team B")
    me = factories.user(s, "specialist", prog, name="Siri Specialist")
    other = factories.user(s, "specialist", prog, name="Per Specialist")
    t = today()
    mine = factories.client(s, me, name="Anna Aas", team_obj=team_a, entry=t - timedelta(days=10))
    working = factories.client(s, me, name="Bjørn Berg", team_obj=team_b, entry=t - timedelta(days=90))
    factories.job(s, working, start=t - timedelta(days=7))
    closed = factories.client(
        s, me, name="Cato Closed", entry=t - timedelta(days=200), closed_on=t - timedelta(days=5),
        closure_reason="moved",
    )  # fmt: skip
    theirs = factories.client(s, other, name="Dina Dahl", team_obj=team_a, profile_started_on=t)
    elsewhere = factories.program(s, name="Other programme")
    stranger = factories.user(s, "specialist", elsewhere, name="Ola Other")
    factories.client(s, stranger, name="Eva Elsewhere")
    clinician = factories.user(s, "clinician", prog, teams=[team_a], name="Cecilie Clinician")
    supervisor = factories.user(s, "supervisor", prog, name="Sam Supervisor")
    s.commit()
    return {
        "me": me, "other": other, "mine": mine, "working": working, "closed": closed, "theirs": theirs,
        "clinician": clinician, "supervisor": supervisor, "team_a": team_a,
    }  # fmt: skip


def test_specialist_sees_own_open_clients_with_phase_and_team(client, login_as, world):
    login_as(user=world["me"])
    html = client.get(URL).get_data(as_text=True)
    assert "Anna Aas" in html and "Bjørn Berg" in html
    assert not any(n in html for n in ("Cato Closed", "Dina Dahl", "Eva Elsewhere"))
    assert "Working" in html and "Engaging" in html
    assert "Pain team B" in html and world["mine"].ref in html


def test_supervisor_sees_the_programme_and_filters_by_specialist_phase_team_and_state(
    client, login_as, world
):
    login_as(user=world["supervisor"])
    html = client.get(URL).get_data(as_text=True)
    assert _names(html, "Anna Aas", "Dina Dahl", "Cato Closed", "Eva Elsewhere") == {
        "Anna Aas": True, "Dina Dahl": True, "Cato Closed": False, "Eva Elsewhere": False,
    }  # fmt: skip
    by_other = client.post(URL, data={"specialist": world["other"].id, "state": "open"}).get_data(
        as_text=True
    )
    assert "Dina Dahl" in by_other and "Anna Aas" not in by_other
    working = client.post(URL, data={"phase": "working", "state": "open"}).get_data(as_text=True)
    assert "Bjørn Berg" in working and "Anna Aas" not in working and "Dina Dahl" not in working
    job_search = client.post(URL, data={"phase": "job_search", "state": "open"}).get_data(as_text=True)
    assert "Dina Dahl" in job_search and "Anna Aas" not in job_search
    team = client.post(URL, data={"team": world["team_a"].id, "state": "open"}).get_data(as_text=True)
    assert "Anna Aas" in team and "Dina Dahl" in team and "Bjørn Berg" not in team
    closed = client.post(URL, data={"state": "closed"}).get_data(as_text=True)
    assert "Cato Closed" in closed and "Anna Aas" not in closed
    assert "Closed on" in closed


def test_search_by_name_is_a_post_and_finds_closed_clients_too(client, login_as, world):
    login_as(user=world["supervisor"])
    response = client.post(URL, data={"q": "cato", "state": "all"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cato Closed" in html and "Anna Aas" not in html
    by_ref = client.post(URL, data={"q": world["theirs"].ref, "state": "all"}).get_data(as_text=True)
    assert "Dina Dahl" in by_ref and "Anna Aas" not in by_ref
    assert 'method="post"' in html and "?q=" not in html


def test_clinician_searches_only_within_their_teams_and_sees_no_phase(client, login_as, world):
    login_as(user=world["clinician"])
    html = client.get(URL).get_data(as_text=True)
    assert "Anna Aas" in html and "Dina Dahl" in html
    assert "Bjørn Berg" not in html and "Eva Elsewhere" not in html
    assert "Engaging" not in html and "Job search" not in html
    found = client.post(URL, data={"q": "dina", "state": "open"}).get_data(as_text=True)
    assert "Dina Dahl" in found and "Anna Aas" not in found


def test_a_filter_outside_the_choices_gets_a_message_and_no_500(client, login_as, world):
    login_as(user=world["me"])
    response = client.post(URL, data={"team": 999999, "state": "open"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert client.post(URL, data={"q": "x" * 201, "state": "open"}).status_code == 422


def test_admins_have_no_client_list(client, login_as, world):
    login_as("admin")
    assert client.get(URL).status_code == 404


def test_the_list_is_audited_once_with_the_refs_it_showed(client, login_as, world, db):
    login_as(user=world["me"])
    client.get(URL)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view_client_list")).all()
    assert len(events) == 1
    shown = set((events[0].shown or "").split())
    assert shown == {world["mine"].ref, world["working"].ref}


def test_clients_is_in_the_menu_of_specialists_supervisors_and_clinicians(client, login_as, world):
    for person, page in (("me", "/referrals"), ("supervisor", "/referrals"), ("clinician", "/")):
        login_as(user=world[person])
        assert '<li><a href="/clients">Clients</a></li>' in client.get(page).get_data(as_text=True)
    login_as("admin")
    assert '<a href="/clients">' not in client.get("/auth/people").get_data(as_text=True)


def test_the_page_names_the_search_script_and_no_inline_script(client, login_as, world):
    login_as(user=world["me"])
    html = client.get(URL).get_data(as_text=True)
    assert "js/client-list.js" in html
    assert "<script>" not in html and "style=" not in html


def test_phase_uses_the_entry_date_for_employer_contacts(client, login_as, world, db):
    """A face-to-face employer contact before entry does not make the client a job seeker."""
    s = db.session
    anna = world["mine"]
    factories.employer_contact(s, world["me"], on=anna.entry_date - timedelta(days=3), clients=[anna])
    s.commit()
    login_as(user=world["me"])
    html = client.post(URL, data={"phase": "engaging", "state": "open"}).get_data(as_text=True)
    assert "Anna Aas" in html
    factories.employer_contact(s, world["me"], on=anna.entry_date + timedelta(days=1), clients=[anna])
    s.commit()
    html = client.post(URL, data={"phase": "engaging", "state": "open"}).get_data(as_text=True)
    assert "Anna Aas" not in html
