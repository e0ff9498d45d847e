"""The pure allocator: permuted blocks of varying size within strata, reproducible from the seed."""

from __future__ import annotations

import random
from collections import Counter
from itertools import accumulate, islice

import pytest

from caseload.trial import allocation as allocator

ARMS = (("ips", 2), ("tau", 1))
STRATA = allocator.strata({"status": ["sick_leave", "benefits", "unemployed"], "sex": ["f", "m"]})


def _simulate(seed: bytes, n: int = 10_000) -> dict[str, list[str]]:
    """n enrolments falling at random into the strata, each allocated through ``allocate``'s
    sequence for its stratum."""
    arrivals = random.Random(7).choices(STRATA, k=n)
    counts = Counter(arrivals)
    return {s: allocator.sequence(seed, s, ARMS, counts[s]) for s in STRATA}


def test_every_completed_block_holds_the_exact_ratio_over_10000_enrolments():
    seed = b"statistician's secret"
    by_stratum = _simulate(seed)
    assert sum(len(v) for v in by_stratum.values()) == 10_000
    sizes_seen = set()
    for stratum, arms in by_stratum.items():
        sizes = [len(b) for b in islice(allocator.blocks(seed, stratum, ARMS), 2000)]
        ends = [e for e in accumulate(sizes) if e <= len(arms)]
        start = 0
        for end in ends:
            counts = Counter(arms[start:end])
            assert counts["ips"] == 2 * counts["tau"], (stratum, start, end)
            sizes_seen.add(end - start)
            start = end
        # an unfinished block never runs beyond the largest block's imbalance
        tail = Counter(arms[start:])
        assert abs(tail["ips"] - 2 * tail["tau"]) <= 2 * 3 * 2
    assert sizes_seen == {3, 6, 9}  # the block size varies


def test_the_same_seed_reproduces_the_sequence():
    assert _simulate(b"seed-a", 2000) == _simulate(b"seed-a", 2000)
    assert (
        allocator.allocate(b"seed-a", STRATA[0], ARMS, 17)
        == allocator.sequence(b"seed-a", STRATA[0], ARMS, 17)[-1]
    )


def test_a_different_seed_gives_a_different_sequence():
    assert _simulate(b"seed-a", 2000) != _simulate(b"seed-b", 2000)


def test_strata_have_sequences_of_their_own():
    assert allocator.sequence(b"s", STRATA[0], ARMS, 300) != allocator.sequence(b"s", STRATA[1], ARMS, 300)


def test_the_overall_ratio_is_two_to_one():
    arms = [a for v in _simulate(b"ratio").values() for a in v]
    share = Counter(arms)["ips"] / len(arms)
    assert abs(share - 2 / 3) < 0.01


def test_an_uploaded_list_is_followed_and_runs_out_with_an_error(app):
    parsed = allocator.parse_list("stratum,sequence,arm\n,1,tau\n,2,ips\n", ["ips", "tau"], [""])
    assert allocator.from_list(parsed, "", 1) == "tau"
    assert allocator.from_list(parsed, "", 2) == "ips"
    with pytest.raises(allocator.AllocationError):
        allocator.from_list(parsed, "", 3)


@pytest.mark.parametrize(
    "text",
    [
        "arm,sequence\n",
        "stratum,sequence,arm\n,1,other\n",
        "stratum,sequence,arm\n,2,ips\n",
        "stratum,sequence,arm\nnowhere,1,ips\n",
        "stratum,sequence,arm\n",
    ],
)
def test_a_bad_allocation_list_is_refused(app, text):
    with pytest.raises(allocator.AllocationError):
        allocator.parse_list(text, ["ips", "tau"], [""])


def test_strata_are_every_combination_of_levels():
    assert allocator.strata({}) == [""]
    assert sorted(allocator.strata({"b": ["1", "2"], "a": ["x"]})) == ["a=x;b=1", "a=x;b=2"]
