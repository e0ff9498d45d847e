"""With CSRF protection on (as deployed), every POST route refuses a request without the token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from caseload.auth.models import User
from caseload.clients.models import Referral
from caseload.db import utcnow
from tests import factories
from tests.security import world as W
from tests.security.dbstate import changed_tables, snapshot

FORM = {"name": "X", "notes": "x", "reason": "other", "confirm": "y", "code": "123456", "email": "a@b.test"}


def _sign_in(client, user_id: int, version: int) -> None:
    now = utcnow().timestamp()
    with client.session_transaction() as sess:
        sess.update({"_user_id": f"{user_id}:{version}", "_fresh": True, "login_at": now, "seen_at": now})


def _post_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods), key=str)


def _state(db):
    state = snapshot(db.session.connection(), exclude=())
    db.session.rollback()  # hold no lock while the other app answers
    return state


@pytest.fixture
def world(db):
    w = W.build(db.session)
    db.session.commit()
    versions = dict(db.session.execute(select(User.id, User.session_version)).all())
    db.session.rollback()
    return w, versions


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_post_route_refuses_a_request_without_a_valid_token(app, csrf_app, db, world, token):
    w, versions = world
    client = csrf_app.test_client()
    checked = []
    for who in ("owner", "supervisor", "admin"):
        person_id = w.ids["person_ids"][who]
        for rule in _post_rules(csrf_app):
            _sign_in(client, person_id, versions[person_id])
            before = _state(db)
            data = FORM | ({"csrf_token": token} if token else {})
            response = client.post(W.url_for_rule(rule, w), data=data)
            after = _state(db)
            assert response.status_code == 400, f"{who} POST {rule.rule}: {response.status_code}"
            assert not changed_tables(before, after), (
                f"{who} POST {rule.rule} wrote {changed_tables(before, after)}"
            )
            checked.append(rule.rule)
    print(f"\ncsrf: {len(set(checked))} POST routes x 3 people refused without a valid token")
    assert len(set(checked)) == len(_post_rules(csrf_app))


def test_sign_in_also_needs_the_token(csrf_app, db):
    email = factories.user(db.session, "specialist").email
    db.session.commit()
    client = csrf_app.test_client()
    assert (
        client.post("/auth/login", data={"email": email, "password": factories.PASSWORD}).status_code == 400
    )
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": email, "password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 302


def test_with_the_token_the_same_post_works(csrf_app, db, world):
    w, versions = world
    client = csrf_app.test_client()
    owner = w.ids["person_ids"]["owner"]
    _sign_in(client, owner, versions[owner])
    page = client.get("/referrals/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"received_on": "2026-01-05", "person_name": "Tokenia Validsen", "csrf_token": token}
    assert client.post("/referrals/new", data=data).status_code == 302
    assert db.session.scalar(select(Referral.ref).where(Referral.person_name == "Tokenia Validsen"))
