"""The region seed, shrunk: consistent records, the app's ref formats, and the same data for a seed."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import Base, next_ref
from caseload.demo.region import seed_region
from caseload.employers.models import EmployerContact, WeeklyReview
from caseload.jobs.models import Job
from caseload.teams.models import Program
from tests import factories

TODAY = date(2026, 11, 20)
SCALE = 0.005  # 50 clients per programme, a few thousand contacts


def test_a_shrunk_region_is_consistent_and_continues_the_app_refs(db):
    seed_region(db.session, seed=3, today=TODAY, scale=SCALE)
    db.session.commit()
    s = db.session
    assert s.scalar(select(func.count()).select_from(Program)) == 3
    assert s.scalar(select(func.count()).where(Client.closed_on.is_(None))) == 3 * 5
    assert s.scalar(select(func.count()).select_from(Client)) == 3 * 50
    assert s.scalar(select(func.count()).where(Client.entry_date > TODAY)) == 0
    assert s.scalar(select(func.count()).where(Client.closed_on <= Client.entry_date)) == 0
    assert s.scalar(select(func.count()).where(ClientContact.contact_date > TODAY)) == 0
    assert (
        s.scalar(select(func.count()).where(Referral.decision == "declined", Referral.reason.is_(None))) == 0
    )
    assert s.scalar(select(func.count()).where(Referral.decision == "declined")) > 0
    mondays = s.scalars(select(WeeklyReview.week_start)).all()
    assert mondays and all(d.weekday() == 0 for d in mondays)
    assert held_outside_their_programme(s) == 0
    for model in (Client, Job, ClientContact, EmployerContact):
        refs = s.scalars(select(model.ref).order_by(model.id)).all()
        assert all(re.fullmatch(rf"{model.REF_PREFIX}-\d{{6,}}", r) for r in refs)
        assert next_ref(s, model) == f"{model.REF_PREFIX}-{len(refs) + 1:06d}"
    added = factories.referral(s, s.scalar(select(Program).limit(1)))  # the id sequences moved on too
    assert added.id == s.scalar(select(func.count()).select_from(Referral))


def test_client_refs_grow_with_entry_dates(db):
    seed_region(db.session, seed=4, today=TODAY, scale=SCALE)
    entries = db.session.scalars(select(Client.entry_date).order_by(Client.id)).all()
    assert entries == sorted(entries)
    assert entries[0] >= TODAY - timedelta(days=3652)


def _digest(tmp_path, name: str, seed: int) -> str:
    engine = create_engine(f"sqlite:///{tmp_path / name}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        seed_region(session, seed=seed, today=TODAY, scale=SCALE)
        session.commit()
        h = hashlib.sha256()
        for table in ("clients", "jobs", "client_contacts", "employer_contacts", "employer_contact_clients"):
            for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")):  # noqa: S608
                h.update(repr(tuple(row)).encode())
    engine.dispose()
    return h.hexdigest()


def test_the_same_seed_and_anchor_give_the_same_records(tmp_path):
    first = _digest(tmp_path, "a.db", seed=7)
    assert _digest(tmp_path, "b.db", seed=7) == first
    assert _digest(tmp_path, "c.db", seed=8) != first


def held_outside_their_programme(s: Session) -> int:
    """Clients whose holder is not a specialist of the client's own programme."""
    wrong_holder = (
        select(func.count())
        .select_from(Client)
        .join(User, User.id == Client.specialist_id)
        .where((User.role != "specialist") | (User.program_id != Client.program_id))
    )
    return s.scalar(wrong_holder)
