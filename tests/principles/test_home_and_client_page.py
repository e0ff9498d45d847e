"""The specialist's home (what to do today, constant SQL) and the client's page (panels, records, links)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.prompts.models import Prompt
from tests import factories
from tests.principles.support import days_ago, sql_counter, world


def _clients_with_records(db, spec, team, n: int) -> None:
    employer = factories.employer(db.session, "Rema 1000")
    for i in range(n):
        c = factories.client(db.session, spec, team_obj=team, name=f"Client {i:03d}")
        factories.contact(db.session, c, spec, on=date.today() - timedelta(days=i % 20))
        factories.benefits_session(db.session, c, on=date.today() - timedelta(days=30))
        factories.employer_contact(
            db.session, spec, on=date.today() - timedelta(days=3), clients=[c], employer_obj=employer
        )
        if i % 2:
            j = factories.job(db.session, c, start=date.today() - timedelta(days=20), employer_obj=employer)
            j.hours_changes  # noqa: B018 - loaded here so the factory's session does not lazy-load later
    db.session.commit()


def _home_queries(client, db) -> int:
    with sql_counter(db.engine) as n:
        resp = client.get("/")
    assert resp.status_code == 200
    return n[0]


def test_home_uses_the_same_number_of_queries_for_5_and_50_clients(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    _clients_with_records(db, w.spec, w.team, 4)  # with the world's client: 5
    client.get("/")  # derives and stores the new clients' due items (principles/due.py): then read
    few = _home_queries(client, db)
    _clients_with_records(db, w.spec, w.team, 45)
    page = client.get("/").get_data(as_text=True)
    assert page.count('data-client="') == 50
    assert _home_queries(client, db) == few


def test_home_answers_what_to_do_today(client, db, login_as):
    w = world(db, entry=date.today() - timedelta(days=40))
    factories.contact(db.session, w.client, w.spec, on=date.today() - timedelta(days=6))
    factories.job(db.session, w.client, start=date.today() - timedelta(days=5))
    factories.employer_contact(db.session, w.spec, on=date.today(), clients=[w.client])
    other = factories.client(db.session, w.other_spec, name="Not mine")
    db.session.commit()
    login_as(user=w.spec)
    page = client.get("/").get_data(as_text=True)
    row = page[page.index(f'data-client="{w.client.ref}"') :].split("</tr>")[0]
    assert "Working" in row and "6 days ago" in row
    assert "Overdue" in row
    todo = page.split('id="home-prompts-heading"')[1].split("</section>")[0]
    item = todo[todo.index('data-rule="career_profile"') :].split("</li>")[0]
    assert w.client.ref in item and "Start the career profile" in item
    assert "<strong>1</strong> of 20 active clients" in page
    assert "<strong>1</strong> of 6 face-to-face employer contacts this week" in page
    assert other.ref not in page
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "view_caseload"))


def test_client_page_has_a_link_to_every_form_and_audits_the_read(client, db, login_as):
    w = world(db)
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    for path in ("contacts/new", "jobs/new", "benefits/new", "profile", "plan"):
        assert f'href="/clients/{w.client.ref}/{path}' in page
    assert f'href="/employers/contacts/new?client={w.client.ref}"' in page
    assert page.count('class="panel ') == 8
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.client_id == w.client.id))
    assert (event.action, event.user_id) == ("view", w.spec.id)


def test_client_page_shows_the_records_escaped(client, db, login_as):
    w = world(db)
    factories.contact(db.session, w.client, w.spec, on=date.today(), notes="<script>alert(1)</script>")
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_a_clinician_of_the_team_gets_the_clinician_view(client, db, login_as):
    w = world(db)
    factories.benefits_session(db.session, w.client, on=date.today(), notes="Benefit amounts")
    db.session.commit()
    login_as(user=w.clinician_in)
    resp = client.get(f"/clients/{w.client.ref}")
    assert resp.status_code == 200 and "Benefit amounts" not in resp.get_data(as_text=True)
    login_as(user=w.clinician_out)
    assert client.get(f"/clients/{w.client.ref}").status_code == 404


def test_saving_a_contact_marks_the_satisfied_prompt_done_at_once(client, db, login_as):
    w = world(db, entry=date.today() - timedelta(days=2))
    db.session.add(
        Prompt(
            rule="first_contact",
            subject_key=w.client.ref,
            due_on=w.client.entry_date + timedelta(days=3),
            client_id=w.client.id,
            assignee_id=w.spec.id,
            program_id=w.program.id,
            status="open",
        )
    )
    db.session.commit()
    login_as(user=w.spec)
    data = {"contact_date": days_ago(0), "staff_id": str(w.spec.id), "purpose": "engagement"}
    data |= {"mode": "face_to_face", "location": "community", "minutes": "30"}
    assert client.post(f"/clients/{w.client.ref}/contacts/new", data=data).status_code == 302
    assert db.session.scalar(select(Prompt.status)) == "done"


def test_names_and_titles_in_panels_and_timeline_are_escaped(client, db, login_as):
    w = world(db)
    w.team.name = "<b>Team</b>"
    evil = factories.employer(db.session, "<script>alert('e')</script>")
    factories.job(
        db.session, w.client, start=date.today() - timedelta(days=3), employer_obj=evil, title="<img src=x>"
    )
    factories.employer_contact(db.session, w.spec, on=date.today(), clients=[w.client], employer_obj=evil)
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x>" not in page and "<b>Team</b>" not in page
    assert "&lt;img src=x&gt; at &lt;script&gt;" in page  # the competitive panel
    assert "Started as &lt;img src=x&gt;" in page  # the timeline


def test_client_page_shows_the_latest_events_and_links_to_the_whole_history(client, db, login_as):
    w = world(db, entry=date.today() - timedelta(days=200))
    for n in range(60):
        factories.contact(db.session, w.client, w.spec, on=date.today() - timedelta(days=3 * n))
    db.session.commit()
    login_as(user=w.spec)
    page = client.get(f"/clients/{w.client.ref}").get_data(as_text=True)
    timeline = page[page.index('id="timeline-h"') :]
    assert timeline.count('<li class="contact"') == 50
    assert f"/clients/{w.client.ref}?history=all#timeline-h" in timeline
    whole = client.get(f"/clients/{w.client.ref}?history=all").get_data(as_text=True)
    timeline = whole[whole.index('id="timeline-h"') :]
    assert timeline.count('<li class="contact"') == 60 and "Entered the programme" in timeline
    assert "history=all" not in timeline
