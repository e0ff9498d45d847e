"""Evidence for O2–O5 from the programme's logs (team meetings, NAV/VR contacts, supervision).

Pure: the logs come in as plain rows; counts are over the activity window (13 ISO weeks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseload.metrics.periods import Window, monday_of


@dataclass(frozen=True, slots=True)
class LogRow:
    """One logged event: a team meeting, a NAV/VR contact or meeting, a supervision session."""

    ref: str
    day: date
    kind: str  # team_meeting | contact | meeting | group | field_mentoring
    specialist_email: str | None = None


def weeks_with(rows: Iterable[LogRow], window: Window) -> int:
    """How many of the window's weeks have at least one of ``rows``."""
    return len({monday_of(r.day) for r in rows if r.day in window})


def team_meeting_evidence(rows: list[LogRow], window: Window, specialists: list[str]) -> dict:
    """O2: per specialist in scope, meetings attended and weeks with a meeting, of 13."""
    per = {
        email: [r for r in rows if r.specialist_email == email and r.day in window] for email in specialists
    }
    return {
        "meetings": sum(r.day in window for r in rows),
        "by_specialist": [
            {"email": email, "meetings": len(mine), "weeks": weeks_with(mine, window)}
            for email, mine in per.items()
        ],
    }


def vocational_evidence(rows: list[LogRow], window: Window) -> dict:
    """O3: scheduled meetings and client-related contacts with NAV/VR, and weeks with a contact."""
    inside = [r for r in rows if r.day in window]
    meetings = [r for r in inside if r.kind == "meeting"]
    return {
        "meetings": len(meetings),
        "months_with_meeting": len({(r.day.year, r.day.month) for r in meetings}),
        "contacts": len(inside) - len(meetings),
        "weeks_with_contact": weeks_with(inside, window),
    }


def supervision_evidence(rows: list[LogRow], window: Window) -> dict:
    """O4/O5: group supervision weeks of 13, field-mentoring sessions and specialists mentored."""
    inside = [r for r in rows if r.day in window]
    group = [r for r in inside if r.kind == "group"]
    mentoring = [r for r in inside if r.kind == "field_mentoring"]
    return {
        "group_sessions": len(group),
        "weeks_with_group": weeks_with(group, window),
        "field_mentoring": len(mentoring),
        "specialists_mentored": len({r.specialist_email for r in mentoring if r.specialist_email}),
    }
