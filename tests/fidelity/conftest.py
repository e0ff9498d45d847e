"""A small programme in the database: two specialists, a supervisor, clients, contacts and jobs."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tests import factories
from tests.browser.helpers import browser_page  # noqa: F401 - fixture

AS_OF = date(2026, 3, 4)


def days_before(n: int) -> date:
    """AS_OF − n days."""
    return AS_OF - timedelta(days=n)


@pytest.fixture
def in_request(app):
    """A request context, for code that translates messages outside a view."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def programme(db):
    """A programme with people, clients, contacts and jobs around AS_OF; returns its parts."""
    s = db.session
    prog = factories.program(s, "Oslo IPS")
    team_a, team_b = factories.team(s, prog, "Pain clinic A"), factories.team(s, prog, "Pain clinic B")
    spec = factories.user(s, "specialist", prog, teams=[team_a], email="spec@example.test", name="Siri Spec")
    spec2 = factories.user(s, "specialist", prog, teams=[team_b], email="spec2@example.test", name="Per Spec")
    sup = factories.user(s, "supervisor", prog, email="sup@example.test", name="Tone Sup")
    clients = [
        factories.client(s, spec, entry=days_before(100 + 10 * i), team_obj=team_a, name=f"Client {i}")
        for i in range(4)
    ]
    other = factories.client(s, spec2, entry=days_before(50), team_obj=team_b, name="Other Client")
    employer = factories.employer(s)
    for i, c in enumerate(clients):
        factories.employer_contact(
            s, spec, on=c.entry_date + timedelta(days=10 + i), clients=[c], employer_obj=employer
        )
        factories.contact(s, c, spec, on=days_before(20 + i))
    factories.employer_contact(s, spec2, on=days_before(10), clients=[other], employer_obj=employer)
    job = factories.job(s, clients[0], start=days_before(60), employer_obj=employer, job_type="9412")
    factories.contact(s, clients[0], spec, on=job.start_date - timedelta(days=2))
    s.commit()
    return SimpleNamespace(
        program=prog,
        teams=(team_a, team_b),
        spec=spec,
        spec2=spec2,
        sup=sup,
        clients=clients,
        other=other,
        job=job,
    )
