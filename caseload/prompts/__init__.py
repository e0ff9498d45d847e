"""Prompts: the rules, the sweep, the inbox, the calendar feed, the digest and the scheduler."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_babel import gettext as _
from flask_login import current_user

from caseload.l10n import lazy_gettext as _l

SILENT_AFTER = timedelta(hours=1)


def init_app(app: Flask) -> None:
    from caseload.nav import banner_register, nav_register
    from caseload.prompts import actions, cli, feed, texts, views
    from caseload.prompts.services import prompts_refresh_for_client, prompts_refresh_for_program
    from caseload.writes import on_client_changed, on_program_changed

    app.register_blueprint(views.bp)
    # A saved record marks the prompts it satisfies done at once.
    on_client_changed(app, prompts_refresh_for_client)
    on_program_changed(app, prompts_refresh_for_program)
    cli.init_app(app)
    nav_register(app, "prompts.inbox", _l("Prompts"), ("specialist", "supervisor", "assessor"))
    nav_register(app, "prompts.team", _l("Prompts per specialist"), ("supervisor",))
    banner_register(app, scheduler_banner)
    app.add_template_global(texts.title, "prompt_title")
    app.add_template_global(texts.why, "prompt_why")
    app.add_template_global(texts.due_text, "prompt_due")
    app.add_template_global(texts.texts_for, "prompt_texts")
    app.add_template_global(texts.due_texts_for, "prompt_dues")
    app.add_template_global(feed.prompt_link, "prompt_link")
    app.add_template_global(actions.action, "prompt_action")


def scheduler_banner() -> str | None:
    """For supervisors: a warning when the scheduler has been silent for over an hour."""
    if not current_user.is_authenticated or current_user.role != "supervisor":
        return None
    from caseload.db import utcnow
    from caseload.extensions import db
    from caseload.prompts.queries import last_heartbeat

    beat = last_heartbeat(db.session)
    if beat is None:
        return _(
            "The scheduler has never run: prompts are not being updated. Ask your administrator to start it."
        )
    if utcnow() - beat > SILENT_AFTER:
        return _(
            "The scheduler has been silent since %(when)s UTC: prompts are not being updated. "
            "Ask your administrator to check it.",
            when=beat.strftime("%Y-%m-%d %H:%M"),
        )
    return None
