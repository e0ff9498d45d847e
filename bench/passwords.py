"""`python -m bench.passwords`: what one password hash costs on this machine, for sizing
CASELOAD_ARGON2_MEMORY_KIB / CASELOAD_ARGON2_TIME_COST (docs/deployment.md).

Each candidate (argon2id, one lane, never below OWASP's minimum) hashes a password 15 times after
one warm-up; printed: median wall-clock and CPU milliseconds, and the load average at the time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from caseload.auth.passwords import DEFAULT_MEMORY_KIB, DEFAULT_TIME_COST, hasher

CANDIDATES = ((19456, 2), (32768, 2), (47104, 2), (65536, 2), (65536, 3))


def cost(memory_kib: int, time_cost: int, rounds: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of one hash."""
    one = hasher(memory_kib, time_cost)
    one.hash("warm-up")
    wall, cpu = [], []
    for _ in range(rounds):
        w, c = time.perf_counter(), time.process_time()
        one.hash("a password of ordinary length")
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.passwords", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    print(f"{'memory KiB':>10} {'passes':>6} {'wall ms':>8} {'CPU ms':>7}")
    for memory_kib, time_cost in CANDIDATES:
        wall, cpu = cost(memory_kib, time_cost, args.rounds)
        default = "  (default)" if (memory_kib, time_cost) == (DEFAULT_MEMORY_KIB, DEFAULT_TIME_COST) else ""
        print(f"{memory_kib:>10} {time_cost:>6} {wall:>8.1f} {cpu:>7.1f}{default}")


if __name__ == "__main__":
    main()
