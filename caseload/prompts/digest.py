"""The optional daily e-mail digest of each person's prompts (off by default).

The subject names no client; the body lists prompts by client ref and rule, never a name or a
note. Sent once a day, at ``DIGEST_HOUR`` in the programme's time zone or at the first scheduler
tick after it (catch-up after downtime); the ``digest`` heartbeat row remembers the last day sent.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.mail import app_url, mail_message, send
from caseload.prompts.clock import as_utc
from caseload.prompts.feed import digest_line
from caseload.prompts.models import SchedulerHeartbeat
from caseload.prompts.queries import inbox_for

DIGEST = "digest"
PEOPLE = ("specialist", "supervisor", "assessor")


def digest_due(session: Session, now: datetime) -> bool:
    """Enabled, past the hour today where the programmes are, and not yet sent today."""
    cfg = current_app.config
    if not cfg.get("DIGEST_ENABLED") or not cfg.get("SMTP_HOST"):
        return False
    local = as_utc(now).astimezone(ZoneInfo(cfg["CASELOAD_TIMEZONE"]))
    if local.hour < int(cfg.get("DIGEST_HOUR", 7)):
        return False
    row = session.get(SchedulerHeartbeat, DIGEST)
    last = row.last_sweep_at if row else None
    return last is None or as_utc(last).astimezone(local.tzinfo).date() < local.date()


def digest_messages(session: Session, now: datetime) -> list[EmailMessage]:
    """One message per active person with prompts to act on today."""
    cfg = current_app.config
    today = as_utc(now).astimezone(ZoneInfo(cfg["CASELOAD_TIMEZONE"])).date()
    people = session.scalars(select(User).where(User.active, User.role.in_(PEOPLE)).order_by(User.id))
    messages = []
    for person in people:
        items = inbox_for(session, person, today)
        if not items:
            continue
        with force_locale(person.language or cfg["BABEL_DEFAULT_LOCALE"]):
            messages.append(_message(person, items, today))
    return messages


def _message(person: User, items: list, today) -> EmailMessage:
    overdue = sum(1 for i in items if i.due_on < today)
    subject = _(
        "Your IPS prompts for %(day)s: %(overdue)d overdue, %(open)d in all",
        day=today.isoformat(),
        overdue=overdue,
        open=len(items),
    )
    lines = [_("Hello %(name)s,", name=person.name), "", _("These prompts are due or overdue:"), ""]
    # One line per prompt; two prompts that would read the same (e.g. two specialists' weekly
    # reviews if the line did not name them) are listed once.
    lines += dict.fromkeys(digest_line(i, today) for i in items)
    lines += ["", _("Open your prompts: %(url)s", url=app_url("/prompts/"))]
    return mail_message(to=person.email, subject=subject, body="\n".join(lines))


def digests_send(session: Session, now: datetime, *, force: bool = False) -> int:
    """Send today's digests when due (or ``force``); records the day. The caller commits."""
    if not force and not digest_due(session, now):
        return 0
    sent = send(digest_messages(session, now))
    row = session.get(SchedulerHeartbeat, DIGEST) or SchedulerHeartbeat(name=DIGEST)
    row.beat_at = row.last_sweep_at = as_utc(now).replace(tzinfo=None)
    session.add(row)
    session.flush()
    return sent
