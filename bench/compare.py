"""Two versions of the code side by side on one page: `python -m bench.compare --before DIR --page P`.

On a shared machine a page's milliseconds move by 2x from one hour to the next, so a change is
measured against the code before it in the same minutes: ``--before`` is a checkout of that code
(``git worktree add --detach ../before <commit>``), this checkout is "after"; the two are run in
turn, ``--rounds`` times, each in a process of its own against the same seeded region (the
bench's databases, as `make bench` leaves them). Each run prints p50/p95 and the CPU time of a
request, and the Python function calls of one (cProfile over ten requests: a count that does not
depend on the machine's speed). Pages only; nothing is written to bench/results.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.items import PAGES

HERE = Path(__file__).resolve().parent
PAGE_NAMES = sorted(p.name for p in PAGES)
CHILD = """import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("bench_compare", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(module.run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
"""


def run(url: str, name: str, requests: int, anchor: str) -> dict:
    """Measure ``name`` with the code on ``sys.path`` (in the child process: this file is loaded by
    its path, so the checkout before need not have it)."""
    from flask import url_for

    from bench.child import make_app, sign_in
    from bench.harness import context

    ctx = context(url, anchor)
    item = next(p for p in PAGES if p.name == name)
    app = make_app(url)
    with app.test_request_context():
        urls = [url_for(item.endpoint, **values) for values in item.values(ctx)]
    email = {"specialist": ctx.specialist_email, "supervisor": ctx.supervisor_email}.get(item.role)
    client = app.test_client()
    sign_in(client, email or ctx.clinician_email)
    for k in range(3):
        client.get(urls[k % len(urls)])
    wall, cpu = [], []
    for k in range(requests):
        start, cpu0 = time.perf_counter(), time.process_time()
        client.get(urls[k % len(urls)])
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu0) * 1000)
    profile = cProfile.Profile()
    profile.enable()
    for k in range(10):
        client.get(urls[k % len(urls)])
    profile.disable()
    calls = sum(stat[1] for stat in pstats.Stats(profile).stats.values()) / 10  # type: ignore[attr-defined]
    wall.sort()
    return {
        "p50_ms": round(statistics.median(wall), 1),
        "p95_ms": round(wall[max(0, -(-len(wall) * 95 // 100) - 1)], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "calls": round(calls),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the code before")
    parser.add_argument("--page", choices=PAGE_NAMES, required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", default="sqlite:///" + str(HERE / "region.db"))
    args = parser.parse_args(argv)
    label = "sqlite" if args.database.startswith("sqlite") else "postgresql"
    anchor = json.loads((HERE / f"region-{label}.json").read_text())["anchor"]
    for _ in range(args.rounds):
        for name, root in (("before", args.before.resolve()), ("after", HERE.parent)):
            env = os.environ | {"PYTHONPATH": str(root), "CASELOAD_KEYS_DIR": str(HERE / "keys")}
            done = subprocess.run(
                [sys.executable, "-c", CHILD, __file__, args.database, args.page, str(args.requests), anchor],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            lines = done.stdout.strip().splitlines()
            shown = lines[-1] if done.returncode == 0 and lines else "error: " + done.stderr.strip()[-300:]
            print(f"{name:7} {shown}", flush=True)


if __name__ == "__main__":
    main()
