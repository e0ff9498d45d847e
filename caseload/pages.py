"""The two ends of a record view's routine: after a save (refresh, commit, flash, redirect) and
the form page (render, commit the read's audit events, the status by what the form holds).

Layer: low, beside ``writes`` (which runs the save itself); below every feature.
"""

from __future__ import annotations

from flask import flash, redirect, render_template
from werkzeug.wrappers import Response

from caseload.db import utcnow
from caseload.extensions import db
from caseload.writes import client_changed, program_changed


def form_status(form, saved=None) -> int:
    """409 after an edit conflict with saved values to show, 422 when the form holds a message."""
    return 409 if saved else (422 if form.errors or form.form_errors else 200)


def form_page(template: str, form, *, status: int | None = None, **context) -> tuple[str, int]:
    """Render the form page, then commit the audit events of the read (after rendering: a commit
    expires what the page shows)."""
    html = render_template(template, form=form, **context)
    db.session.commit()
    return html, status or form_status(form, context.get("saved"))


def done(
    message: str,
    url: str,
    *,
    client=None,
    program_id: int | None = None,
    category: str = "message",
) -> Response:
    """After a save: refresh what the change concerns (a client's or a programme's prompts), commit,
    say what was done, go to ``url``."""
    now = utcnow()
    if client is not None:
        client_changed(db.session, client_id=client.id, now=now)
    if program_id is not None:
        program_changed(db.session, program_id=program_id, now=now)
    db.session.commit()
    flash(message, category)
    return redirect(url)
