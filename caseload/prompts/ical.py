"""A person's prompts as an iCalendar feed (RFC 5545): all-day events, which every calendar shows.

Events rather than tasks (VTODO), because common calendars (Google, Outlook web) ignore tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One all-day event."""

    uid: str
    day: date
    summary: str
    description: str
    url: str | None = None


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a character."""
    out: list[str] = []
    chunk, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(chunk)
            chunk, size = "", 0
        chunk += ch
        size += n
    out.append(chunk)
    return "\r\n ".join(out)


def _event(e: FeedEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(e.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{e.day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(e.day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(e.summary)}",
        f"DESCRIPTION:{escape(e.description)}",
        "TRANSP:TRANSPARENT",
    ]
    if e.url:
        lines.append(f"URL:{e.url}")
    return [*lines, "END:VEVENT"]


def calendar(events: list[FeedEvent], *, name: str, now: datetime) -> str:
    """The whole feed, CRLF line ends as RFC 5545 requires; ``now`` is UTC."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//caseload//prompts//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for e in events:
        lines.extend(_event(e, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
