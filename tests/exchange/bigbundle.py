"""A large, valid, deterministic bundle: ``clients`` clients with a realistic load of records."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from caseload.exchange.schema import BY_NAME
from caseload.exchange.write import stream_bundle, write_bundle

PER_SPECIALIST = 20
START = date(2020, 1, 6)


def _staff(specialists: int) -> list[dict]:
    staff = [
        {"email": f"s{i:04d}@big.example", "name": f"Specialist {i}", "role": "specialist"}
        | {"program_ref": "BIG", "treatment_team_refs": ("BIG-T1",), "active": True}
        for i in range(specialists)
    ]
    supervisor = {"email": "boss@big.example", "name": "Supervisor", "role": "supervisor"}
    return [*staff, supervisor | {"program_ref": "BIG", "treatment_team_refs": ()}]


def _client_records(i: int, rnd: random.Random, out: dict[str, list]) -> None:
    ref, staff = f"C-{i:06d}", f"s{i // PER_SPECIALIST:04d}@big.example"
    entry = START + timedelta(days=rnd.randrange(1500))
    out["clients.csv"].append(
        {"ref": ref, "program_ref": "BIG", "name": f"Client {i}", "specialist_email": staff}
        | {"entry_date": entry, "status_at_entry": "unemployed", "preferred_job_types": ("4110",)}
    )
    out["referrals.csv"].append(
        {"ref": f"R-{i:06d}", "program_ref": "BIG", "received_on": entry - timedelta(days=7)}
        | {"decision": "accepted", "client_ref": ref}
    )
    for k in range(20):
        out["client_contacts.csv"].append(
            {"ref": f"CC-{i * 20 + k:08d}", "client_ref": ref, "staff_email": staff}
            | {"contact_date": entry + timedelta(days=7 * k), "mode": "face_to_face"}
            | {"minutes": 30, "purpose": "job_search", "notes": "Met, talked, planned"}
        )
    for k in range(5):
        out["employer_contacts.csv"].append(
            {"ref": f"EC-{i * 5 + k:08d}", "contact_date": entry + timedelta(days=k)}
            | {"specialist_email": staff, "employer_ref": f"E-{rnd.randrange(500):04d}"}
            | {"mode": "face_to_face", "client_refs": (ref,), "minutes": 30}
        )
    out["jobs.csv"].append(
        {"ref": f"J-{i:06d}", "client_ref": ref, "employer_ref": "E-0001", "title": "Clerk"}
        | {"start_date": entry + timedelta(days=90), "hours_per_week": Decimal("20.0")}
        | dict.fromkeys(("open_to_anyone", "min_wage_or_above", "paid_by_employer"), True)
        | {"integrated_setting": True, "set_aside": False, "time_limited": False}
    )


def write_big_bundle(dest: Path, clients: int, seed: int = 1) -> Path:
    """Write a valid bundle of ``clients`` clients (about 28 records each) to ``dest``."""
    rnd = random.Random(seed)
    out: dict[str, list] = {
        name: []
        for name in ("clients.csv", "referrals.csv", "client_contacts.csv")
        + ("employer_contacts.csv", "jobs.csv")
    }
    for i in range(clients):
        _client_records(i, rnd, out)
    out["programs.csv"] = [{"ref": "BIG", "name": "A big programme"}]
    out["treatment_teams.csv"] = [{"ref": "BIG-T1", "program_ref": "BIG", "name": "Team"}]
    out["staff.csv"] = _staff(max(1, -(-clients // PER_SPECIALIST)))
    out["employers.csv"] = [{"ref": f"E-{n:04d}", "name": f"Employer {n}"} for n in range(500)]
    write_bundle(out, dest)
    return dest


def _in_columns(name: str, rows) -> Iterator[tuple]:
    columns = BY_NAME[name].column_names
    return (tuple(row.get(column) for column in columns) for row in rows)


def _streamed_files(clients: int, note: str) -> dict[str, Callable[[], Iterator[dict]]]:
    """Per file, a function giving its rows in key order, generated as they are written."""
    specialists = max(1, -(-clients // PER_SPECIALIST))
    staff = sorted(_staff(specialists), key=lambda row: row["email"])

    def per_client(name: str) -> Iterator[dict]:
        rnd = random.Random(1)
        for i in range(clients):
            out: dict[str, list] = defaultdict(list)
            _client_records(i, rnd, out)
            for row in out[name]:
                yield row | ({"notes": note} if name == "client_contacts.csv" else {})

    files = {name: partial(per_client, name) for name in PER_CLIENT}
    files["programs.csv"] = lambda: iter([{"ref": "BIG", "name": "A big programme"}])
    files["treatment_teams.csv"] = lambda: iter([{"ref": "BIG-T1", "program_ref": "BIG", "name": "Team"}])
    files["staff.csv"] = lambda: iter(staff)
    files["employers.csv"] = lambda: ({"ref": f"E-{n:04d}", "name": f"Employer {n}"} for n in range(500))
    return files


PER_CLIENT = ("clients.csv", "referrals.csv", "client_contacts.csv", "employer_contacts.csv", "jobs.csv")


def stream_big_bundle(dest: Path, clients: int, note_chars: int = 0) -> Path:
    """Write the bundle of ``write_big_bundle`` (client contacts' notes ``note_chars`` long), row
    by row: a bundle of any size is never held in memory."""
    note = ("Met at the job centre; talked through the plan. " * (note_chars // 48 + 1))[:note_chars]
    files = _streamed_files(clients, note or "Met, talked, planned")
    stream_bundle(lambda spec: _in_columns(spec.name, files[spec.name]()) if spec.name in files else (), dest)
    return dest
