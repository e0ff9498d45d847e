"""`make bench`: seed (or reuse) a region database, measure every item, write bench/results.json.

SQLite always (bench/region.db); PostgreSQL too when BENCH_DATABASE_URL is set. Each item runs in
its own process (bench/child.py) so its peak RSS is its own. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text

from bench.items import ITEMS, ORDER, Context

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
SQLITE_URL = "sqlite:///" + str(HERE / "region.db")
SQLITE_IMPORT_URL = "sqlite:///" + str(HERE / "import.db")
BUNDLE = HERE / "bundles" / "region-program"


def flask(args: list[str], url: str) -> None:
    """Run `flask --app app ...` against ``url``; fail loudly."""
    env = os.environ | {"DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True)


def marker(label: str) -> Path:
    return HERE / f"region-{label}.json"


def prepare(label: str, url: str, seed: int, reseed: bool) -> dict:
    """Reuse the seeded region in ``url``, or seed it (timed); returns the marker's content."""
    engine = create_engine(url)
    if reseed:
        _empty(engine)
    flask(["db", "upgrade"], url)
    with engine.connect() as conn:
        seeded = conn.scalar(text("SELECT count(*) FROM programs"))
        if seeded and marker(label).exists():
            return json.loads(marker(label).read_text())
        if seeded:
            anchor = conn.scalar(text("SELECT max(contact_date) FROM client_contacts"))
            print(f"{label}: region data without a marker; taking {anchor} as its anchor", file=sys.stderr)
            return {"seed": None, "anchor": str(anchor)[:10]}
    anchor = date.today().isoformat()
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    flask(["demo", "seed", "--scale", "region", "--seed", str(seed), "--today", anchor], url)
    info = {
        "seed": seed,
        "anchor": anchor,
        "seed_wall_s": round(time.perf_counter() - wall0, 1),
        "seed_cpu_s": round(_children_cpu() - cpu0, 1),
        "load_avg": os.getloadavg()[0],
    }
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    marker(label).write_text(json.dumps(info, indent=1) + "\n")
    return info


def _children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def _empty(engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)
    for path in HERE.glob("region-*.json"):
        if engine.dialect.name in path.name:
            path.unlink()


def context(url: str, anchor: str) -> Context:
    """The people and clients the items use: the specialist with the most open clients in the whole
    region (not of one programme), their programme, its first supervisor and its clinician with the
    most open team clients."""
    from caseload.clients.models import Client
    from caseload.models import Program, User
    from caseload.teams.models import user_teams

    engine = create_engine(url)
    with engine.connect() as conn:
        open_count = func.count(Client.id).label("n")
        specialist_id, email, program_id = conn.execute(
            select(User.id, User.email, User.program_id)
            .where(User.role == "specialist", User.active)
            .join(Client, (Client.specialist_id == User.id) & Client.closed_on.is_(None))
            .group_by(User.id, User.email, User.program_id)
            .order_by(open_count.desc(), User.id)
        ).first()
        program_ref = conn.scalar(select(Program.ref).where(Program.id == program_id))
        people = select(User.id, User.email).where(User.program_id == program_id, User.active)
        clients = conn.scalars(
            select(Client.ref)
            .where(Client.specialist_id == specialist_id, Client.closed_on.is_(None))
            .order_by(Client.ref)
        ).all()
        supervisor = conn.execute(people.where(User.role == "supervisor").order_by(User.id)).first()[1]
        clinician = conn.execute(
            people.where(User.role == "clinician")
            .join(user_teams, user_teams.c.user_id == User.id)
            .join(Client, (Client.treatment_team_id == user_teams.c.team_id) & Client.closed_on.is_(None))
            .group_by(User.id, User.email)
            .order_by(open_count.desc(), User.id)
        ).first()[1]
    day = date.fromisoformat(anchor)
    quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = quarter_start - timedelta(days=1)
    return Context(
        anchor=anchor,
        program_ref=program_ref,
        specialist_email=email,
        specialist_id=specialist_id,
        client_refs=tuple(clients),
        supervisor_email=supervisor,
        clinician_email=clinician,
        last_monday=(day - timedelta(days=day.weekday() + 7)).isoformat(),
        quarter=f"{last.year}Q{(last.month - 1) // 3 + 1}",
        bundle=str(BUNDLE),
        review_day=(day - timedelta(days=1)).isoformat(),
    )


def make_bundle(url: str, program_ref: str) -> None:
    """Export the measured programme (10,000 clients) once, for the import item."""
    if (BUNDLE / "clients.csv").exists():
        return
    code = (
        "import sys, pathlib\n"
        "from sqlalchemy import select\n"
        "from bench.child import make_app\n"
        "from caseload.extensions import db\n"
        "from caseload.models import Program\n"
        "from caseload.exchange.export import bundle_export\n"
        "app = make_app(sys.argv[1])\n"
        "with app.app_context():\n"
        "    p = db.session.scalar(select(Program).where(Program.ref == sys.argv[2]))\n"
        "    bundle_export(db.session, dest=pathlib.Path(sys.argv[3]), program_id=p.id)\n"
    )
    BUNDLE.parent.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-c", code, url, program_ref, str(BUNDLE)], cwd=ROOT, check=False)
    if done.returncode:
        print("could not export the 10,000-client bundle; exchange_import will be missing", file=sys.stderr)


def make_reviews(url: str, ctx: Context) -> None:
    """Three final fidelity reviews of the measured programme (a year apart, the last on
    ``ctx.review_day``), once, for the review report with its trend (report_fidelity_review);
    report_fidelity stays pre-review."""
    from bench.child import make_app
    from caseload.extensions import db
    from caseload.fidelity.queries import final_review_on
    from caseload.models import Program, User

    last = date.fromisoformat(ctx.review_day)
    app = make_app(url)
    with app.app_context(), app.test_request_context("/"):
        program = db.session.scalar(select(Program).where(Program.ref == ctx.program_ref))
        if final_review_on(db.session, program, last) is not None:
            return
        user_id = db.session.scalar(select(User.id).where(User.email == ctx.supervisor_email))
        for day in (last - timedelta(days=364), last - timedelta(days=182), last):
            _final_review(db.session, program, day, user_id)
        db.session.commit()


def _final_review(session, program, day: date, user_id: int) -> None:
    """A review of ``day`` scored as computed (3 where an item is not computed), made final."""
    from caseload.fidelity import services
    from caseload.fidelity.queries import fidelity_result

    result = fidelity_result(session, program, day)
    review = services.review_start(
        session, program=program, review_date=day, reviewers="Bench", result=result, user_id=user_id
    )
    items = {i.code: services.ItemInput(i.computed_score or 3) for i in review.items}
    services.review_save(
        session,
        review=review,
        version=review.version,
        reviewers="Bench",
        notes=None,
        items=items,
        user_id=user_id,
    )
    services.review_finalise(session, review=review, version=review.version, result=result, user_id=user_id)


def import_url(url: str) -> str:
    """A scratch database beside ``url`` for the import item (emptied before each run)."""
    if url.startswith("sqlite"):
        return SQLITE_IMPORT_URL
    base = make_url(url)
    name = f"{base.database}_import"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def run_item(name: str, ctx: Context, url: str, scratch: str, args) -> dict:
    spec = {
        "item": name,
        "context": ctx.__dict__,
        "url": url,
        "import_url": scratch,
        "requests": args.requests,
        "runs": args.runs,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.child", json.dumps(spec)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="*", choices=sorted(ITEMS), help="measure only these items")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (at least 30)")
    parser.add_argument("--runs", type=int, default=0, help="timed runs per command (default: per item)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="empty the databases and seed them again")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per item")
    parser.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL database")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to merge the results")
    args = parser.parse_args(argv)
    args.requests = max(30, args.requests)
    databases = [] if args.no_sqlite else [("sqlite", SQLITE_URL)]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(("postgresql", os.environ["BENCH_DATABASE_URL"]))
    results: dict = {}
    meta = results.setdefault("_meta", {})
    meta.update(cores=os.cpu_count(), python=platform.python_version(), machine=platform.machine())
    today = date.today().isoformat()
    for label, url in databases:
        info = prepare(label, url, args.seed, args.reseed)
        meta[f"region_{label}"] = info
        ctx = context(url, info["anchor"])
        if "exchange_import" in (args.only or ORDER):
            make_bundle(url, ctx.program_ref)
        make_reviews(url, ctx)
        scratch = import_url(url)
        for name in args.only or ORDER:
            load = os.getloadavg()[0]
            result = run_item(name, ctx, url, scratch, args)
            item = ITEMS[name]
            result |= {"target_ms": item.target_ms, "load_avg": round(load, 1), "measured_on": today}
            results[f"{label}/{name}"] = result
            print(row(f"{label}/{name}", result), flush=True)
            save(results, args.results)
    print(table(json.loads(args.results.read_text())))


def save(results: dict, path: Path = RESULTS) -> None:
    """Merge this run's results into ``path`` (items not measured now are kept)."""
    merged = json.loads(path.read_text()) if path.exists() else {}
    meta = merged.setdefault("_meta", {})
    meta.update(results.get("_meta", {}))
    merged.update({k: v for k, v in results.items() if k != "_meta"})
    path.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")


def row(key: str, r: dict) -> str:
    """One line of the table."""
    if "p50_ms" not in r:
        return f"{key:34} {r.get('missing') or 'ERROR ' + r.get('error', '?')}"
    target = r.get("target_ms")
    verdict = "" if target is None else ("ok" if r["p95_ms"] <= target else "SLOW")
    cells = f"{r['p50_ms']:>9.1f} {r['p95_ms']:>9.1f} {target or '-':>7} {r['queries']:>7}"
    cells += f" {r['peak_rss_mb']:>7.1f}"
    if "floor_ms" in r:
        cells += f" {r['floor_ms']:>8.1f} {r['ratio']:>6}×"
    return f"{key:34} {cells}  {verdict}"


def table(results: dict) -> str:
    """Every measured item, SQLite first."""
    meta = results.get("_meta", {})
    head = f"{'item':34} {'p50 ms':>9} {'p95 ms':>9} {'target':>7} {'queries':>7} {'RSS MB':>7}"
    head += f" {'floor ms':>8} {'ratio':>7}"
    lines = [f"cores: {meta.get('cores')}", head, "-" * len(head)]
    rank = {name: k for k, name in enumerate(ORDER)}
    keys = [k for k in results if "/" in k and k.split("/", 1)[1] in rank]
    for key in sorted(keys, key=lambda k: (k.split("/")[0] != "sqlite", rank[k.split("/", 1)[1]])):
        lines.append(row(key, results[key]))
    return "\n".join(lines)
