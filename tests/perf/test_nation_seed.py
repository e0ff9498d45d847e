"""The nation seed, shrunk: ten programmes of the region generator, refs unique across them, same per seed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from caseload.auth.models import User
from caseload.clients.models import Client, Referral
from caseload.contacts.models import ClientContact
from caseload.db import Base, next_ref
from caseload.demo.region import NATION_PROGRAMS, seed_region
from caseload.employers.models import EmployerContact, WeeklyReview
from caseload.jobs.models import Job
from caseload.teams.models import Program, TreatmentTeam
from tests import factories
from tests.perf.test_region_seed import held_outside_their_programme

TODAY = date(2026, 11, 20)
SCALE = 0.002  # 20 clients per programme, a few thousand contacts in all


def test_a_shrunk_nation_has_ten_programmes_of_the_same_size_with_refs_unique_across_them(db):
    seed_region(db.session, seed=5, today=TODAY, scale=SCALE, programs=NATION_PROGRAMS)
    db.session.commit()
    s = db.session
    programs = s.scalars(select(Program.id).order_by(Program.id)).all()
    assert len(programs) == NATION_PROGRAMS == 10
    assert len(set(s.scalars(select(Program.name)))) == 10
    per_program = dict(s.execute(select(Client.program_id, func.count()).group_by(Client.program_id)).all())
    assert per_program == {pid: 20 for pid in programs}
    teams = dict(
        s.execute(select(TreatmentTeam.program_id, func.count()).group_by(TreatmentTeam.program_id)).all()
    )
    assert teams == {pid: 10 for pid in programs}
    assert held_outside_their_programme(s) == 0
    wrong_team = (
        select(func.count())
        .select_from(Client)
        .join(TreatmentTeam, TreatmentTeam.id == Client.treatment_team_id)
        .where(TreatmentTeam.program_id != Client.program_id)
    )
    assert s.scalar(wrong_team) == 0
    with_contacts = select(func.count(func.distinct(Client.program_id))).join(
        ClientContact, ClientContact.client_id == Client.id
    )
    assert s.scalar(with_contacts) == 10
    reviewed = select(func.count(func.distinct(User.program_id))).join(
        WeeklyReview, WeeklyReview.specialist_id == User.id
    )
    assert s.scalar(reviewed) == 10
    for model in (Client, Job, ClientContact, EmployerContact):
        refs = s.scalars(select(model.ref)).all()
        assert len(set(refs)) == len(refs)  # one sequence of refs for the whole nation
        assert next_ref(s, model) == f"{model.REF_PREFIX}-{len(refs) + 1:06d}"
    emails = s.scalars(select(User.email)).all()
    assert len(set(emails)) == len(emails)
    entries = s.scalars(select(Client.entry_date).order_by(Client.id)).all()
    assert entries == sorted(entries)  # ids grow with time across the programmes, as in one installation
    added = factories.referral(s, s.scalar(select(Program).limit(1)))
    assert added.id == s.scalar(select(func.count()).select_from(Referral))  # the id sequences moved on


def _digest(tmp_path, name: str, seed: int, programs: int) -> str:
    engine = create_engine(f"sqlite:///{tmp_path / name}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        seed_region(session, seed=seed, today=TODAY, scale=SCALE, programs=programs)
        session.commit()
        h = hashlib.sha256()
        for table in (
            "programs",
            "clients",
            "jobs",
            "client_contacts",
            "employer_contacts",
            "weekly_reviews",
        ):
            for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")):  # noqa: S608
                h.update(repr(tuple(row)).encode())
    engine.dispose()
    return h.hexdigest()


def test_the_same_seed_gives_the_same_nation_and_the_programme_count_changes_it(tmp_path):
    first = _digest(tmp_path, "a.db", seed=7, programs=NATION_PROGRAMS)
    assert _digest(tmp_path, "b.db", seed=7, programs=NATION_PROGRAMS) == first
    assert _digest(tmp_path, "c.db", seed=7, programs=3) != first


def test_the_programme_count_is_bounded(db):
    with pytest.raises(ValueError, match="programs must be 1..10"):
        seed_region(db.session, seed=1, today=TODAY, scale=SCALE, programs=11)


def _is_postgresql(db) -> bool:
    return db.engine.dialect.name == "postgresql"


def test_the_nation_is_refused_on_sqlite_in_one_line(db, runner):
    if _is_postgresql(db):
        pytest.skip("on PostgreSQL it would seed the whole nation (12 M rows); its guard is tested below")
    result = runner.invoke(args=["demo", "seed", "--scale", "nation"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: demo seed --scale nation needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)"
    ]
    assert db.session.scalar(select(func.count()).select_from(Program)) == 0


def test_the_nation_is_accepted_on_postgresql_and_fills_only_an_empty_database(db, runner):
    if not _is_postgresql(db):
        pytest.skip("the nation seed is PostgreSQL only: on SQLite the command refuses (tested above)")
    factories.program(db.session)
    db.session.commit()
    result = runner.invoke(args=["demo", "seed", "--scale", "nation"])
    assert result.exit_code == 1
    assert "the database is not empty" in result.output
    assert "PostgreSQL" not in result.output
