"""The signing key: made once per installation, never one published in the source tree."""

from __future__ import annotations

import ast
import multiprocessing
import re
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from caseload import create_app
from caseload.db import utcnow
from caseload.extensions import db as _db
from caseload.security.keys import PUBLISHED, SECRET_KEY, KeyStoreError, key_file
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", ".git", "instance", "__pycache__", ".pytest_cache", ".hypothesis", "translations"}
TEXT = {".md", ".toml", ".cfg", ".txt", ".ini", ".sh", ".conf", ".yml", ".yaml", ".env", ".example"}


def _fold(node: ast.AST):
    """The value of a constant expression such as ``"test-key-" + "x" * 32``, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult):
        left, right = _fold(node.left), _fold(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Add) and type(left) is not type(right)):
            return None
        if isinstance(node.op, ast.Mult) and not (isinstance(left, str) ^ isinstance(right, str)):
            return None
        value = left + right if isinstance(node.op, ast.Add) else left * right
        return value if not isinstance(value, str) or len(value) <= 200 else None
    return None


def source_literals() -> set[str]:
    """Every string of 8-200 characters written in the source tree: Python constants (folded) and
    quoted or assigned words of the docs and settings files."""
    found: set[str] = set()
    for path in ROOT.rglob("*"):
        if not path.is_file() or SKIP & set(path.relative_to(ROOT).parts):
            continue
        if path.suffix == ".py":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = _fold(node)
                if isinstance(value, str) and 8 <= len(value) <= 200:
                    found.add(value)
        elif path.suffix in TEXT or path.name == "Makefile":
            text = path.read_text(encoding="utf-8", errors="replace")
            found.update(m.group(1) for m in re.finditer(r"""["'`=]([^\s"'`]{8,200})""", text))
    return found


def _forged_cookie(key: str, user_id: str) -> str:
    signer = Flask("forger")
    signer.secret_key = key
    now = utcnow().timestamp()
    data = {"_user_id": user_id, "_fresh": True, "login_at": now, "seen_at": now}
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(data)


@pytest.fixture
def own_key_app(database_url, app):
    """The app as installed: no SECRET_KEY configured, so it makes its own."""
    own = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": None, "TESTING": True})
    yield own
    with own.app_context():
        _db.engine.dispose()


def test_the_source_tree_still_holds_the_published_key_and_the_tests_key():
    literals = source_literals()
    assert "dev-insecure-key" in literals
    assert "test-secret-key-" + "x" * 32 in literals


def test_a_cookie_forged_with_any_key_in_the_source_tree_is_refused(own_key_app, db):
    person = factories.user(db.session, "specialist")
    db.session.flush()
    user_id = person.get_id()
    db.session.commit()  # and hold no lock while the other app answers
    web = own_key_app.test_client()
    cookie_name = own_key_app.config["SESSION_COOKIE_NAME"]
    web.set_cookie(cookie_name, _forged_cookie(own_key_app.secret_key, user_id))
    assert web.get("/").status_code == 200  # control: a cookie signed with the real key is taken
    accepted = []
    for key in sorted(source_literals()):
        web = own_key_app.test_client()
        web.set_cookie(cookie_name, _forged_cookie(key, user_id))
        response = web.get("/")
        if response.status_code != 302 or "/auth/login" not in response.location:
            accepted.append(key)
    assert accepted == []


def test_a_fresh_instance_makes_its_key_once_and_keeps_it(database_url, tmp_path):
    folder = tmp_path / "instance-keys"
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": None, "CASELOAD_KEYS_DIR": str(folder)}
    first, second = create_app(settings), create_app(settings)
    for started in (first, second):
        with started.app_context():
            _db.engine.dispose()
    key_path = folder / SECRET_KEY
    assert first.secret_key == second.secret_key == key_path.read_text().strip()
    assert len(first.secret_key) >= 32 and first.secret_key not in source_literals()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["audit_key", "data_key", "secret_key"]


def test_two_instances_make_different_keys(tmp_path):
    assert key_file(tmp_path / "a", SECRET_KEY) != key_file(tmp_path / "b", SECRET_KEY)


def test_processes_starting_together_agree_on_one_key(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.starmap(key_file, [(tmp_path, SECRET_KEY)] * 8)
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_KEY]  # no temporary file left behind


@pytest.mark.parametrize("key", [*sorted(PUBLISHED), "short-key", "k" * 31])
def test_a_published_or_short_configured_key_is_refused_at_start_up(key):
    with pytest.raises(KeyStoreError, match="SECRET_KEY must be a random value of at least 32"):
        create_app({"SECRET_KEY": key})


def test_a_key_file_too_short_is_refused_at_start_up(tmp_path):
    (tmp_path / SECRET_KEY).write_text("abc\n")
    with pytest.raises(KeyStoreError, match="fewer than 32 characters"):
        create_app({"SECRET_KEY": None, "CASELOAD_KEYS_DIR": str(tmp_path)})
