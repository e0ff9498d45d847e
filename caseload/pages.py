"""The record views' routine around ``writes.submit``: after a save (refresh, commit, flash,
redirect), the form page (render, commit the read's audit events, the status by what the form
holds), and both ends at once for a record's form (``record_form``).

Layer: low, beside ``writes`` (which runs the save itself); below every feature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from caseload.db import utcnow
from caseload.extensions import db
from caseload.forms import form_data
from caseload.writes import client_changed, program_changed, submit


def form_status(form, saved=None) -> int:
    """409 after an edit conflict with saved values to show, 422 when the form holds a message."""
    return 409 if saved else (422 if form.errors or form.form_errors else 200)


def page(template: str, **context) -> str:
    """Render the page, then commit the audit events of the read (after rendering: a commit
    expires what the page shows)."""
    html = render_template(template, **context)
    db.session.commit()
    return html


def form_page(template: str, form, *, status: int | None = None, **context) -> tuple[str, int]:
    """``page`` with a form; the status says what the form holds."""
    return page(template, form=form, **context), status or form_status(form, context.get("saved"))


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


def record_form(form, write, edited, *, template: str, said: str, url, client=None, **context):
    """The record views' routine: on a valid POST, ``write`` through ``writes.submit`` (a message by
    its field, an edit conflict of the ``edited`` record beside the input); when it went through, refresh
    ``client``'s prompts, commit, say ``said`` and go to ``url`` (``url(result)`` when callable);
    else the form page with ``client`` and ``context``."""
    outcome = submit(form, write, edited)
    if outcome.ok:
        return done(said, url(outcome.result) if callable(url) else url, client=client)
    return form_page(template, form, saved=outcome.conflict, client=client, **context)


def add_or_correct(
    form, read: Callable[[Any], Any], add, correct, record: tuple[str, Any], **keys
) -> Callable[[], Any]:
    """The write of a form that adds a record or corrects one, for the services of the client's
    records: ``add(session, fields=read(form), user_id=..., **keys)`` when the ``record`` pair
    (its keyword, the record) holds None, else ``correct(session, <keyword>=record,
    fields=read(form), version=..., user_id=..., **keys)``."""

    def write():
        given = {"fields": read(form), "user_id": current_user.id, **keys}
        name, saved = record
        if saved is None:
            return add(db.session, **given)
        return correct(db.session, version=form.version.data, **{name: saved}, **given)

    return write


def fields_write(form, service, *names: str, **keys) -> Callable[[], Any]:
    """The write of a form whose fields ``names`` the service takes by their names:
    ``service(session, user_id=<the person>, <name>=<the field's data>..., **keys)``."""
    return lambda: service(db.session, user_id=current_user.id, **form_data(form, *names), **keys)
