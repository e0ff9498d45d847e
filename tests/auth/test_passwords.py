"""Password hashing: argon2id with the configured parameters, never below OWASP's minimum; hashes
made with other parameters keep verifying and are replaced at sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from caseload.auth.passwords import (
    MIN_MEMORY_KIB,
    MIN_TIME_COST,
    hash_password,
    hasher,
    needs_rehash,
    verify_password,
)
from tests import factories


def _sign_in(client, email, password=factories.PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_a_hash_is_argon2id_with_the_configured_parameters_and_one_lane(app):
    assert hash_password("x").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_other_parameters_take_effect(app, monkeypatch):
    monkeypatch.setitem(app.config, "ARGON2_MEMORY_KIB", 24576)
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 3)
    made = hash_password("x")
    assert made.startswith("$argon2id$v=19$m=24576,t=3,p=1$")
    assert verify_password(made, "x") and not verify_password(made, "y")


@pytest.mark.parametrize(
    ("memory_kib", "time_cost"), [(MIN_MEMORY_KIB - 1, 2), (MIN_MEMORY_KIB, MIN_TIME_COST - 1)]
)
def test_parameters_below_owasp_minimum_are_refused(memory_kib, time_cost):
    with pytest.raises(ValueError, match="OWASP"):
        hasher(memory_kib, time_cost)


def test_a_hash_made_with_other_parameters_verifies_and_is_replaced_at_sign_in(client, db):
    user = factories.user(db.session, "specialist", email="siri@example.test")
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, type=Type.ID).hash(factories.PASSWORD)
    user.password_hash = old
    db.session.commit()
    assert needs_rehash(old)
    assert _sign_in(client, "siri@example.test").status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old and not needs_rehash(user.password_hash)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    client.post("/auth/logout")
    assert _sign_in(client, "siri@example.test").status_code == 302


def test_a_current_hash_is_kept_at_sign_in(client, db):
    user = factories.user(db.session, "specialist", email="siri@example.test")
    db.session.commit()
    kept = user.password_hash
    assert _sign_in(client, "siri@example.test").status_code == 302
    db.session.refresh(user)
    assert user.password_hash == kept


def test_a_wrong_password_never_replaces_the_hash(client, db):
    user = factories.user(db.session, "specialist", email="siri@example.test")
    old = PasswordHasher().hash(factories.PASSWORD)
    user.password_hash = old
    db.session.commit()
    assert _sign_in(client, "siri@example.test", "wrong-password").status_code == 422
    db.session.refresh(user)
    assert user.password_hash == old
