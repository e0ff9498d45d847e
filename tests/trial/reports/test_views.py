"""The report pages: who may open them, what they show, the PDF, the lock and the downloads."""

from __future__ import annotations

import subprocess

import pyreadstat
import pytest
from sqlalchemy import select

from caseload.trial.models import TrialLock
from tests import factories
from tests.trial.reports.world import trial_world

PAGES = ("/trial/reports", "/trial/{ref}/reports", "/trial/{ref}/reports/consort.pdf")
STATISTICIAN_PAGES = (
    "/trial/{ref}/lock",
    "/trial/{ref}/export/trial.dta",
    "/trial/{ref}/export/codebook.csv",
)


@pytest.mark.parametrize("role", ["assessor", "specialist", "supervisor", "clinician", "admin"])
def test_no_one_but_the_trial_manager_and_statistician_opens_a_report(db, client, login_as, role):
    trial, prog, *_ = trial_world(db.session, people=3)
    db.session.commit()
    login_as(role, prog=prog)
    for page in (*PAGES, *STATISTICIAN_PAGES):
        assert client.get(page.format(ref=trial.ref)).status_code == 404, page


def test_the_trial_manager_reads_the_reports_but_not_the_lock_or_the_export(db, client, login_as):
    trial, _prog, _stat, manager = trial_world(db.session, people=3)
    db.session.commit()
    login_as(user=manager)
    for page in PAGES:
        assert client.get(page.format(ref=trial.ref)).status_code == 200, page
    for page in STATISTICIAN_PAGES:
        assert client.get(page.format(ref=trial.ref)).status_code == 404, page


def test_a_trial_of_another_programme_answers_404(db, client, login_as):
    trial, *_ = trial_world(db.session, people=2)
    other = factories.program(db.session, "Elsewhere")
    db.session.commit()
    login_as("statistician", prog=other)
    assert client.get(f"/trial/{trial.ref}/reports").status_code == 404
    assert client.get(f"/trial/{trial.ref}/lock").status_code == 404


def test_the_report_shows_the_consort_diagram_completeness_and_primary_outcome(db, client, login_as):
    trial, _prog, statistician, _manager = trial_world(db.session, people=24)
    db.session.commit()
    login_as(user=statistician)
    page = client.get(f"/trial/{trial.ref}/reports?as_of=2025-09-01").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart consort"' in page
    assert "Assessed for eligibility (n = 26)" in page and "Randomised (n = 24)" in page
    assert "Excluded (n = 2)" in page
    assert "Follow-up completeness" in page and "Newcombe" in page
    assert client.get(f"/trial/{trial.ref}/reports?as_of=not-a-date").status_code == 404


def test_the_pdf_holds_the_diagram_and_the_tables(db, client, login_as, tmp_path):
    trial, _prog, _stat, manager = trial_world(db.session, people=12)
    db.session.commit()
    login_as(user=manager)
    answer = client.get(f"/trial/{trial.ref}/reports/consort.pdf?as_of=2025-09-01")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(answer.data)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Randomised (n = 12)" in text and "Primary outcome" in text


def test_the_statistician_locks_once_and_downloads_a_labelled_dta(db, client, login_as, tmp_path):
    trial, _prog, statistician, _manager = trial_world(db.session, people=5)
    db.session.commit()
    login_as(user=statistician)
    assert client.post(f"/trial/{trial.ref}/lock", data={"locked_on": "2099-01-01"}).status_code == 200
    assert db.session.scalar(select(TrialLock)) is None
    answer = client.post(f"/trial/{trial.ref}/lock", data={"locked_on": "2025-06-30"})
    assert answer.status_code == 302
    assert db.session.scalar(select(TrialLock.locked_on)).isoformat() == "2025-06-30"
    page = client.get(f"/trial/{trial.ref}/lock").get_data(as_text=True)
    assert "locked up to 2025-06-30" in page
    dta = client.get(f"/trial/{trial.ref}/export/trial.dta")
    assert dta.status_code == 200
    frame, meta = pyreadstat.read_dta(_saved(tmp_path, dta.data), apply_value_formats=True)
    assert meta.column_names_to_labels["arm"] == "Arm allocated (intention to treat)"
    assert len(frame) == 5 * 4
    manifest = client.get(f"/trial/{trial.ref}/export/manifest.json").get_json()
    assert manifest["locked_on"] == "2025-06-30"
    assert client.get(f"/trial/{trial.ref}/export/trial.xlsx").status_code == 404
    assert client.get(f"/trial/{trial.ref}/export/secrets.csv").status_code == 404


def _saved(folder, data: bytes) -> str:
    path = folder / "download.dta"
    path.write_bytes(data)
    return str(path)
