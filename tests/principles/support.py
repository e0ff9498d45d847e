"""Shared test helpers for the specialist's day: people and a client, row counts, SQL counting,
hostile values for the property tests, and the hypothesis profiles."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from caseload.principles.records import ClientFile, HomeFile, TitledJob
from caseload.rows import ClientRow
from tests import factories

# Modest by default; HYPOTHESIS_PROFILE=ci raises the number of examples.
settings.register_profile(
    "specialist-day",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("specialist-day-ci", settings.get_profile("specialist-day"), max_examples=300)
PROFILE = settings.get_profile(
    "specialist-day-ci" if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else "specialist-day"
)


@dataclass
class World:
    """A programme with a team, its people, and one client of ``spec`` treated by ``team``."""

    program: object
    team: object
    spec: object
    other_spec: object
    supervisor: object
    clinician_in: object
    clinician_out: object
    admin: object
    client: object


def world(db, *, entry: date | None = None) -> World:
    """Build the people and one client; committed."""
    s = db.session
    prog = factories.program(s, "Oslo IPS")
    team = factories.team(s, prog, "Pain clinic team A")
    other_team = factories.team(s, prog, "Pain clinic team B")
    spec = factories.user(s, "specialist", prog, teams=[team], name="Siri Spec")
    w = World(
        program=prog,
        team=team,
        spec=spec,
        other_spec=factories.user(s, "specialist", prog, teams=[team]),
        supervisor=factories.user(s, "supervisor", prog),
        clinician_in=factories.user(s, "clinician", prog, teams=[team]),
        clinician_out=factories.user(s, "clinician", prog, teams=[other_team]),
        admin=factories.user(s, "admin", prog),
        client=factories.client(
            s, spec, team_obj=team, entry=entry or date.today() - timedelta(days=40), name="Hege Berge"
        ),
    )
    s.commit()
    return w


def count(db, model) -> int:
    """Rows of ``model``'s table."""
    return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def sql_counter(engine):
    """Count the SQL statements run inside the block: ``with sql_counter(e) as n: ...; n[0]``."""
    counted = [0]

    def _count(*_args, **_kwargs) -> None:
        counted[0] += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def field_error(html: str, field_id: str) -> bool:
    """The page shows an error message by the field ``field_id``."""
    return f'id="{field_id}-error"' in html


def days_ago(n: int) -> str:
    """An ISO date ``n`` days before today (negative: in the future)."""
    return (date.today() - timedelta(days=n)).isoformat()


HOSTILE_TEXT = (
    "",
    " ",
    "a\x00b",
    "\x00",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE jobs; --",
    "1 OR 1=1",
    "😀👩‍👩‍👧‍👦🇳🇴" * 20,
    "x" * 5001,
    "x" * 100_000,
    "Ærlig Østby Åsen",
    "\u202eevil",
    "line\r\nbreak",
)
HOSTILE_NUMBERS = (
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1",
    "0",
    "81",
    "1441",
    "99999999999999999999999",
    "1.005",
    "12,5",
    "0x10",
    "",
    "abc",
)
HOSTILE_DATES = ("0001-01-01", "9999-12-31", "2024-02-30", "1899-12-31", "", "yesterday", "2024-13-01")
SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def hostile(*valid: str, numbers: bool = False, dates: bool = False) -> st.SearchStrategy[str]:
    """A valid value now and then, else a hostile one (text, numbers or dates)."""
    pools = [st.sampled_from(HOSTILE_TEXT), SAFE_TEXT]
    if numbers:
        pools.append(st.sampled_from(HOSTILE_NUMBERS))
    if dates:
        pools.append(st.sampled_from(HOSTILE_DATES))
    if valid:
        pools.append(st.sampled_from(valid))
    return st.one_of(*pools)


def unescaped_markup(html: str, values) -> list[str]:
    """The submitted values whose markup appears unescaped in ``html``."""
    found = []
    for value in values:
        if not isinstance(value, str):
            continue
        for tag in re.findall(r"<(?:script|img)[^>]*>", value):
            if tag in html:
                found.append(tag)
    return found


def client_file(client: ClientRow, name: str = "Kari", **records) -> ClientFile:
    """A client page's file of ``client``: the ``records`` given (by field), none of any other kind."""
    dates = ("referral_date", "profile_completed_on", "profile_updated_on", "plan_review_date")
    kinds = ("plan_steps", "jobs", "contacts", "employer_contacts", "benefits", "measures", "notes")
    absent = {"specialist_name": "Siri", "team_name": None, "referral_ref": None} | dict.fromkeys(dates)
    absent |= dict.fromkeys((*kinds, "job_type_names"), ())
    return ClientFile(client=client, name=name, **(absent | records))


def home_file(f: ClientFile) -> HomeFile:
    """The home's view of a client page's full file: every record, each as its full row."""
    return HomeFile(
        f.client,
        f.contacts,
        f.employer_contacts,
        f.benefits,
        f.measures,
        name=f.name,
        jobs=tuple(
            TitledJob(j.row.ref, f.client.ref, j.row.start_date, j.row.end_date, title=j.title)
            for j in f.jobs
        ),
    )
