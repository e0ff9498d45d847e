"""What `make bench` measures: pages (endpoint, who is signed in, URL values) and commands.

Endpoints and commands are looked up by name in the app, so an item whose page or command does
not exist yet is reported as missing and is picked up as soon as it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Context:
    """Who and what the items use, chosen from the seeded region (see harness.context)."""

    anchor: str  # the seed's anchor date (YYYY-MM-DD)
    program_ref: str
    specialist_email: str
    specialist_id: int
    client_refs: tuple[str, ...]  # the specialist's open clients
    supervisor_email: str
    clinician_email: str
    last_monday: str  # Monday of the last complete week
    quarter: str  # the last complete quarter, e.g. 2026Q3
    bundle: str  # a 10,000-client exchange bundle (one programme)
    review_day: str  # the last of three final fidelity reviews (harness.make_reviews): the day before anchor


@dataclass(frozen=True)
class Page:
    name: str
    endpoint: str
    role: str  # specialist | supervisor | clinician: whose session requests the page
    values: Callable[[Context], list[dict]]  # URL values; several are taken in turn
    target_ms: int


@dataclass(frozen=True)
class Command:
    name: str
    path: tuple[str, ...]  # e.g. ("fidelity", "compute")
    args: Callable[[Context, Path], list[str]]
    target_ms: int | None
    runs: int  # timed runs (after one warm-up run)


# p95 targets of issue #16: 25 ms for the pages a person opens all day, 60 ms for the programme page.
PAGES = (
    Page("specialist_home", "principles.home", "specialist", lambda _c: [{}], 25),
    Page(
        "client_page",
        "principles.client_page",
        "specialist",
        lambda c: [{"ref": r} for r in c.client_refs],
        25,
    ),
    Page("program_page", "principles.program_page", "supervisor", lambda c: [{"ref": c.program_ref}], 60),
    Page(
        "employer_log_week",
        "employers.week_log",
        "specialist",
        lambda c: [{"user_id": c.specialist_id, "monday": c.last_monday}],
        25,
    ),
    Page("clinician_view", "principles.home", "clinician", lambda _c: [{}], 25),
    Page("prompt_inbox", "prompts.inbox", "specialist", lambda _c: [{}], 25),
)


def _program(c: Context) -> list[str]:
    return ["--program", c.program_ref]


COMMANDS = (
    Command(
        "fidelity_compute",
        ("fidelity", "compute"),
        lambda c, _tmp: [*_program(c), "--as-of", c.anchor, "--json"],
        1000,
        5,
    ),
    Command(
        "report_fidelity",
        ("report", "fidelity"),
        lambda c, tmp: [*_program(c), "--as-of", c.anchor, "-o", str(tmp / "fidelity.pdf")],
        3000,
        5,
    ),
    Command(
        "report_fidelity_review",
        ("report", "fidelity"),
        lambda c, tmp: [*_program(c), "--as-of", c.review_day, "-o", str(tmp / "review.pdf")],
        3000,
        5,
    ),
    Command(
        "outcomes_quarterly",
        ("outcomes", "quarterly"),
        lambda c, _tmp: [*_program(c), "--quarter", c.quarter, "--json"],
        1000,
        5,
    ),
    Command(
        "outcomes_employment",
        ("outcomes", "employment"),
        lambda c, _tmp: [*_program(c), "--as-of", c.anchor, "--json"],
        2000,
        5,
    ),
    Command(
        "prompts_sweep", ("prompts", "sweep"), lambda c, _tmp: ["--now", f"{c.anchor}T08:00:00"], 10_000, 3
    ),
    Command("exchange_export", ("exchange", "export"), lambda _c, tmp: [str(tmp / "export")], None, 3),
    Command("exchange_import", ("exchange", "import"), lambda c, _tmp: [c.bundle], 60_000, 3),
)
ITEMS = {item.name: item for item in (*COMMANDS, *PAGES)}
# Commands first: the sweep's prompts fill the inbox that is measured after it.
ORDER = tuple(ITEMS)
