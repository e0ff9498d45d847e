"""The key store: the app's secrets, kept in files outside the database and its backups.

Each key is a file in ``CASELOAD_KEYS_DIR`` (default: the instance folder), made once at random
with mode 0600. The file appears complete or not at all (written under a private name, then
hard-linked to its name, which fails when the name exists), so processes starting together agree:
the one that loses the race reads the winner's key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app

SECRET_KEY = "secret_key"  # noqa: S105 - a file name: signs sessions unless SECRET_KEY is set
AUDIT_KEY = "audit_key"  # keys the audit chain and signs its anchors
DATA_KEY = "data_key"  # encrypts secrets at rest (two-step sign-in)
MIN_LENGTH = 32
# Keys that were ever published in this source tree: never accepted as a configured key.
PUBLISHED = frozenset({"dev-insecure-key"})


class KeyStoreError(RuntimeError):
    """A key is missing, unreadable or too weak; the message says which and what to do."""


def keys_dir(app: Flask) -> Path:
    """Where the key files live."""
    return Path(app.config.get("CASELOAD_KEYS_DIR") or app.instance_path)


def key_file(directory: Path, name: str) -> str:
    """The key in ``directory/name``, made at random (mode 0600) when there is none yet."""
    path = directory / name
    if not path.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=directory)  # O_CREAT|O_EXCL, mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(tmp)
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise KeyStoreError(f"the key file {path} cannot be read: {err}") from err
    if len(key) < MIN_LENGTH:
        raise KeyStoreError(f"the key file {path} holds fewer than {MIN_LENGTH} characters")
    return key


def keys_load(app: Flask) -> None:
    """Read (or make) every key at start-up; settle SECRET_KEY, refusing a weak configured one."""
    directory = keys_dir(app)
    store = app.extensions.setdefault("caseload_keys", {})
    for name in (AUDIT_KEY, DATA_KEY):
        store[name] = key_file(directory, name)
    configured = app.config.get("SECRET_KEY")
    if not configured:
        app.config["SECRET_KEY"] = key_file(directory, SECRET_KEY)
    elif configured in PUBLISHED or len(configured) < MIN_LENGTH:
        raise KeyStoreError(
            f"SECRET_KEY must be a random value of at least {MIN_LENGTH} characters "
            "(unset it to have one made in the key folder)"
        )


def app_key(name: str) -> bytes:
    """A key of the running app, as bytes."""
    return current_app.extensions["caseload_keys"][name].encode()


def derived(name: str, purpose: str) -> bytes:
    """32 bytes for one ``purpose``, derived from the key ``name`` (one key file, several uses)."""
    return hmac.new(app_key(name), purpose.encode(), hashlib.sha256).digest()


def seal(plain: bytes, purpose: str) -> str:
    """``plain`` encrypted and authenticated (AES-256-GCM, a key derived from the data key for
    ``purpose``), as urlsafe base64 of nonce + ciphertext: 20 bytes give 64 characters."""
    nonce = os.urandom(12)
    return base64.urlsafe_b64encode(
        nonce + AESGCM(derived(DATA_KEY, purpose)).encrypt(nonce, plain, None)
    ).decode()


def unseal(token: str, purpose: str) -> bytes | None:
    """What ``seal`` sealed; None when this data key did not seal it (a wrong or lost key)."""
    try:
        packed = base64.urlsafe_b64decode(token.encode())
        return AESGCM(derived(DATA_KEY, purpose)).decrypt(packed[:12], packed[12:], None)
    except (InvalidTag, ValueError):
        return None
