"""Password hashing with argon2id, its cost sized for the machine (docs/deployment.md).

The parameters are settings (CASELOAD_ARGON2_MEMORY_KIB, CASELOAD_ARGON2_TIME_COST; parallelism 1)
never below OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). A hash records the parameters
it was made with, so hashes made with other parameters keep verifying; sign-in replaces them
(``needs_rehash``).
"""

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_MEMORY_KIB = 19 * 1024  # OWASP Password Storage Cheat Sheet: argon2id, m ≥ 19 MiB, t ≥ 2, p = 1
MIN_TIME_COST = 2
DEFAULT_MEMORY_KIB = 19 * 1024
DEFAULT_TIME_COST = 2


@lru_cache(maxsize=8)
def hasher(memory_kib: int = DEFAULT_MEMORY_KIB, time_cost: int = DEFAULT_TIME_COST) -> PasswordHasher:
    """An argon2id hasher with one lane (a sign-in takes one core, never all of them)."""
    if memory_kib < MIN_MEMORY_KIB or time_cost < MIN_TIME_COST:
        raise ValueError(
            f"argon2id below OWASP's minimum (m ≥ {MIN_MEMORY_KIB} KiB, t ≥ {MIN_TIME_COST}): "
            f"m={memory_kib}, t={time_cost}"
        )
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)


def _hasher() -> PasswordHasher:
    """The app's configured hasher; the defaults outside an app (scripts)."""
    if not has_app_context():
        return hasher()
    config = current_app.config
    return hasher(
        config.get("ARGON2_MEMORY_KIB", DEFAULT_MEMORY_KIB), config.get("ARGON2_TIME_COST", DEFAULT_TIME_COST)
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash (imported staff) never matches."""
    if not password_hash:
        _hasher().hash(password)  # same cost either way: no timing hint that the account exists
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
