"""Every route needs a login unless it is on the public list; client routes hide out-of-scope clients.

The route list comes from app.url_map, so a new route is checked without anyone adding it here
(a client route with a new kind of parameter fails until PARAMS below says how to fill it).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests import factories

# The set-password link is opened signed out: its one-time token is the credential (unknown or used
# tokens answer 404, see tests/auth/test_password_links.py).
# /healthz and /readyz answer monitoring without sign-in and carry no client data
# (tests/monitoring/test_health.py).
PUBLIC = {
    "static",
    "auth.login",
    "auth.set_password",
    "prompts.feed",
    "monitoring.healthz",
    "monitoring.readyz",
}


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


def _methods(rule) -> list[str]:
    return sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))


def _dummy_url(rule) -> str:
    def fill(match: re.Match) -> str:
        conv, _, name = match.group(1).rpartition(":")
        return (
            "1"
            if conv.startswith("int")
            else "2026-01-05"
            if "monday" in name or "week" in name
            else "X-000001"
        )

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def test_every_route_needs_login_or_is_public(app):
    client = app.test_client()
    checked = 0
    for rule in _rules(app):
        if rule.endpoint in PUBLIC:
            continue
        for method in _methods(rule):
            response = client.open(_dummy_url(rule), method=method)
            assert response.status_code == 302 and "/auth/login" in response.location, (
                f"{method} {rule.rule} ({rule.endpoint}) answers {response.status_code} without login"
            )
            checked += 1
    assert checked > 10


@pytest.fixture
def scoped_world(db):
    """A client with one of every record, its specialist, and three people who must not see it."""
    prog = factories.program(db.session)
    team, other_team = factories.team(db.session, prog, "A"), factories.team(db.session, prog, "B")
    owner = factories.user(db.session, "specialist", prog, teams=[team])
    c = factories.client(db.session, owner, team_obj=team)
    start = date.today() - timedelta(days=20)
    records = {
        "job": factories.job(db.session, c, start=start),
        "contact": factories.contact(db.session, c, owner, on=start),
        "benefits": factories.benefits_session(db.session, c, on=start - timedelta(days=3)),
        "employer_contact": factories.employer_contact(
            db.session, owner, on=start - timedelta(days=9), clients=[c]
        ),
        "measure": factories.measure(db.session, c, on=start),
        "step": factories.plan_step(db.session, c),
    }
    outsiders = {
        "other specialist": factories.user(db.session, "specialist", prog, teams=[team]),
        "clinician of another team": factories.user(db.session, "clinician", prog, teams=[other_team]),
        "admin": factories.user(db.session, "admin", prog),
    }
    db.session.commit()
    return c, records, outsiders


# How to fill each route parameter of a client route from the scoped world.
PARAMS = {
    "ref": lambda c, r: c.ref,
    "client_ref": lambda c, r: c.ref,
    "job_ref": lambda c, r: r["job"].ref,
    "contact_ref": lambda c, r: r["contact"].ref,
    "session_ref": lambda c, r: r["benefits"].ref,
    "benefits_ref": lambda c, r: r["benefits"].ref,
    "mref": lambda c, r: r["measure"].ref,
    "step_id": lambda c, r: r["step"].id,
    "record_ref": lambda c, r: r["contact"].ref,
    "since": lambda c, r: (r["job"].start_date + timedelta(days=1)).isoformat(),
}


def _client_routes(app):
    return [r for r in _rules(app) if r.rule.startswith("/clients/<")]


def test_client_routes_answer_404_out_of_scope(app, client, login_as, scoped_world):
    c, records, outsiders = scoped_world
    routes = _client_routes(app)
    assert routes
    for who, person in outsiders.items():
        login_as(user=person)
        for rule in routes:
            missing = set(rule.arguments) - set(PARAMS)
            assert not missing, f"{rule.rule}: add {missing} to PARAMS in tests/test_access.py"
            url = rule.build({k: PARAMS[k](c, records) for k in rule.arguments}, append_unknown=False)[1]
            for method in _methods(rule):
                response = client.open(url, method=method)
                assert response.status_code == 404, f"{who}: {method} {url} answers {response.status_code}"
