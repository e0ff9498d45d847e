"""A ``next`` parameter only ever leads to a path of this site; no client data in the cookie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseload.clients.models import Client
from caseload.forms import today
from caseload.prompts.models import Prompt
from caseload.prompts.sweep import prompts_sweep
from caseload.redirects import local_path
from tests import factories

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/\x00/evil.example",
    "/" + "a" * 2001,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_other_sites_and_odd_paths_are_refused(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/prompts/", "/clients/C-000001?tab=jobs#plan-h", "/a//b"])
def test_paths_of_this_site_are_kept(target):
    assert local_path(target) == target


@pytest.fixture
def prompt(db):
    spec = factories.user(db.session, role="specialist")
    client = factories.client(db.session, spec, entry=today() - timedelta(days=60))
    factories.job(db.session, client, start=today() - timedelta(days=5))
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    return spec, db.session.scalar(select(Prompt).where(Prompt.rule == "start_followup"))


@pytest.mark.parametrize("target", HOSTILE)
def test_snooze_never_leaves_the_site(client, login_as, prompt, target):
    spec, follow = prompt
    login_as(user=spec)
    until = (today() + timedelta(days=3)).isoformat()
    response = client.post(f"/prompts/{follow.id}/snooze", data={"until": until, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/prompts/"


def test_snooze_returns_to_the_page_it_came_from(client, login_as, prompt):
    spec, follow = prompt
    login_as(user=spec)
    until = (today() + timedelta(days=3)).isoformat()
    response = client.post(f"/prompts/{follow.id}/snooze", data={"until": until, "next": "/?x=1"})
    assert response.headers["Location"] == "/?x=1"


def _sign_in(client, user, target: str):
    data = {"email": user.email, "password": factories.PASSWORD}
    return client.post("/auth/login", query_string={"next": target}, data=data)


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_leaves_the_site(client, db, target):
    user = factories.user(db.session, "specialist")
    db.session.commit()
    response = _sign_in(client, user, target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_sign_in_continues_to_the_page_asked_for(client, db):
    user = factories.user(db.session, "specialist")
    db.session.commit()
    page = client.get("/prompts/", follow_redirects=True)
    assert 'action="/auth/login?next=/prompts/"' in page.get_data(as_text=True)
    assert _sign_in(client, user, "/prompts/").headers["Location"] == "/prompts/"


def _session_cookie(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_accepting_a_referral_keeps_the_clients_name_out_of_the_session_cookie(app, client, db, login_as):
    spec = login_as("specialist")
    referral = factories.referral(db.session, person_name="Cookie Canaryname", received_on=today())
    db.session.commit()
    data = {
        "name": "Cookie Canaryname",
        "specialist_id": spec.id,
        "team_id": 0,
        "entry_date": today().isoformat(),
        "status_at_entry": "sick_leave",
        "birth_date": "",
    }
    assert client.post(f"/referrals/{referral.ref}/accept", data=data).status_code == 302
    cookie = _session_cookie(app, client)
    ref = db.session.scalar(select(Client.ref))
    assert "Cookie Canaryname" not in repr(cookie)
    assert f"Client {ref} is now on the caseload." in repr(cookie["_flashes"])
