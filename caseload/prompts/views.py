"""The inbox (snooze, dismiss), supervisors' view per specialist, and the calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.db import utcnow
from caseload.extensions import db
from caseload.forms import today
from caseload.l10n import gettext as _
from caseload.prompts import queries, services
from caseload.prompts.feed import feed_events
from caseload.prompts.forms import DismissForm, DoneLateForm, SnoozeForm
from caseload.prompts.ical import calendar
from caseload.redirects import local_path
from caseload.writes import DomainError

bp = Blueprint("prompts", __name__, url_prefix="/prompts")
PEOPLE = ("specialist", "supervisor", "assessor")  # prompts are for them (metrics.md, column "for")


def _back() -> str:
    """Where to go after an action: a local path from the form, else the inbox."""
    return local_path(request.form.get("next")) or url_for("prompts.inbox")


def _prompt_or_404(prompt_id: int):
    prompt = queries.prompt_for(db.session, current_user, prompt_id)
    if prompt is None:
        abort(404)
    return prompt


@bp.get("/")
@roles_required(*PEOPLE)
def inbox():
    """My prompts: overdue first, then due soon; the snoozed ones; my calendar feed."""
    return _inbox_page()


def _prompt_action(path: str, form_class):
    """Register the decorated ``act(prompt, form)`` as the inbox's action at ``/<prompt_id>/<path>`` (its
    endpoint the function's name): a prompt of mine (else 404) and a valid form, then ``act`` runs and
    returns what to say; a DomainError (or invalid input) shows the inbox with the message by the field."""

    def register(act: Callable[[Any, Any], str]):
        @bp.post(f"/<int:prompt_id>/{path}", endpoint=act.__name__)
        @roles_required(*PEOPLE)
        def view(prompt_id: int):
            prompt = _prompt_or_404(prompt_id)
            form = form_class()
            if not form.validate_on_submit():
                return _refused(prompt.id, form)
            try:
                said = act(prompt, form)
            except DomainError as err:
                return _refused(prompt.id, form, err)
            db.session.commit()
            flash(said)
            return redirect(_back())

        return view

    return register


@_prompt_action("snooze", SnoozeForm)
def snooze(prompt, form: SnoozeForm) -> str:
    """Snooze a prompt to a date."""
    services.prompt_snooze(db.session, prompt=prompt, until=form.until.data, today=today())
    return _("Snoozed until %(day)s.", day=form.until.data)


@_prompt_action("dismiss", DismissForm)
def dismiss(prompt, form: DismissForm) -> str:
    """Dismiss a prompt with a reason."""
    services.prompt_dismiss(db.session, prompt=prompt, reason=form.reason.data)
    if prompt.client_id is not None:
        audit(db.session, action="prompt_dismiss", client_id=prompt.client_id, target=f"prompt {prompt.id}")
    return _("Prompt dismissed.")


@_prompt_action("done-late", DoneLateForm)
def done_late(prompt, _form: DoneLateForm) -> str:
    """Dismiss a prompt that was done late, with its late record as the reason."""
    services.prompt_done_late(db.session, prompt=prompt)
    if prompt.client_id is not None:
        target = f"prompt {prompt.id} done late: {prompt.late_record}"
        audit(db.session, action="prompt_done_late", client_id=prompt.client_id, target=target)
    return _("Marked as done late.")


def _refused(prompt_id: int, form, err: DomainError | None = None):
    """The inbox again, with the message by the refused field (422)."""
    fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    if err is not None:
        fields.setdefault(err.field or "reason", []).append(str(err))
    return _inbox_page(errors={prompt_id: fields}), 422


def _inbox_page(errors: dict | None = None) -> str:
    """The inbox, its read audited (it names clients) and committed."""
    day = today()
    items = queries.inbox_for(db.session, current_user, day)
    snoozed = queries.snoozed_for(db.session, current_user, day)
    shown = [i.client_ref for i in items + snoozed]
    audit(db.session, action="view_prompts", target=f"{len(items) + len(snoozed)} prompts", shown=shown)
    html = render_template(
        "prompts/inbox.html",
        items=items,
        snoozed=snoozed,
        today=day,
        feed_url=url_for("prompts.feed", token=current_user.feed_token, _external=True),
        errors=errors,
    )
    db.session.commit()
    return html


@bp.post("/feed/renew")
@roles_required(*PEOPLE)
def feed_renew():
    """Give me a new calendar-feed address; the old one stops working."""
    services.feed_token_renew(db.session, user=current_user)
    db.session.commit()
    flash(_("Your calendar feed has a new address. Subscribe to it again; the old one no longer works."))
    return redirect(url_for("prompts.inbox"))


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """A person's prompts as an iCalendar feed; the secret token in the address is the key."""
    person = db.session.scalar(select(User).where(User.feed_token == token, User.active))
    if person is None or person.role not in PEOPLE:
        abort(404)
    audit(db.session, action="prompts_feed", user_id=person.id)
    with force_locale(person.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        events = feed_events(queries.feed_items(db.session, person), request.host_url, today())
        body = calendar(events, name=_("IPS prompts"), now=utcnow())
    db.session.commit()
    return Response(
        body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=prompts.ics"}
    )


@bp.get("/team")
@roles_required("supervisor")
def team():
    """Prompts per specialist: who is behind on follow-along."""
    day = today()
    return render_template(
        "prompts/team.html",
        loads=queries.specialist_overview(db.session, current_user.program_id, day),
        today=day,
    )


@bp.get("/team/<int:user_id>")
@roles_required("supervisor")
def specialist(user_id: int):
    """One specialist's open prompts, for their supervisor."""
    person = db.session.get(User, user_id)
    if person is None or person.role != "specialist" or person.program_id != current_user.program_id:
        abort(404)
    day = today()
    items = queries.specialist_prompts(db.session, person, day)
    shown = [i.client_ref for i in items]
    audit(db.session, action="view_prompts", target=f"{len(items)} prompts of user {person.id}", shown=shown)
    html = render_template("prompts/specialist.html", person=person, items=items, today=day)
    db.session.commit()
    return html
