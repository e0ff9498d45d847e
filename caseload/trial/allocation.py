"""The concealed allocator: permuted blocks of randomly varying size within strata.

Pure: no database, no clock. Given the secret seed, a stratum and a sequence number it always
gives the same arm, so the statistician can reproduce the sequence; without the seed nothing
about the next allocation can be read from the past ones beyond what blocks allow. The
pseudo-random numbers are HMAC-SHA256 in counter mode, keyed by the seed, so the sequence does
not depend on Python's ``random`` implementation.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator, Mapping, Sequence

from caseload.l10n import lazy_gettext as _l
from caseload.metrics.trial import BLOCK_MULTIPLES

Arms = Sequence[tuple[str, int]]  # (arm code, ratio), e.g. (("ips", 2), ("tau", 1))


class AllocationError(ValueError):
    """The allocation cannot be made (e.g. an uploaded list has run out in a stratum)."""


class _Stream:
    """Deterministic integers from HMAC-SHA256(seed, stratum | counter)."""

    def __init__(self, seed: bytes, stratum: str) -> None:
        self._key = hmac.new(seed, b"stratum:" + stratum.encode(), hashlib.sha256).digest()
        self._counter = 0

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) (rejection sampling, no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            self._counter += 1
            block = hmac.new(self._key, self._counter.to_bytes(8, "big"), hashlib.sha256).digest()
            value = int.from_bytes(block[:8], "big")
            if value < limit:
                return value % n


def blocks(seed: bytes, stratum: str, arms: Arms) -> Iterator[list[str]]:
    """The stratum's endless run of blocks: each holds every arm ``ratio × m`` times, with ``m``
    drawn from BLOCK_MULTIPLES, in a shuffled order (Fisher–Yates)."""
    stream = _Stream(seed, stratum)
    while True:
        multiple = BLOCK_MULTIPLES[stream.below(len(BLOCK_MULTIPLES))]
        block = [code for code, ratio in arms for _ in range(ratio * multiple)]
        for i in range(len(block) - 1, 0, -1):
            j = stream.below(i + 1)
            block[i], block[j] = block[j], block[i]
        yield block


def sequence(seed: bytes, stratum: str, arms: Arms, n: int) -> list[str]:
    """The first ``n`` allocations of a stratum."""
    out: list[str] = []
    for block in blocks(seed, stratum, arms):
        out.extend(block)
        if len(out) >= n:
            return out[:n]
    return out  # pragma: no cover - blocks() never ends


def allocate(seed: bytes, stratum: str, arms: Arms, number: int) -> str:
    """The arm of allocation ``number`` (1-based) in ``stratum``."""
    if number < 1:
        raise AllocationError(_l("Sequence numbers start at 1."))
    return sequence(seed, stratum, arms, number)[number - 1]


def from_list(allocation_list: Mapping[str, Sequence[str]], stratum: str, number: int) -> str:
    """The arm of allocation ``number`` in an uploaded list; an exhausted list is an error."""
    arms = allocation_list.get(stratum, ())
    if number < 1 or number > len(arms):
        raise AllocationError(_l("The allocation list has no entry left for this stratum."))
    return arms[number - 1]


def stratum_key(levels: Mapping[str, str]) -> str:
    """A stratum as stored: ``factor=level`` pairs sorted by factor, joined by ``;``."""
    return ";".join(f"{factor}={levels[factor]}" for factor in sorted(levels))


def strata(factors: Mapping[str, Sequence[str]]) -> list[str]:
    """Every stratum of the factors' levels (``[""]`` without factors)."""
    keys: list[dict[str, str]] = [{}]
    for factor in sorted(factors):
        keys = [{**k, factor: level} for k in keys for level in factors[factor]]
    return [stratum_key(k) for k in keys]


def parse_list(text: str, arm_codes: Sequence[str], known_strata: Sequence[str]) -> dict[str, list[str]]:
    """An uploaded allocation list (CSV with a header ``stratum,sequence,arm``; ``stratum`` may be
    empty without factors) as {stratum: [arm, ...]}; sequence numbers must run 1, 2, 3 … in each
    stratum. Raises AllocationError naming the first bad line."""
    rows = csv.DictReader(io.StringIO(text))
    if rows.fieldnames is None or [f.strip() for f in rows.fieldnames] != ["stratum", "sequence", "arm"]:
        raise AllocationError(_l("The first line must be: stratum,sequence,arm"))
    out: dict[str, list[str]] = {}
    for line, row in enumerate(rows, start=2):
        stratum, number, arm = ((row.get(k) or "").strip() for k in ("stratum", "sequence", "arm"))
        if stratum not in known_strata:
            raise AllocationError(_l("Line %(line)s: unknown stratum.", line=line))
        if arm not in arm_codes:
            raise AllocationError(_l("Line %(line)s: unknown arm.", line=line))
        if not number.isdigit() or int(number) != len(out.get(stratum, [])) + 1:
            raise AllocationError(
                _l("Line %(line)s: sequence numbers must run 1, 2, 3 … in each stratum.", line=line)
            )
        out.setdefault(stratum, []).append(arm)
    if not out:
        raise AllocationError(_l("The list is empty."))
    return out
