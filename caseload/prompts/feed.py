"""Prompts as calendar events and e-mail lines: the words and links, no client names.

Feeds and e-mails leave the app (calendar services, mail servers), so they carry the client's
ref and what to do, never a name or a note.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _

from caseload.prompts.ical import FeedEvent
from caseload.prompts.queries import PromptItem
from caseload.prompts.texts import due_text, item_title, why


def prompt_link(item: PromptItem) -> str | None:
    """In the app: where the prompt is acted on (client page, participant page, the week's log, the
    fidelity page)."""
    if item.participant_ref:
        endpoint = "trial_assess.participant"
        return url_for(endpoint, ref=item.participant_ref) if endpoint in current_app.view_functions else None
    if item.client_ref:
        return url_for("principles.client_page", ref=item.client_ref)
    endpoint = "fidelity.index"
    args: dict[str, Any] = {}
    if item.week_start and item.specialist_id:
        endpoint, args = (
            "employers.week_log",
            {"user_id": item.specialist_id, "monday": item.week_start.isoformat()},
        )
    return url_for(endpoint, **args) if endpoint in current_app.view_functions else None


def record_path(item: PromptItem) -> str:
    """The page where the prompt is acted on: the client's or participant's page, else the inbox."""
    if item.participant_ref:
        return f"/assess/{item.participant_ref}"
    return f"/clients/{item.client_ref}" if item.client_ref else "/prompts/"


def subject_text(item: PromptItem) -> str:
    """Whom or what the prompt is about, by ref: "C-000003, job J-000003", "week of …"."""
    if item.participant_ref:
        return _("participant %(ref)s", ref=item.participant_ref)
    if item.job_ref:
        return _("client %(client)s, job %(job)s", client=item.client_ref, job=item.job_ref)
    if item.client_ref:
        return _("client %(client)s", client=item.client_ref)
    if item.week_start:
        return _("week of %(week)s", week=item.week_start.isoformat())
    return _("the programme")


def feed_events(items: list[PromptItem], base_url: str, today: date) -> list[FeedEvent]:
    """One all-day event per prompt on its due date (a snoozed one on its snooze date); an overdue
    one on today, saying since when, so today's view of the calendar shows what is late."""
    base = base_url.rstrip("/")
    events = []
    for i in items:
        day = i.snoozed_until if i.status == "snoozed" and i.snoozed_until else i.due_on
        summary = f"{item_title(i.rule, i.specialist_name)} ({subject_text(i)})"
        if day < today:
            day = today
            summary = _("Overdue since %(day)s: %(what)s", day=i.due_on.isoformat(), what=summary)
        events.append(
            FeedEvent(
                uid=f"prompt-{i.id}@caseload",
                day=day,
                summary=summary,
                description=f"{why(i.rule)} {_('Due on %(day)s.', day=i.due_on.isoformat())}",
                url=base + record_path(i),
            )
        )
    return events


def digest_line(item: PromptItem, today: date) -> str:
    """One line of the e-mail digest."""
    when = f"{item.due_on.isoformat()} ({due_text(item.due_on, today)})"
    return f"- {when}: {item_title(item.rule, item.specialist_name)} — {subject_text(item)}"
