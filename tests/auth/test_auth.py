"""Sign-in, sign-out, sessions, passwords and `users create`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseload.auth.models import User
from tests import factories


def _sign_in(client, email, password=factories.PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_person_signs_in_with_email_and_password(client, db):
    factories.user(db.session, "specialist", email="siri@example.test")
    db.session.commit()
    response = _sign_in(client, "Siri@Example.test")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, db):
    factories.user(db.session, "specialist", email="siri@example.test")
    db.session.commit()
    response = _sign_in(client, "siri@example.test", "wrong-password")
    assert response.status_code == 422
    assert b"E-mail or password is wrong." in response.data
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2id(db):
    user = factories.user(db.session, "specialist")
    assert user.password_hash.startswith("$argon2id$")


def test_logout_ends_every_session_of_that_person(app, db):
    factories.user(db.session, "specialist", email="siri@example.test")
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    _sign_in(phone, "siri@example.test")
    _sign_in(laptop, "siri@example.test")
    assert laptop.post("/auth/logout").status_code == 302
    assert phone.get("/").status_code == 302  # back to the sign-in page


def test_deactivation_ends_sessions_and_blocks_sign_in(app, client, db, login_as):
    target = factories.user(db.session, "specialist", email="leaving@example.test")
    db.session.commit()
    other = app.test_client()
    _sign_in(other, "leaving@example.test")
    login_as("admin")
    response = client.post(
        f"/auth/people/{target.id}",
        data={
            "name": target.name,
            "role": "specialist",
            "program_id": target.program_id,
            "fte": "1.0",
            "language": "",
        },
    )
    assert response.status_code == 302
    assert other.get("/").status_code == 302
    assert _sign_in(app.test_client(), "leaving@example.test").status_code == 422


def test_idle_session_times_out(app, client, db, login_as):
    login_as("specialist")
    with client.session_transaction() as sess:
        sess["seen_at"] -= timedelta(minutes=31).total_seconds()
    assert client.get("/").status_code == 302


def test_session_older_than_twelve_hours_ends(app, client, db, login_as):
    login_as("specialist")
    with client.session_transaction() as sess:
        sess["login_at"] -= timedelta(hours=12, minutes=1).total_seconds()
    assert client.get("/").status_code == 302


def test_users_create_adds_a_person_with_a_password_from_stdin(runner, db):
    program = factories.program(db.session)
    db.session.commit()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "new@example.test",
            "--name",
            "New Person",
            "--role",
            "supervisor",
            "--program",
            program.ref,
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.test"))
    assert user.role == "supervisor" and user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_unknown_programme_and_duplicates(runner, db):
    user = factories.user(db.session, "specialist", email="dup@example.test")
    ref = user.program.ref
    db.session.commit()
    result = runner.invoke(
        args=["users", "create", "x@example.test", "--name", "X", "--role", "admin", "--program", "NOPE"]
    )
    assert result.exit_code != 0 and "no programme" in result.output
    result = runner.invoke(
        args=["users", "create", "dup@example.test", "--name", "X", "--role", "admin", "--program", ref]
    )
    assert result.exit_code != 0 and "exists already" in result.output
