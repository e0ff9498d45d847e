"""Administration: a person's teams belong to their own programme; a new person's language is kept
and the set-password link is their invitation (shown to the admin, or e-mailed)."""

from __future__ import annotations

from sqlalchemy import func, select

from caseload.auth.models import User
from tests import factories


def _person(program_id, **overrides):
    data = {
        "email": "new@example.test",
        "name": "Nina New",
        "role": "specialist",
        "program_id": program_id,
        "fte": "1.0",
        "language": "nb",
    }
    return data | overrides


def test_a_specialist_cannot_be_put_on_another_programmes_team_when_created(client, db, login_as):
    admin = login_as("admin")
    elsewhere = factories.program(db.session, name="Bergen IPS")
    far_team = factories.team(db.session, elsewhere, "Bergen pain team")
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/auth/people/new", data=_person(admin.program_id, team_ids=[far_team.id]))
    assert response.status_code == 422
    assert "Bergen pain team belongs to another programme" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_a_person_cannot_be_moved_onto_another_programmes_team(client, db, login_as):
    admin = login_as("admin")
    own_team = factories.team(db.session, admin.program, "Oslo pain team")
    far_team = factories.team(
        db.session, factories.program(db.session, name="Bergen IPS"), "Bergen pain team"
    )
    person = factories.user(db.session, "specialist", admin.program, teams=[own_team])
    db.session.commit()
    data = _person(admin.program_id, team_ids=[own_team.id, far_team.id], active="y")
    response = client.post(f"/auth/people/{person.id}", data=data)
    assert response.status_code == 422
    assert "belongs to another programme" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [t.name for t in db.session.get(User, person.id).teams] == ["Oslo pain team"]
    moved = client.post(
        f"/auth/people/{person.id}", data=_person(far_team.program_id, team_ids=[far_team.id])
    )
    assert moved.status_code == 302  # moving to the other programme with its team is fine
    db.session.expire_all()
    assert [t.name for t in db.session.get(User, person.id).teams] == ["Bergen pain team"]


def test_the_team_choices_are_grouped_by_programme(client, db, login_as):
    admin = login_as("admin")
    factories.team(db.session, admin.program, "Oslo pain team")
    factories.team(db.session, factories.program(db.session, name="Bergen IPS"), "Bergen pain team")
    db.session.commit()
    page = client.get("/auth/people/new").get_data(as_text=True)
    assert '<optgroup label="Bergen IPS">' in page and f'<optgroup label="{admin.program.name}">' in page


def test_a_new_person_keeps_the_language_and_gets_the_link_as_invitation(client, db, login_as):
    admin = login_as("admin")
    response = client.post("/auth/people/new", data=_person(admin.program_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nina New is added: their invitation" in page and "/auth/set-password/" in page
    person = db.session.scalar(select(User).where(User.email == "new@example.test"))
    assert (person.language, person.password_hash) == ("nb", None)
    again = client.post(f"/auth/people/{person.id}/password-link").get_data(as_text=True)
    assert "Set-password link for Nina New" in again and "invitation" not in again
    listed = client.get("/auth/people").get_data(as_text=True)
    assert listed.count("invited, no password yet") == 1  # Nina, not the admin
