"""The administrator's programme settings page: name and full-time week (V13's scheduled hours)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.teams.models import Program
from tests import factories

TODAY = date.today()
SUNDAY = TODAY - timedelta(days=(TODAY.weekday() + 1) % 7)  # V13's window: 13 weeks ending on a Sunday


def _url(program: Program) -> str:
    return f"/admin/programs/{program.ref}/settings"


@pytest.fixture
def community_programme(db):
    """A programme whose one full-time specialist spent 5,850 minutes in the community in the last
    13 weeks: 20 % of a 37.5-hour week's scheduled time (29,250 minutes), 25 % of a 30-hour week's."""
    prog = factories.program(db.session, "Pain clinic IPS")
    spec = factories.user(db.session, "specialist", prog, fte=Decimal("1.0"))
    c = factories.client(db.session, spec, entry=TODAY - timedelta(days=200))
    for k in range(13):
        factories.contact(
            db.session, c, spec, on=SUNDAY - timedelta(days=k), minutes=450, location="community"
        )
    db.session.commit()
    return prog


def _v13(runner, program: Program) -> float:
    out = runner.invoke(
        args=["fidelity", "compute", "--program", program.ref, "--as-of", SUNDAY.isoformat(), "--json"]
    )
    assert out.exit_code == 0, out.output
    return json.loads(out.output)["items"]["V13"]["value"]


def test_admin_changes_the_full_time_week_and_v13_follows(client, db, login_as, runner, community_programme):
    prog = community_programme
    assert _v13(runner, prog) == pytest.approx(20.0)
    admin = login_as("admin")
    page = client.get(_url(prog))
    assert page.status_code == 200 and 'value="37.5"' in page.get_data(as_text=True)
    response = client.post(_url(prog), data={"name": "Pain clinic IPS", "full_time_hours": "30"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, prog.id).full_time_hours == Decimal("30")
    assert _v13(runner, prog) == pytest.approx(25.0)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "program_settings")).all()
    assert (event.user_id, event.target, event.client_id) == (admin.id, prog.ref, None)


def test_a_decimal_comma_is_accepted(client, db, login_as):
    prog = factories.program(db.session, "Komma")
    db.session.commit()
    login_as("admin")
    response = client.post(_url(prog), data={"name": "Komma", "full_time_hours": "37,5"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, prog.id).full_time_hours == Decimal("37.5")


def test_admin_renames_the_programme(client, db, login_as):
    prog = factories.program(db.session, "Old name")
    db.session.commit()
    login_as("admin")
    response = client.post(_url(prog), data={"name": "  New name ", "full_time_hours": "37.5"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, prog.id).name == "New name"
    assert "New name" in client.get("/admin/teams").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_time_hours": "0"}, "more than 0 and at most 60 hours"),
        ({"full_time_hours": "61"}, "more than 0 and at most 60 hours"),
        ({"full_time_hours": "60.01"}, "more than 0 and at most 60 hours"),
        ({"full_time_hours": "-5"}, "more than 0 and at most 60 hours"),
        ({"full_time_hours": "abc"}, "Not a valid decimal value"),
        ({"full_time_hours": ""}, "Enter the hours of a full-time week"),
        ({"full_time_hours": "37.555"}, "at most 2 decimals"),
        ({"full_time_hours": "NaN"}, "Enter a number"),
        ({"full_time_hours": "Infinity"}, "Enter a number"),
        ({"name": ""}, "This field is required"),
        ({"name": "x" * 201}, "longer than 200"),
    ],
)
def test_bad_values_change_nothing_and_say_why(client, db, login_as, data, message):
    prog = factories.program(db.session, "Unchanged")
    db.session.commit()
    login_as("admin")
    response = client.post(_url(prog), data={"name": "Renamed", "full_time_hours": "30"} | data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Program, prog.id)
    assert (saved.name, saved.full_time_hours) == ("Unchanged", Decimal("37.5"))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "program_settings")) is None


@pytest.mark.parametrize("role", ["specialist", "supervisor", "clinician"])
def test_other_roles_get_404(client, db, login_as, role):
    prog = factories.program(db.session, "Hidden")
    db.session.commit()
    login_as(role)
    assert client.get(_url(prog)).status_code == 404
    assert client.post(_url(prog), data={"name": "X", "full_time_hours": "30"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Program, prog.id).full_time_hours == Decimal("37.5")


def test_unknown_programme_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/programs/P-9999/settings").status_code == 404


def test_the_programme_list_links_to_the_settings_and_shows_the_week(client, db, login_as):
    prog = factories.program(db.session, "Listed")
    db.session.commit()
    login_as("admin")
    body = client.get("/admin/teams").get_data(as_text=True)
    assert _url(prog) in body and "Full-time week: 37.5 hours" in body and "Europe/Oslo" in body


def test_the_page_speaks_norwegian_with_a_decimal_comma(client, db, login_as):
    prog = factories.program(db.session, "Norsk")
    db.session.commit()
    login_as("admin", language="nb")
    body = client.get(_url(prog)).get_data(as_text=True)
    assert "Timer i en heltidsuke" in body and 'value="37,5"' in body
    assert "Heltidsuke: 37,5 timer" in client.get("/admin/teams").get_data(as_text=True)
    refused = client.post(_url(prog), data={"name": "Norsk", "full_time_hours": "abc"})
    assert refused.status_code == 422 and "Ikke en gyldig desimalverdi" in refused.get_data(as_text=True)
