"""Every administrative action is audited (without health data) and the person is told, once, at
their next sign-in what an administrator changed, when and by whom."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from caseload.auth.models import AccountChange, AuditEvent, User
from tests import factories


def _events(db) -> list[tuple[str, int | None, str | None, int | None]]:
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.user_id, AuditEvent.target, AuditEvent.client_id).order_by(
            AuditEvent.id
        )
    )
    return [tuple(row) for row in rows]


def _edit(person, **changes) -> dict:
    data = {
        "name": person.name,
        "role": person.role,
        "program_id": person.program_id,
        "fte": str(person.fte),
        "active": "y" if person.active else "",
        "language": person.language or "",
        "team_ids": [t.id for t in person.teams],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if not (k == "active" and v == "")}  # unticked: not sent


def _sign_in(client, email: str):
    return client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})


def test_creating_a_person_is_audited(client, db, login_as):
    admin = login_as("admin")
    data = {"email": "n@example.test", "name": "N", "role": "supervisor", "program_id": admin.program_id}
    assert client.post("/auth/people/new", data=data | {"fte": "1.0", "language": ""}).status_code == 200
    new = db.session.scalar(select(User).where(User.email == "n@example.test"))
    assert _events(db) == [
        ("person_create", admin.id, f"user {new.id}", None),
        ("password_link_issue", admin.id, f"user {new.id}: password_link", None),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "supervisor"}, "role"),
        ({"fte": "0.5"}, "fte"),
        ({"active": ""}, "active"),
        ({"name": "Renamed Person"}, "name"),
        ({"language": "nb"}, "language"),
    ],
)
def test_each_change_of_a_person_is_audited(client, db, login_as, change, field):
    person = factories.user(db.session, "specialist")
    db.session.commit()
    admin = login_as("admin")
    assert client.post(f"/auth/people/{person.id}", data=_edit(person, **change)).status_code == 302
    assert _events(db) == [("person_update", admin.id, f"user {person.id}: {field}", None)]


def test_moving_a_person_to_other_teams_and_programme_is_audited(client, db, login_as):
    person = factories.user(db.session, "clinician")
    other = factories.program(db.session, "Other")
    team = factories.team(db.session, other)
    db.session.commit()
    admin = login_as("admin")
    data = _edit(person, program_id=other.id, team_ids=[team.id])
    assert client.post(f"/auth/people/{person.id}", data=data).status_code == 302
    assert _events(db) == [("person_update", admin.id, f"user {person.id}: program_id,teams", None)]


def test_saving_a_person_unchanged_records_nothing(client, db, login_as):
    person = factories.user(db.session, "specialist", teams=[factories.team(db.session)])
    db.session.commit()
    login_as("admin")
    assert client.post(f"/auth/people/{person.id}", data=_edit(person)).status_code == 302
    assert _events(db) == []
    assert db.session.scalar(select(AccountChange)) is None


def test_issuing_a_link_and_removing_two_step_sign_in_are_audited(client, db, login_as):
    person = factories.user(db.session, "specialist", totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    db.session.commit()
    admin = login_as("admin")
    assert client.post(f"/auth/people/{person.id}/password-link").status_code == 200
    assert client.post(f"/security/people/{person.id}/two-step/reset").status_code == 302
    assert _events(db) == [
        ("password_link_issue", admin.id, f"user {person.id}: password_link", None),
        ("two_step_reset", admin.id, f"user {person.id}: two_step_reset", None),
    ]


def test_programmes_and_teams_changes_are_audited(client, db, login_as):
    admin = login_as("admin")
    assert client.post("/admin/programs/new", data={"name": "Bergen IPS"}).status_code == 302
    assert (
        client.post("/admin/teams/new", data={"name": "T", "program_id": admin.program_id}).status_code == 302
    )
    team = db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "team_create"))
    data = {"name": "T2", "program_id": admin.program_id}
    assert client.post(f"/admin/teams/{team}", data=data).status_code == 302
    assert [(a, u, c) for a, u, _, c in _events(db)] == [
        ("program_create", admin.id, None),
        ("team_create", admin.id, None),
        ("team_update", admin.id, None),
    ]


def test_the_command_line_audits_the_people_it_creates_and_the_factors_it_removes(runner, db):
    program = factories.program(db.session)
    person = factories.user(db.session, "specialist", email="p@example.test", totp_secret="X" * 32)
    db.session.commit()
    args = ["users", "create", "c@example.test", "--name", "C", "--role", "admin", "--program", program.ref]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=["security", "reset-two-step", "p@example.test"]).exit_code == 0
    created = db.session.scalar(select(User.id).where(User.email == "c@example.test"))
    assert _events(db) == [
        ("person_create", None, f"user {created}", None),
        ("two_step_reset", None, f"user {person.id}: two_step_reset", None),
    ]


def test_the_person_sees_what_changed_when_and_by_whom_once_at_their_next_sign_in(app, client, db, login_as):
    person = factories.user(db.session, "specialist", email="p@example.test")
    db.session.commit()
    login_as("admin", name="Ada Admin")
    client.post(f"/auth/people/{person.id}", data=_edit(person, role="supervisor", fte="0.5"))
    client.post(f"/auth/people/{person.id}/password-link")
    device = app.test_client()
    assert _sign_in(device, "p@example.test").status_code == 302
    page = device.get("/", follow_redirects=True).get_data(as_text=True)
    assert page.count("Your account was changed on") == 2
    assert "by Ada Admin: role, FTE." in page and "by Ada Admin: a set-password link was issued." in page
    change = db.session.scalar(select(AccountChange).order_by(AccountChange.id))
    shown = change.at.replace(tzinfo=UTC).astimezone(ZoneInfo(app.config["CASELOAD_TIMEZONE"]))
    assert f"changed on {shown:%Y-%m-%d %H:%M} by" in page and change.seen_at is not None
    device.post("/auth/logout")
    assert _sign_in(device, "p@example.test").status_code == 302
    assert "Your account was changed" not in device.get("/", follow_redirects=True).get_data(as_text=True)
