"""The iCalendar text: escaping, folding at 75 octets, CRLF line ends, all-day events."""

from __future__ import annotations

from datetime import date, datetime

from caseload.prompts.ical import FeedEvent, calendar, escape, fold


def test_text_values_are_escaped():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "ø" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_a_calendar_of_all_day_events():
    body = calendar(
        [
            FeedEvent(
                "prompt-1@caseload", date(2025, 3, 31), "Meet, now", "Why; because", "http://x/clients/C-1"
            )
        ],
        name="IPS prompts",
        now=datetime(2025, 3, 12, 10, 0, 5),
    )
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART;VALUE=DATE:20250331" in lines
    assert "DTEND;VALUE=DATE:20250401" in lines
    assert "DTSTAMP:20250312T100005Z" in lines
    assert "SUMMARY:Meet\\, now" in lines
    assert "DESCRIPTION:Why\\; because" in lines
    assert "\n" not in body.replace("\r\n", "")
