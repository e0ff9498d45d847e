"""The plumbing every write shares: domain errors, version checks, kept revisions, the hooks that
run after a client's or a programme's records changed, and the form-save routine of the views.

Layer: just above the models (``auth.models`` for revisions), below every feature. Services raise,
add and flush; views call ``save`` and commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Any, TypeVar, cast

from flask import Flask, current_app, flash
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from caseload.auth.audit import audit
from caseload.auth.models import RecordRevision
from caseload.db import RefMixin, next_ref
from caseload.extensions import db
from caseload.l10n import lazy_gettext as _l

CLIENT_CHANGED = "caseload_client_changed"
PROGRAM_CHANGED = "caseload_program_changed"
CLIENTS_WRITTEN = "caseload_clients_written"
ChangeHook = Callable[[Session, int, datetime], object]
R = TypeVar("R")
Ref = TypeVar("Ref", bound=RefMixin)


class DomainError(ValueError):
    """A rule of the domain was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(DomainError):
    """The record changed since the form was opened."""


def conflict() -> ConflictError:
    return ConflictError(_l("Someone else saved this record after you opened it."))


def check_version(record, version: int | None) -> None:
    """Refuse an edit that started from an older version of ``record``."""
    if version is not None and record.version != version:
        raise conflict()


def keep_revision(session: Session, record, *, user_id: int | None) -> None:
    """Save the record's current state before it changes: corrections keep the history."""
    data = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    session.add(
        RecordRevision(
            entity=record.__tablename__,
            entity_id=record.id,
            version=getattr(record, "version", 0),  # job hours and weekly reviews are unversioned
            data=json.dumps(data, default=str, sort_keys=True),
            changed_by_id=user_id,
        )
    )


def voided_twin(session: Session, model, **key):
    """The voided row of ``model`` holding ``key`` (a unique key a void row keeps), or None."""
    stmt = select(model).filter_by(**key).where(model.voided_on.is_not(None))
    return session.scalar(stmt.execution_options(include_voided=True))


def revive(session: Session, record, *, user_id: int | None) -> None:
    """Record again what a void row holds the key of (a week reviewed again, hours from the same
    date): the void row's state is kept as a revision, then it is live again."""
    keep_revision(session, record, user_id=user_id)
    record.voided_on = record.void_reason = record.voided_by_id = None


def flush_or_conflict(session: Session) -> None:
    """Flush; a row another transaction changed (or created) meanwhile is a conflict, never an overwrite."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as err:
        raise conflict() from err


def added(session: Session, record: R) -> R:
    """Add a new record and flush it (its id is known after); returns the record."""
    session.add(record)
    session.flush()
    return record


def added_under_ref(session: Session, record: Ref) -> Ref:
    """Add a new record under the next ref of its model and flush it; returns the record."""
    record.ref = next_ref(session, type(record))
    return added(session, record)


def added_audited(
    session: Session, record: R, *, client_id: int | None, user_id: int | None, target=None
) -> R:
    """Add and flush a new record of a client's and audit its creation (``target`` its ref unless
    given); returns the record."""
    added(session, record)
    return _audited(session, record, "create", client_id=client_id, user_id=user_id, target=target)


def saved_audited(
    session: Session,
    record: R,
    *,
    client_id: int | None,
    user_id: int | None,
    action: str = "update",
    target=None,
) -> R:
    """Flush a changed record (a conflict when another transaction changed it meanwhile) and audit the
    change (``target`` the record's ref unless given); returns the record."""
    flush_or_conflict(session)
    return _audited(session, record, action, client_id=client_id, user_id=user_id, target=target)


def _audited(
    session: Session, record: R, action: str, *, client_id: int | None, user_id: int | None, target
) -> R:
    """Audit ``action`` on ``record`` (``target`` its ref unless given); returns the record."""
    ref = target if target is not None else cast(Any, record).ref
    audit(session, action=action, client_id=client_id, target=ref, user_id=user_id)
    return record


def fields_copy(record, fields) -> None:
    """Set each of a form's ``fields`` (a dataclass) on ``record``, the attribute of the same name;
    blank text is stored as None."""
    for f in dataclass_fields(fields):
        value = getattr(fields, f.name)
        setattr(record, f.name, (value or None) if isinstance(value, str) else value)


def client_record_add(
    session: Session, model: type[Ref], *, client_id: int, fields, user_id: int | None
) -> Ref:
    """Add a client's new ``model`` record under its next ref, ``fields`` set on it (see
    ``fields_copy``), and audit its creation; returns the record. The caller checked ``fields``."""
    record = model(client_id=client_id)  # type: ignore[call-arg]
    fields_copy(record, fields)
    added_under_ref(session, record)
    return _audited(session, record, "create", client_id=client_id, user_id=user_id, target=None)


def client_record_correct(session: Session, record: R, *, client_id: int, fields, user_id: int | None) -> R:
    """Correct a client's record with ``fields`` (see ``fields_copy``), its state before kept as a
    revision, and audit the change; returns the record. The caller checked the version and ``fields``."""
    keep_revision(session, record, user_id=user_id)
    fields_copy(record, fields)
    return saved_audited(session, record, client_id=client_id, user_id=user_id)


def on_client_changed(app: Flask, hook: ChangeHook) -> None:
    """Register ``hook(session, client_id, now)``, run after a client's records changed."""
    app.extensions.setdefault(CLIENT_CHANGED, []).append(hook)


def on_program_changed(app: Flask, hook: ChangeHook) -> None:
    """Register ``hook(session, program_id, now)``, run after a programme-level record changed."""
    app.extensions.setdefault(PROGRAM_CHANGED, []).append(hook)


def on_clients_written(app: Flask, hook: Callable[[Session, list[int]], object]) -> None:
    """Register ``hook(session, client_ids)``, run after a bulk write (an import) changed the records
    of many clients by statement, which no flush and no ``client_changed`` sees."""
    app.extensions.setdefault(CLIENTS_WRITTEN, []).append(hook)


def clients_written(session: Session, client_ids: list[int]) -> None:
    """Run the hooks registered with ``on_clients_written`` (the stored due items and quarters go stale)."""
    for hook in current_app.extensions.get(CLIENTS_WRITTEN, []):
        hook(session, client_ids)


def client_changed(session: Session, *, client_id: int, now: datetime) -> None:
    """Run the hooks registered with ``on_client_changed`` (the prompts refresh)."""
    for hook in current_app.extensions.get(CLIENT_CHANGED, []):
        hook(session, client_id, now)


def program_changed(session: Session, *, program_id: int, now: datetime) -> None:
    """Run the hooks registered with ``on_program_changed`` (a weekly review, a final review)."""
    for hook in current_app.extensions.get(PROGRAM_CHANGED, []):
        hook(session, program_id, now)


def form_error(form, err: DomainError) -> None:
    """Put a service's DomainError message by its field, or on top of the form when it has none."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, str(err)]
    else:
        form.form_errors.append(str(err))


def conflict_rebase(form, record, names=None) -> dict:
    """After an edit conflict: the form now carries the saved version; returns the saved values to
    show beside the person's input (``names``, default: the form's fields the record has)."""
    version = record.version if record is not None else None
    form.version.data, form.version.raw_data = version, [str(version or "")]
    if names is None:
        names = [f.name for f in form if hasattr(record, f.name)]
    return {n: getattr(record, n, None) for n in names}


class Saved:
    """What ``save`` did: ``ok`` when the write went through, ``result`` what it returned; after an
    edit conflict, ``conflict`` the saved values to show beside the person's input and ``record``
    the saved record they come from; ``error`` the DomainError (or ConflictError) it caught."""

    def __init__(
        self,
        ok: bool,
        result: Any = None,
        conflict: dict | None = None,
        record: Any = None,
        error: DomainError | None = None,
    ) -> None:
        self.ok, self.result, self.conflict, self.record = ok, result, conflict, record
        self.error = error

    @property
    def conflicted(self) -> bool:
        """The record changed since the form was opened (with or without values to show)."""
        return isinstance(self.error, ConflictError)


ErrorPlace = Callable[[Any, DomainError], None]


def save(
    form, write: Callable[[], Any], record: Any = None, names=None, place: ErrorPlace = form_error
) -> Saved:
    """The views' form-save routine: run ``write`` in a savepoint; a DomainError goes by its field
    (or where ``place(form, err)`` puts it); a ConflictError rebases the form on the saved ``record``
    (or on what ``record()`` loads again), or, for a new record, is placed like any DomainError.
    Nothing is kept unless ``ok``; the caller commits."""
    try:
        with db.session.begin_nested():
            result = write()
    except ConflictError as err:
        saved = record() if callable(record) else record
        if saved is None:  # a new record: nothing to show beside the input
            place(form, err)
            return Saved(False, error=err)
        return Saved(False, conflict=conflict_rebase(form, saved, names), record=saved, error=err)
    except DomainError as err:
        place(form, err)
        return Saved(False, error=err)
    return Saved(True, result)


def submit(
    form, write: Callable[[], Any], record: Any = None, names=None, place: ErrorPlace = form_error
) -> Saved:
    """``save`` for a posted form whose input is valid; a GET or invalid input saves nothing
    (``ok`` false, no conflict, the form keeps its messages)."""
    if not form.validate_on_submit():
        return Saved(False)
    return save(form, write, record, names, place)


def attempt(write: Callable[[], Any]) -> Saved:
    """A button's write (no form to show messages by): run ``write`` in a savepoint; a DomainError
    is flashed as an error and nothing is kept. The caller commits when ``ok``."""
    return save(None, write, place=lambda _form, err: flash(str(err), "error"))
