"""Due questionnaires appear as prompts and are done as soon as the questionnaire is saved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from caseload.prompts.models import Prompt
from tests import factories


def test_a_due_baseline_questionnaire_is_a_prompt_until_it_is_recorded(client, runner, login_as, db):
    spec = factories.user(db.session, role="specialist")
    entry = date.today() - timedelta(days=2)
    person = factories.client(db.session, spec, entry=entry)
    db.session.commit()
    assert runner.invoke(args=["prompts", "sweep"]).exit_code == 0
    prompt = db.session.scalar(select(Prompt).where(Prompt.rule == "outcome_baseline"))
    assert (prompt.status, prompt.due_on, prompt.client_id) == ("open", entry, person.id)
    login_as(user=spec)
    form = {"measured_on": date.today().isoformat(), "timepoint": "baseline", "eq_vas": "50"}
    assert client.post(f"/clients/{person.ref}/measures/new", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Prompt, prompt.id).status == "done"


def test_a_6m_questionnaire_does_not_satisfy_the_baseline_prompt(client, runner, login_as, db):
    spec = factories.user(db.session, role="specialist")
    person = factories.client(db.session, spec, entry=date.today() - timedelta(days=1))
    db.session.commit()
    runner.invoke(args=["prompts", "sweep"])
    login_as(user=spec)
    form = {"measured_on": date.today().isoformat(), "timepoint": "6m", "eq_vas": "50"}
    client.post(f"/clients/{person.ref}/measures/new", data=form)
    db.session.expire_all()
    prompt = db.session.scalar(select(Prompt).where(Prompt.rule == "outcome_baseline"))
    assert prompt.status == "open"
