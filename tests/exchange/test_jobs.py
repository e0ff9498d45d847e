"""A web import runs in the background: the page follows the job, only its owner sees it, and the
uploaded file is removed when it ends."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from caseload.clients.models import Client
from caseload.exchange.jobs import upload_folder
from caseload.exchange.models import ImportJob
from caseload.teams.models import Program
from tests import factories
from tests.exchange.bundles import copy_sample, edit_lines, wait_for_imports, zip_folder
from tests.sample_rows import SAMPLE


def _demo(db) -> Program:
    program = Program(ref="DEMO", name="Demo Pain Clinic IPS")
    db.session.add(program)
    db.session.commit()
    return program


def _start(client, path) -> str:
    data = {"bundle": (io.BytesIO(path.read_bytes()), path.name), "submit": "x"}
    response = client.post("/exchange/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"]


def test_an_import_runs_in_the_background_and_its_page_shows_the_outcome(app, client, login_as, db, tmp_path):
    login_as("supervisor", prog=_demo(db))
    folder = copy_sample(tmp_path / "b")  # a supervisor imports no admins: the sample's admin left out
    edit_lines(folder, "staff.csv", lambda lines: [ln for ln in lines if "admin." not in ln])
    location = _start(client, zip_folder(folder, tmp_path / "bundle.zip"))
    wait_for_imports()
    status = client.get(f"{location}/status").get_json()
    assert status["state"] == "done"
    if db.engine.dialect.name == "postgresql":  # progress is recorded as the rows are written
        assert status["done"] == status["total"] == 925
    page = client.get(location).get_data(as_text=True)
    assert "Imported: 924 created, 0 updated." in page  # the programme was there already
    assert db.session.scalar(select(func.count()).select_from(Client)) == 12
    with app.app_context():
        assert list(upload_folder().iterdir()) == []


def test_a_running_import_shows_a_progress_bar_polled_by_a_script(client, login_as, db):
    user = login_as("supervisor", prog=_demo(db))
    job = ImportJob(user_id=user.id, state="running", done=20_000, total=80_000)
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/exchange/imports/{job.id}").get_data(as_text=True)
    assert f'data-status-url="/exchange/imports/{job.id}/status"' in page
    assert '<script src="/static/js/import-job.js" defer></script>' in page
    assert "<progress" in page
    status = client.get(f"/exchange/imports/{job.id}/status").get_json()
    assert status == {"state": "running", "done": 20_000, "total": 80_000}


def test_only_the_person_who_started_an_import_sees_it(client, login_as, db):
    program = _demo(db)
    owner = factories.user(db.session, "supervisor", program)
    db.session.flush()
    job = ImportJob(user_id=owner.id, state="done", outcome=json.dumps({"problems": ["x.csv:1: -: y"]}))
    db.session.add(job)
    db.session.commit()
    login_as("supervisor", prog=program)
    assert client.get(f"/exchange/imports/{job.id}").status_code == 404
    assert client.get(f"/exchange/imports/{job.id}/status").status_code == 404
    login_as(user=owner)
    page = client.get(f"/exchange/imports/{job.id}").get_data(as_text=True)
    assert "1 problem was found: nothing was imported." in page


def test_an_import_with_problems_writes_nothing_and_lists_them(client, login_as, db, tmp_path):
    login_as("supervisor")  # in another programme than the sample's
    location = _start(client, zip_folder(SAMPLE, tmp_path / "bundle.zip"))
    wait_for_imports()
    page = client.get(location).get_data(as_text=True)
    assert "programs.csv:2: ref: you can import only into your own programme" in page
    assert db.session.scalar(select(func.count()).select_from(Client)) == 0
