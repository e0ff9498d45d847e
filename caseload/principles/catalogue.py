"""The eight IPS principles, in the order the client and programme pages show them."""

from __future__ import annotations

from dataclasses import dataclass

from caseload.l10n import lazy_gettext as _l


@dataclass(frozen=True, slots=True)
class Principle:
    key: str
    number: int
    title: object
    summary: object


PRINCIPLES = (
    Principle(
        "competitive",
        1,
        _l("Competitive employment"),
        _l("The goal is an ordinary paid job, open to anyone, at the customary wage."),
    ),
    Principle(
        "zero_exclusion",
        2,
        _l("Zero exclusion"),
        _l("Everyone who wants to work is eligible; no readiness screening."),
    ),
    Principle(
        "integration",
        3,
        _l("Integrated with treatment"),
        _l("The specialist works with the client's treatment team."),
    ),
    Principle(
        "preferences",
        4,
        _l("Client preferences"),
        _l("The job search follows the person's own goals and preferences."),
    ),
    Principle(
        "benefits",
        5,
        _l("Benefits counselling"),
        _l("Personalised counselling on benefits and income before a job starts."),
    ),
    Principle(
        "rapid_search",
        6,
        _l("Rapid job search"),
        _l("Contact with employers within 30 days of entry."),
    ),
    Principle(
        "job_development",
        7,
        _l("Systematic job development"),
        _l("Regular face-to-face contacts with employers, based on the person's preferences."),
    ),
    Principle(
        "support",
        8,
        _l("Time-unlimited support"),
        _l("Support at work for as long as the person wants it."),
    ),
)
