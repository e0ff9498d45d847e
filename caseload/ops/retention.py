"""Retention of closed clients' records: when a client may be anonymised (pure functions)."""

from __future__ import annotations

import json
from datetime import date

from caseload.clients.profile import PROFILE_TEXTS

# The free text and identity fields replaced when a client is anonymised, by table. Dates,
# codes, counts, scores and links stay, so every report keeps its numbers.
PLACEHOLDER = "[anonymised]"
REPLACED: dict[str, dict[str, str | None]] = {
    "clients": {"name": PLACEHOLDER, "birth_date": None},
    "referrals": {"person_name": None, "reason": None},
    "career_profiles": dict.fromkeys(PROFILE_TEXTS),
    "job_search_plans": {"goal": None, "target_employers": None},
    "job_search_steps": {"description": PLACEHOLDER, "owner": PLACEHOLDER},
    "client_notes": {"text": PLACEHOLDER},
    "client_contacts": {"notes": None},
    "benefits_sessions": {"notes": None},
    "employer_contacts": {"purpose": None, "outcome": None, "next_step": None},
    "prompts": {"dismiss_reason": None},
}


def retention_ends_on(closed_on: date, years: int) -> date:
    """The first day a client closed on ``closed_on`` may be anonymised (29 Feb → 1 Mar)."""
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:
        return date(closed_on.year + years, 3, 1)


def may_anonymise(closed_on: date | None, anonymised: bool, today: date, years: int) -> bool:
    """Closed, not anonymised yet, and the retention period has passed."""
    return closed_on is not None and not anonymised and retention_ends_on(closed_on, years) <= today


def scrub_revision(entity: str, data: str) -> str:
    """A saved revision (JSON) with the replaced fields of its table replaced as well."""
    fields = REPLACED.get(entity)
    if not fields:
        return data
    state = json.loads(data)
    state.update({k: v for k, v in fields.items() if k in state})
    return json.dumps(state, default=str, sort_keys=True)
