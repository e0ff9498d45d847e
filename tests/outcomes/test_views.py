"""The programme's outcome pages and exports: who may see them, and what they show."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from tests.outcomes.world import BENEFITS_NOTE, EMPLOYER_PHONE, build

Q = "2025Q1"


@pytest.fixture
def world(db):
    return build(db.session)


def _urls(ref: str) -> list[str]:
    base = f"/programs/{ref}/outcomes"
    return [
        f"{base}?quarter={Q}&as_of=2025-03-31",
        f"{base}/{Q}/clients_working",
        f"{base}/quarterly.csv?quarter={Q}",
        f"{base}/quarterly.pdf?quarter={Q}",
        f"{base}/employment.csv?as_of=2025-03-31",
        f"{base}/measures.csv",
    ]


def test_supervisor_sees_the_quarter_with_benchmarks_and_links(client, login_as, world):
    login_as(user=world.supervisor)
    html = client.get(f"/programs/{world.program.ref}/outcomes?quarter={Q}&as_of=2025-03-31").get_data(
        as_text=True
    )
    assert "Quarterly employment rate (%) — not a cumulative rate" in html
    assert "33.3" in html  # 1 working of 3 served
    assert "31 minimal · 41 average · 50 excellent" in html
    assert f"/programs/{world.program.ref}/outcomes/{Q}/clients_working" in html
    assert "<svg" in html and "2024Q2" in html  # the eight-quarter chart starts at 2024Q2
    assert BENEFITS_NOTE not in html and EMPLOYER_PHONE not in html


def _last_event(db) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()


def test_a_count_list_and_employment_csv_record_every_client_they_show(client, db, login_as, world):
    login_as(user=world.supervisor)
    served = {c.ref for c in (world.working, world.searching, world.elsewhere)}
    assert client.get(f"/programs/{world.program.ref}/outcomes/{Q}/clients_served").status_code == 200
    event = _last_event(db)
    assert event.action == "list" and set(event.shown.split()) == served
    csv = client.get(f"/programs/{world.program.ref}/outcomes/employment.csv?as_of=2025-03-31")
    assert csv.status_code == 200
    event = _last_event(db)
    assert event.action == "export" and set(event.shown.split()) == served
    report = client.get(f"/clients/{world.working.ref}/access").get_data(as_text=True)
    assert report.count("<td>Exported</td>") == 1 and report.count("<td>Seen in a list</td>") == 1


def test_the_clients_behind_a_count_link_to_their_pages(client, login_as, world):
    login_as(user=world.supervisor)
    html = client.get(f"/programs/{world.program.ref}/outcomes/{Q}/clients_served").get_data(as_text=True)
    for c in (world.working, world.searching, world.elsewhere):
        assert f'href="/clients/{c.ref}"' in html and c.name in html
    html = client.get(f"/programs/{world.program.ref}/outcomes/{Q}/referrals_received").get_data(as_text=True)
    assert "R-" in html


@pytest.mark.parametrize("role", ["specialist", "clinician", "admin"])
def test_only_supervisors_reach_the_programme_outcomes_and_exports(client, login_as, world, role):
    user = {"specialist": world.specialist, "clinician": world.clinician}.get(role)
    login_as(role, user=user) if user else login_as(role)
    for url in _urls(world.program.ref):
        assert client.get(url).status_code == 404, url


def test_a_supervisor_of_another_programme_gets_404(client, login_as, world, db):
    from tests import factories

    other = factories.program(db.session, name="Other")
    login_as("supervisor", prog=other)
    for url in _urls(world.program.ref):
        assert client.get(url).status_code == 404, url


def test_bad_quarter_or_count_is_404(client, login_as, world):
    login_as(user=world.supervisor)
    base = f"/programs/{world.program.ref}/outcomes"
    assert client.get(f"{base}?quarter=2025Q9").status_code == 404
    assert client.get(f"{base}/{Q}/employment_rate").status_code == 404
    assert client.get(f"{base}/2025-1/clients_served").status_code == 404
    assert client.get(f"{base}?as_of=yesterday").status_code == 404


def test_csv_exports(client, login_as, world):
    login_as(user=world.supervisor)
    base = f"/programs/{world.program.ref}/outcomes"
    quarterly = client.get(f"{base}/quarterly.csv?quarter={Q}")
    assert quarterly.mimetype == "text/csv"
    lines = quarterly.get_data(as_text=True).splitlines()
    assert len(lines) == 9 and lines[-1].startswith(f"{world.program.ref},{Q},2025-01-01,2025-03-31,3,1,")
    extract = client.get(f"{base}/employment.csv?as_of=2025-03-31").get_data(as_text=True).splitlines()
    assert extract[0].startswith("client_ref,trial_arm,entry_date,window_end,window_complete,days_employed")
    assert any(
        line.startswith(f"{world.working.ref},,2024-11-04,2025-03-31,false,78,12,") for line in extract
    )
    for url in _urls(world.program.ref):
        body = client.get(url).get_data()
        assert BENEFITS_NOTE.encode() not in body and EMPLOYER_PHONE.encode() not in body


def test_quarterly_pdf_has_the_rate_and_the_counts(client, login_as, world, tmp_path):
    login_as(user=world.supervisor)
    response = client.get(f"/programs/{world.program.ref}/outcomes/quarterly.pdf?quarter={Q}")
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(response.get_data())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Quarterly outcomes 2025Q1" in text
    assert "33.3" in text
    assert "Clients served" in text and "Clients working in a competitive job" in text
    assert BENEFITS_NOTE not in text


def test_the_programme_section_partial_renders(app, world, db):
    from flask import render_template

    from caseload.outcomes.pages import program_outcomes_context
    from caseload.outcomes.quarterly import Quarter

    with app.test_request_context():
        from flask_login import login_user

        login_user(world.supervisor)
        ctx = program_outcomes_context(db.session, world.program, world.working.entry_date, Quarter.parse(Q))
        html = render_template("outcomes/_program_section.html", **ctx)
    assert "Outcomes" in html and "quarterly.pdf" in html and "33.3" in html
    assert "#employment-h" in html  # the per-client employment outcome is linked, not computed here
    assert ctx["outcomes_view"].outcome.counts["clients_served"] == 3
