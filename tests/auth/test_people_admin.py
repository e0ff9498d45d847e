"""Admins manage people and treatment teams in the web UI; bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseload.auth.models import User
from caseload.teams.models import Program, TreatmentTeam
from tests import factories


def _person(program_id, **overrides):
    data = {
        "email": "new@example.test",
        "name": "New Person",
        "role": "clinician",
        "program_id": program_id,
        "fte": "0.8",
        "language": "nb",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_person_with_teams(client, db, login_as):
    admin = login_as("admin")
    team = factories.team(db.session, admin.program)
    db.session.commit()
    response = client.post("/auth/people/new", data={**_person(admin.program_id), "team_ids": [team.id]})
    assert response.status_code == 200 and "/auth/set-password/" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "new@example.test"))
    assert (user.role, str(user.fte), [t.id for t in user.teams]) == ("clinician", "0.80", [team.id])
    assert (user.language, user.password_hash) == ("nb", None)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"fte": "1.6"}, "Number must be between 0 and 1.5"),
        ({"fte": "-0.1"}, "Number must be between 0 and 1.5"),
        ({"fte": "nan"}, "Enter a number."),
        ({"name": "Ola\x00"}, "not allowed"),
        ({"email": "not-an-email"}, "Invalid email address"),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 201}, "Field cannot be longer than 200"),
        ({"role": "superuser"}, "Not a valid choice"),
    ],
)
def test_bad_person_input_is_refused_by_the_field(client, db, login_as, override, message):
    admin = login_as("admin")
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/auth/people/new", data=_person(admin.program_id, **override))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_admin_adds_programme_and_team(client, db, login_as):
    admin = login_as("admin")
    assert client.post("/admin/programs/new", data={"name": "Bergen IPS"}).status_code == 302
    bergen = db.session.scalar(select(Program).where(Program.name == "Bergen IPS"))
    assert bergen.ref.startswith("P-")
    response = client.post("/admin/teams/new", data={"name": "Team C", "program_id": bergen.id})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(TreatmentTeam).where(TreatmentTeam.name == "Team C")).program_id == bergen.id
    )
    assert admin.role == "admin"


def test_empty_team_name_is_refused(client, db, login_as):
    admin = login_as("admin")
    response = client.post("/admin/teams/new", data={"name": "", "program_id": admin.program_id})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(TreatmentTeam)) == 0


@pytest.mark.parametrize("role", ["specialist", "supervisor", "clinician"])
def test_only_admins_manage_people(client, db, login_as, role):
    login_as(role)
    assert client.get("/auth/people").status_code == 404
    assert client.get("/admin/teams").status_code == 404
