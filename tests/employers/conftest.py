"""A small world for the employer tests: two programmes, their people, clients and job types."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from caseload.metrics.periods import monday_of
from caseload.teams.models import JobType
from tests import factories
from tests.browser.helpers import browser_page  # noqa: F401 - fixture of the browser journey


@pytest.fixture
def world(db):
    """Programme A (two specialists, a supervisor, a clinician, an admin) and programme B."""
    s = db.session
    prog = factories.program(s, "Oslo IPS")
    other = factories.program(s, "Bergen IPS")
    team = factories.team(s, prog, "Pain clinic team")
    spec = factories.user(s, "specialist", prog, teams=[team], name="Siri Spec")
    colleague = factories.user(s, "specialist", prog, name="Carl Colleague")
    sup = factories.user(s, "supervisor", prog, name="Sunniva Sup")
    far_spec = factories.user(s, "specialist", other, name="Frida Far")
    far_sup = factories.user(s, "supervisor", other, name="Bjarne Bergen")
    clin = factories.user(s, "clinician", prog, teams=[team])
    admin = factories.user(s, "admin", prog)
    hege = factories.client(s, spec, team_obj=team, name="Hege Berge")
    nils = factories.client(s, spec, team_obj=team, name="Nils Lie")
    colleagues_client = factories.client(s, colleague, name="Kjell Kollega")
    far_client = factories.client(s, far_spec, name="Fjern Klient")
    employer = factories.employer(s, "Kiwi Storo")
    s.add_all(
        [
            JobType(program_id=prog.id, code="5223", label="Shop sales assistant"),
            JobType(program_id=prog.id, code="9112", label="Cleaner"),
        ]
    )
    s.commit()
    return SimpleNamespace(
        prog=prog,
        other=other,
        team=team,
        spec=spec,
        colleague=colleague,
        sup=sup,
        far_spec=far_spec,
        far_sup=far_sup,
        clin=clin,
        admin=admin,
        hege=hege,
        nils=nils,
        colleagues_client=colleagues_client,
        far_client=far_client,
        employer=employer,
    )


@pytest.fixture
def this_monday(app) -> date:
    from caseload.forms import today

    return monday_of(today())
