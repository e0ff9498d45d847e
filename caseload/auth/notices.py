"""What a person is told about their account: the changes an administrator made (once, at their
next sign-in) and the e-mail carrying a set-password link."""

from __future__ import annotations

from datetime import UTC
from email.message import EmailMessage

from flask import current_app, flash
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.auth.services import account_changes_take
from caseload.db import utcnow
from caseload.l10n import lazy_gettext as _l
from caseload.mail import mail_message

CHANGE_LABELS = {
    "created": _l("your account was created"),
    "name": _l("name"),
    "role": _l("role"),
    "program_id": _l("programme"),
    "fte": _l("FTE"),
    "active": _l("active"),
    "teams": _l("treatment teams"),
    "language": _l("language"),
    "password_link": _l("a set-password link was issued"),
    "two_step_reset": _l("two-step sign-in was removed"),
}


def flash_account_changes(session: Session, user: User) -> None:
    """Flash each administrator's change to ``user`` not shown yet: what, when and by whom."""
    for change in account_changes_take(session, user=user, now=utcnow()):
        what = ", ".join(str(CHANGE_LABELS.get(code, code)) for code in change.changes.split(","))
        who = change.changed_by.name if change.changed_by else _("an administrator")
        when = format_datetime(change.at.replace(tzinfo=UTC), "yyyy-MM-dd HH:mm")
        flash(_("Your account was changed on %(when)s by %(who)s: %(what)s.", when=when, who=who, what=what))


def password_link_mail(user: User, url: str, *, invitation: bool = False) -> EmailMessage:
    """The e-mail with a set-password link, in the person's language; for a new person, their
    invitation."""
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if invitation:
            intro = _("You have been given access to the IPS caseload. Set your password here to sign in "
                      "(the link works once, for 72 hours):")  # fmt: skip
            subject = _("Your access to the IPS caseload")
        else:
            intro = _("Set your password for the IPS caseload here (the link works once, for 72 hours):")
            subject = _("Set your password")
        body = "\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                "",
                intro,
                url,
                "",
                _("If you did not expect this e-mail, tell your administrator."),
            ]
        )
        return mail_message(to=user.email, subject=subject, body=body)
