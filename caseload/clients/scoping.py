"""The one scoping function: which clients a person may see. Out of scope answers 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, request
from flask_login import current_user
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from caseload.auth.access import roles_required
from caseload.auth.audit import audit
from caseload.auth.models import User
from caseload.clients.models import Client
from caseload.extensions import db
from caseload.teams.models import user_teams

REF = re.compile(r"[A-Z]{1,3}-\d{1,12}")


def client_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Client: specialist = own caseload, supervisor = the programme,
    clinician = clients of their treatment teams, admin (and anyone else) = none."""
    if user.role == "specialist":
        return Client.specialist_id == user.id
    if user.role == "supervisor":
        return Client.program_id == user.program_id
    if user.role == "clinician":
        teams = select(user_teams.c.team_id).where(user_teams.c.user_id == user.id)
        return Client.treatment_team_id.in_(teams)
    return false()


def scoped_clients(user: User):
    """SELECT of the clients ``user`` may see."""
    return select(Client).where(client_scope(user))


def client_for(session: Session, user: User, ref: str, *, action: str = "view") -> Client:
    """The client with ``ref`` if ``user`` may see it, else 404; audits the access."""
    client = session.scalar(scoped_clients(user).where(Client.ref == ref))
    if client is None:
        abort(404)
    audit(session, action=action, client_id=client.id, target=client.ref, user_id=user.id)
    return client


def client_record_routes(
    bp: Blueprint,
    name: str,
    rules: tuple[str, str],
    roles: tuple[str, ...],
    find: Callable[[Client, str], Any],
):
    """Register the decorated ``view(client, record)``, the form of one of a client's records, at two
    addresses (GET and POST, for ``roles``): ``<name>_new`` at the first rule, with no record, and
    ``<name>_edit`` at the second, whose other variable is the record's ref (``find(client, ref)``: the
    record or 404). ``<ref>`` is the client's: out of scope 404, the access audited (``client_for``)."""

    def register(view: Callable[[Client, Any], Any]):
        @roles_required(*roles)
        def route(ref: str, **record_ref: str):
            client = client_for(db.session, current_user, ref)
            return view(client, find(client, *record_ref.values()) if record_ref else None)

        bp.add_url_rule(rules[0], f"{name}_new", route, methods=["GET", "POST"])
        bp.add_url_rule(rules[1], f"{name}_edit", route, methods=["GET", "POST"])
        return view

    return register


def audit_refused(response: Response) -> Response:
    """A request on a client's routes refused with 404 (out of scope, role or missing): record
    the attempt (who, which ref) in the audit log, in a transaction of its own, as the request's
    own writes were not kept."""
    rule, ref = request.url_rule, (request.view_args or {}).get("ref")
    if response.status_code != 404 or rule is None or not rule.rule.startswith("/clients/<ref>"):
        return response
    if not current_user.is_authenticated or not isinstance(ref, str):
        return response
    db.session.rollback()
    ref = ref if REF.fullmatch(ref) else None  # anything else typed in the address is not kept
    client_id = db.session.scalar(select(Client.id).where(Client.ref == ref)) if ref else None
    audit(db.session, action="refused", client_id=client_id, target=ref, user_id=current_user.id)
    db.session.commit()
    return response
