"""Closed clients are anonymised after the retention period; counts stay; nothing is deleted."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.clients.models import Client
from caseload.ops.retention import may_anonymise, retention_ends_on, scrub_revision
from caseload.ops.services import client_anonymise, eligible_clients
from caseload.teams.models import Program
from caseload.writes import DomainError, keep_revision
from tests.reference_rows import program_data
from tests.security import world as W
from tests.security.dbstate import snapshot

TODAY = date.today()
YEARS = 10


def _years_ago(years: int, days: int = 0) -> date:
    return date.fromordinal(retention_ends_on(TODAY, -years).toordinal() - days)


def test_retention_ends_on_the_anniversary_of_the_closure():
    assert retention_ends_on(date(2014, 6, 30), 10) == date(2024, 6, 30)
    assert retention_ends_on(date(2016, 2, 29), 10) == date(2026, 3, 1)


def test_only_closed_clients_past_the_period_may_be_anonymised():
    closed = date(2014, 6, 30)
    assert may_anonymise(closed, False, date(2024, 6, 30), 10)
    assert not may_anonymise(closed, False, date(2024, 6, 29), 10)
    assert not may_anonymise(None, False, date(2099, 1, 1), 10)
    assert not may_anonymise(closed, True, date(2099, 1, 1), 10)


def test_scrubbing_a_revision_replaces_only_the_listed_fields():
    data = json.dumps({"name": "Kari", "birth_date": "1980-01-01", "entry_date": "2014-01-01", "ref": "C-1"})
    scrubbed = json.loads(scrub_revision("clients", data))
    assert scrubbed == {"name": "[anonymised]", "birth_date": None, "entry_date": "2014-01-01", "ref": "C-1"}
    assert scrub_revision("jobs", data) == data


@pytest.fixture
def closed_world(db):
    """The matrix world with client C closed eleven years ago, and revisions of its records."""
    w = W.build(db.session)
    c = w.objects["client"]
    keep_revision(db.session, c, user_id=None)
    for kind in ("contact", "benefits", "employer_contact"):
        keep_revision(db.session, w.objects[kind], user_id=None)
    c.entry_date, c.closed_on, c.closure_reason = _years_ago(12), _years_ago(11), "moved"
    db.session.commit()
    return w


def _values(state: dict) -> list[str]:
    return [str(v) for rows in state.values() for row in rows for v in row if v is not None]


def test_anonymising_replaces_names_birth_dates_and_notes_everywhere(db, closed_world):
    c = closed_world.objects["client"]
    program = db.session.get(Program, c.program_id)
    before, numbers = snapshot(db.session.connection()), program_data(db.session, program)
    client_anonymise(db.session, client=c, today=TODAY, years=YEARS, user_id=None)
    db.session.commit()
    after = snapshot(db.session.connection())
    text = "\n".join(_values(after))
    for canary in (*W.CLIENT_TEXT, W.EMPLOYER_CONTACT, "1980-05-17"):
        assert canary not in text, f"{canary} is still stored"
    for kept in (W.OTHER_NAME, W.REFERRED, W.EMPLOYER_PERSON):
        assert kept in text, f"{kept} (not this client's) was changed"
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}  # nothing deleted
    assert program_data(db.session, program) == numbers  # every report keeps its numbers
    db.session.refresh(c)
    assert c.anonymised and c.birth_date is None and c.closed_on == _years_ago(11)


def test_anonymising_is_audited(db, closed_world):
    c = closed_world.objects["client"]
    client_anonymise(db.session, client=c, today=TODAY, years=YEARS, user_id=None)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (event.action, event.client_id, event.target) == ("anonymise", c.id, c.ref)


@pytest.mark.parametrize(
    "closed_on, anonymised",
    [(None, False), (_years_ago(10, days=-1), False), (_years_ago(11), True)],
    ids=["open", "one day short", "done already"],
)
def test_anonymising_is_refused_unless_closed_past_the_period(db, closed_world, closed_on, anonymised):
    c = closed_world.objects["client"]
    c.closed_on, c.closure_reason, c.anonymised = closed_on, "moved" if closed_on else None, anonymised
    db.session.commit()
    with pytest.raises(DomainError):
        client_anonymise(db.session, client=c, today=TODAY, years=YEARS, user_id=None)


def test_eligible_clients_are_those_past_the_period(db, closed_world):
    c = closed_world.objects["client"]
    program_id = c.program_id
    assert [x.ref for x in eligible_clients(db.session, program_id=program_id, today=TODAY, years=YEARS)] == [
        c.ref
    ]
    assert eligible_clients(db.session, program_id=program_id, today=TODAY, years=12) == []


def _anonymised(db, ref: str) -> bool:
    db.session.rollback()
    return db.session.scalar(select(Client.anonymised).where(Client.ref == ref))


def test_cli_dry_run_lists_and_changes_nothing_then_anonymises(runner, db, closed_world):
    ref, program = closed_world.ids["client"], closed_world.ids["program"]
    dry = runner.invoke(args=["retention", "anonymise", "--program", program, "--dry-run"])
    assert dry.exit_code == 0 and f"would anonymise {ref}" in dry.output
    assert W.NAME not in dry.output and not _anonymised(db, ref)
    real = runner.invoke(args=["retention", "anonymise", "--program", program, "--json"])
    assert real.exit_code == 0, real.output
    assert json.loads(real.output) == {
        "program": program,
        "today": TODAY.isoformat(),
        "years": YEARS,
        "dry_run": False,
        "clients": [ref],
    }
    assert _anonymised(db, ref)


def test_cli_retention_period_comes_from_the_settings(app, runner, db, closed_world, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 12)
    result = runner.invoke(args=["retention", "anonymise", "--program", closed_world.ids["program"]])
    assert result.exit_code == 0 and "0 clients anonymised" in result.output


def test_cli_unknown_programme_fails_in_one_line(runner, db):
    result = runner.invoke(args=["retention", "anonymise", "--program", "P-9999"])
    assert result.exit_code != 0 and "no programme" in result.output


def test_supervisor_anonymises_from_the_retention_page(client, db, closed_world, login_as):
    ref = closed_world.ids["client"]
    login_as(user=closed_world.people["supervisor"])
    page = client.get("/retention")
    assert page.status_code == 200 and ref in page.get_data(as_text=True)
    assert W.NAME not in page.get_data(as_text=True)
    assert client.post("/retention", data={"refs": ref}).status_code == 422  # not confirmed
    assert not _anonymised(db, ref)
    assert client.post("/retention", data={"refs": ref, "confirm": "y"}).status_code == 302
    assert _anonymised(db, ref)
    assert ref not in client.get("/retention").get_data(as_text=True)


def test_supervisor_anonymises_with_the_client_page_button(client, db, closed_world, login_as):
    ref = closed_world.ids["client"]
    login_as(user=closed_world.people["supervisor"])
    client.post(f"/clients/{ref}/anonymise")
    assert not _anonymised(db, ref)
    assert client.post(f"/clients/{ref}/anonymise", data={"confirm": "y"}).status_code == 302
    assert _anonymised(db, ref)


@pytest.mark.parametrize("who", ["owner", "clinician", "admin", "supervisor_b", "specialist_b"])
def test_nobody_else_can_anonymise(client, db, closed_world, login_as, who):
    ref = closed_world.ids["client"]
    login_as(user=closed_world.people[who])
    assert client.post(f"/clients/{ref}/anonymise", data={"confirm": "y"}).status_code == 404
    response = client.post("/retention", data={"refs": ref, "confirm": "y"})
    assert response.status_code in (404, 422)
    assert not _anonymised(db, ref)


# Deletes of association rows (links between records) are allowed: the records themselves stay.
ALLOWED_DELETES = {("caseload/exchange/convert.py", "set_links")}


def _deletes(path: Path, root: Path) -> set[tuple[str, str]]:
    found = set()
    tree = ast.parse(path.read_text())
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            called = node.func if isinstance(node, ast.Call) else None
            name = getattr(called, "attr", None) or getattr(called, "id", None)
            sql = (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "DELETE FROM" in node.value.upper()
            )
            if name == "delete" or sql:
                found.add((str(path.relative_to(root)), func.name))
    return found


def test_nothing_is_hard_deleted_anywhere_in_the_code():
    root = Path(__file__).resolve().parents[2]
    found = set().union(*(_deletes(p, root) for p in (root / "caseload").rglob("*.py")))
    assert found <= ALLOWED_DELETES, f"deletes outside the allowed list: {found - ALLOWED_DELETES}"


def test_the_client_page_can_show_the_button_when_the_period_has_passed(app, db, closed_world):
    from flask import render_template

    c = closed_world.objects["client"]
    ask = app.jinja_env.globals["client_may_be_anonymised"]
    assert ask(c)
    with app.test_request_context():
        html = render_template("ops/_anonymise_button.html", client=c)
    assert f'action="/clients/{c.ref}/anonymise"' in html and 'name="confirm"' in html
    c.closed_on = TODAY
    assert not ask(c)
