"""Declarative base with a naming convention, mixins, refs and SQLite pragmas."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql import FromClause

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now in UTC as a naive datetime (all stored timestamps are UTC); a callable default."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def link_table(name: str, left: tuple[str, str], right: tuple[str, str]) -> Table:
    """A many-to-many link table: two foreign keys, each a ``(column, "table.id")``, that together
    are its primary key; the right one is indexed too, for the lookups from its side."""
    return Table(
        name,
        Base.metadata,
        Column(left[0], ForeignKey(left[1]), primary_key=True),
        Column(right[0], ForeignKey(right[1]), primary_key=True, index=True),
    )


def reason_required(when: str, reason: str) -> CheckConstraint:
    """A row's ``when`` column (a closing or end date) is set only with its ``reason`` column; the
    check is named after the reason."""
    return CheckConstraint(f"{when} IS NULL OR {reason} IS NOT NULL", name=reason)


class Entity(Base):
    """A table whose rows are keyed by a surrogate integer ``id``."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionMixin:
    """Optimistic concurrency: an edit started from an older version fails instead of overwriting."""

    version: Mapped[int] = mapped_column(default=1)
    __table__: ClassVar[FromClause]  # the mapped class's table, as on DeclarativeBase

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class RefMixin:
    """A stable, human-readable ref such as ``C-000123``, used in URLs and in the exchange format."""

    REF_PREFIX = "X"
    REF_WIDTH = 6
    ref: Mapped[str] = mapped_column(String(40), unique=True)


class VoidMixin:
    """A record voided with a reason is kept (and exported) but counts in no number and satisfies
    no prompt: every ORM read leaves it out unless it asks for voided rows (``INCLUDE_VOIDED``)."""

    voided_on: Mapped[date | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    @property
    def voided(self) -> bool:
        return self.voided_on is not None


INCLUDE_VOIDED = "include_voided"


@event.listens_for(Session, "do_orm_execute")
def _leave_out_voided(state: ORMExecuteState) -> None:
    """Voided rows are left out of every ORM select (joins, subqueries and the relationship loads
    of what it returns too), so the loaders never hand them to the pure core. Pages that show them
    struck through, the history and the exchange ask for them: the execution option
    ``include_voided`` on a statement, or ``voided_included(session)`` around a whole job."""
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get(INCLUDE_VOIDED) or state.session.info.get(INCLUDE_VOIDED):
        return
    state.statement = state.statement.options(
        with_loader_criteria(VoidMixin, lambda cls: cls.voided_on.is_(None), include_aliases=True)
    )


@contextmanager
def voided_included(session: Session) -> Iterator[Session]:
    """Within the block every read of ``session`` sees voided rows too (export, import, history)."""
    before = session.info.get(INCLUDE_VOIDED)
    session.info[INCLUDE_VOIDED] = True
    try:
        yield session
    finally:
        if before is None:
            session.info.pop(INCLUDE_VOIDED, None)
        else:
            session.info[INCLUDE_VOIDED] = before


class RefSequence(Base):
    __tablename__ = "ref_sequences"
    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


def _sequence_key(model: type[RefMixin]) -> str:
    """The counter a model's refs come from: its prefix, unless two models share a prefix."""
    return getattr(model, "REF_SEQUENCE", model.REF_PREFIX)


def next_ref(session: Session, model: type[RefMixin]) -> str:
    """Allocate the next free ref of a model's prefix (``C-000124``)."""
    prefix = model.REF_PREFIX
    key = _sequence_key(model)
    while True:
        seq = session.get(RefSequence, key, with_for_update=True)
        if seq is None:
            seq = RefSequence(prefix=key, last=0)
            session.add(seq)
        seq.last += 1
        session.flush()
        ref = f"{prefix}-{seq.last:0{model.REF_WIDTH}d}"
        if session.scalar(select(model.ref).where(model.ref == ref)) is None:  # type: ignore[attr-defined]
            return ref


def bump_ref_sequence(session: Session, model: type[RefMixin], refs: list[str]) -> None:
    """After an import, make sure refs created later do not collide with imported ones."""
    prefix = model.REF_PREFIX + "-"
    numbers = [int(r[len(prefix) :]) for r in refs if r.startswith(prefix) and r[len(prefix) :].isdigit()]
    if not numbers:
        return
    top = max(numbers)
    key = _sequence_key(model)
    seq = session.get(RefSequence, key)
    if seq is None:
        session.add(RefSequence(prefix=key, last=top))
    elif seq.last < top:
        session.execute(update(RefSequence).where(RefSequence.prefix == key).values(last=top))
    session.flush()


def configure_engine(engine: Engine) -> None:
    """PostgreSQL: no JIT compilation (it costs 10-150 ms on the app's short queries and saves
    nothing on them). SQLite: WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE so writers queue
    instead of failing."""
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _no_jit(dbapi_conn, _record) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute("SET jit = off")
            dbapi_conn.commit()

        return
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event emit BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upsert_insert(session: Session):
    """The dialect's ``insert`` (with ``on_conflict_do_nothing`` / ``on_conflict_do_update``) for the
    session's database: PostgreSQL or SQLite."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
