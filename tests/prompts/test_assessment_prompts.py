"""The trial's assessment prompts: made by the sweep in their windows, keyed by the study ref,
closed by an assessment, missing after the window, and shown to the assessors only (masked)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from caseload.clients.services import referral_accept
from caseload.prompts.assessments import ScheduleRow, assessment_instances
from caseload.prompts.digest import digest_messages
from caseload.prompts.models import Prompt
from caseload.prompts.sweep import prompts_sweep
from caseload.trial.services import ArmSpec
from tests import factories
from tests.trial import builders

ENROLLED = date(2026, 1, 5)
SIX_MONTHS = ENROLLED + timedelta(days=182)  # 2026-07-06
ARMS = (
    ArmSpec("zqips", "Zq supported employment arm", 2, refers_to_caseload=True),
    ArmSpec("zqtau", "Zq usual care arm", 1),
)
ARM_TRACES = ("zqips", "zqtau", "Zq supported employment arm", "Zq usual care arm")


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


def _row(timepoint="6m", recorded=None, withdrawn=None) -> ScheduleRow:
    return ScheduleRow("P-0001", ENROLLED, withdrawn, timepoint, 30, recorded)


def test_an_assessment_instance_exists_from_the_windows_opening_and_is_missing_after_it_closes():
    opens, closes = SIX_MONTHS - timedelta(days=30), SIX_MONTHS + timedelta(days=30)
    assert list(assessment_instances([_row()], opens - timedelta(days=1))) == []
    (i,) = assessment_instances([_row()], opens)
    assert (i.rule, i.subject, i.due_on, i.missing, i.satisfied) == (
        "assessment_6m",
        "P-0001",
        SIX_MONTHS,
        False,
        False,
    )
    assert i.client_ref is None and i.assignee_email is None
    (late,) = assessment_instances([_row()], closes)
    assert not late.missing
    (gone,) = assessment_instances([_row()], closes + timedelta(days=1))
    assert gone.missing


def test_a_recorded_assessment_satisfies_and_a_withdrawal_ends_the_instance():
    (i,) = assessment_instances([_row(recorded="AS-000001")], SIX_MONTHS)
    assert i.satisfied and i.satisfied_by_ref == "AS-000001" and not i.missing
    assert list(assessment_instances([_row(withdrawn=SIX_MONTHS)], SIX_MONTHS)) == []
    assert len(list(assessment_instances([_row(withdrawn=SIX_MONTHS + timedelta(days=40))], SIX_MONTHS))) == 1


def _world(db):
    """A trial with an IPS participant who is also a client, and a TAU participant."""
    prog = factories.program(db.session)
    manager = factories.user(db.session, role="trial_manager", prog=prog)
    specialist = factories.user(db.session, role="specialist", prog=prog, name="Sigrid Specialist")
    t = builders.trial(db.session, prog=prog, factors=False, arms=ARMS, seed=b"mask")
    people = [builders.enrol(db.session, t, user=manager, on=ENROLLED, name=f"Person {i}") for i in range(4)]
    ips = next(p for p in people if p.referral_id)
    client_rec = referral_accept(
        db.session,
        referral=ips.referral,
        name=ips.name,
        specialist=specialist,
        team_id=None,
        entry_date=ENROLLED,
        status_at_entry="sick_leave",
        birth_date=None,
        user_id=specialist.id,
    )
    db.session.commit()
    return prog, people, ips, client_rec, specialist


def _assessment_prompts(db, rule="assessment_6m") -> dict[str, Prompt]:
    db.session.expire_all()
    return {p.subject_key: p for p in db.session.scalars(select(Prompt).where(Prompt.rule == rule))}


def test_the_sweep_makes_one_prompt_per_participant_from_the_windows_opening(db):
    _prog, people, _ips, client_rec, _s = _world(db)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS - timedelta(days=31)))
    db.session.commit()
    assert _assessment_prompts(db) == {}
    prompts_sweep(db.session, now=_noon(SIX_MONTHS - timedelta(days=30)))
    db.session.commit()
    made = _assessment_prompts(db)
    assert sorted(made) == sorted(p.ref for p in people)
    for p in made.values():
        assert (p.status, p.due_on, p.participant_ref, p.client_id, p.assignee_id) == (
            "open",
            SIX_MONTHS,
            p.subject_key,
            None,
            None,
        )
        assert client_rec.ref not in p.subject_key
    prompts_sweep(db.session, now=_noon(SIX_MONTHS - timedelta(days=30)))
    db.session.commit()
    assert len(_assessment_prompts(db)) == len(people)  # the same sweep again changes nothing


def test_an_assessment_recorded_closes_its_prompt_at_once(db, client, login_as):
    prog, _people, ips, _c, _s = _world(db)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    login_as("assessor", prog=prog)
    response = client.post(
        f"/assess/{ips.ref}/6m", data={"done": "no", "not_done_reason": "not_reached", "mode": "telephone"}
    )
    assert response.status_code == 302
    prompt = _assessment_prompts(db)[ips.ref]
    assert prompt.status == "done" and prompt.satisfied_by.startswith("AS-")
    assert {p.status for k, p in _assessment_prompts(db).items() if k != ips.ref} == {"open"}


def test_the_sweep_closes_a_prompt_whose_assessment_was_recorded(db):
    _prog, people, ips, _c, _s = _world(db)
    assessor = factories.user(db.session, role="assessor", prog=ips.trial.program)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    builders.assess(db.session, ips, user=assessor, timepoint="6m")
    db.session.commit()
    counts = prompts_sweep(db.session, now=_noon(SIX_MONTHS + timedelta(days=1)))
    db.session.commit()
    assert counts.done == 1 and _assessment_prompts(db)[ips.ref].status == "done"


def test_a_prompt_is_missing_once_its_window_closes(db):
    _prog, people, ips, _c, _s = _world(db)
    assessor = factories.user(db.session, role="assessor", prog=ips.trial.program)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    prompts_sweep(db.session, now=_noon(SIX_MONTHS + timedelta(days=30)))
    db.session.commit()
    assert {p.status for p in _assessment_prompts(db).values()} == {"open"}
    builders.assess(db.session, ips, user=assessor, timepoint="6m")
    db.session.commit()
    counts = prompts_sweep(db.session, now=_noon(SIX_MONTHS + timedelta(days=31)))
    db.session.commit()
    statuses = {k: p.status for k, p in _assessment_prompts(db).items()}
    assert statuses.pop(ips.ref) == "done"
    assert set(statuses.values()) == {"missing"} and counts.missing == len(people) - 1
    again = prompts_sweep(db.session, now=_noon(SIX_MONTHS + timedelta(days=32)))
    db.session.commit()
    assert (again.created, again.missing, again.reopened) == (0, 0, 0)


def test_assessment_prompts_do_not_satisfy_the_specialists_outcome_prompt(db):
    _prog, _people, ips, client_rec, _s = _world(db)
    assessor = factories.user(db.session, role="assessor", prog=ips.trial.program)
    builders.assess(db.session, ips, user=assessor, timepoint="6m")
    db.session.commit()
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    outcome = _assessment_prompts(db, "outcome_6m")
    assert outcome[client_rec.ref].status == "open"
    assert ips.ref not in _assessment_prompts(db)  # the assessment satisfied its own rule only


def test_the_assessors_inbox_and_feed_show_the_prompts_masked(db, client, login_as):
    prog, people, ips, client_rec, _s = _world(db)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    assessor = login_as("assessor", prog=prog)
    traces = (*ARM_TRACES, "Sigrid Specialist", client_rec.ref, ips.referral.ref, ips.name)
    inbox = client.get("/prompts/")
    body = inbox.get_data(as_text=True)
    assert inbox.status_code == 200
    assert all(p.ref in body for p in people) and "Trial assessment at 6 months" in body
    assert f"/assess/{ips.ref}/6m" in body
    assert not [t for t in traces if t in body]
    feed = client.get(f"/prompts/feed/{assessor.feed_token}.ics")
    ics = feed.get_data(as_text=True).replace("\r\n ", "")  # unfolded
    assert feed.status_code == 200 and f"participant {ips.ref}" in ics and f"/assess/{ips.ref}" in ics
    assert not [t for t in traces if t in ics]


def test_specialists_and_supervisors_never_see_assessment_prompts(db, client, login_as):
    prog, _people, ips, _client_rec, specialist = _world(db)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    for person in (specialist, factories.user(db.session, role="supervisor", prog=prog)):
        db.session.commit()
        login_as(user=person)
        body = client.get("/prompts/").get_data(as_text=True)
        assert "Trial assessment" not in body and ips.ref not in body
        ics = client.get(f"/prompts/feed/{person.feed_token}.ics").get_data(as_text=True)
        assert ips.ref not in ics
    prompt = _assessment_prompts(db)[ips.ref]
    assert client.post(f"/prompts/{prompt.id}/dismiss", data={"reason": "no"}).status_code == 404


def test_an_assessor_of_another_programme_sees_none(db, client, login_as):
    _prog, _people, ips, _c, _s = _world(db)
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    login_as("assessor", prog=factories.program(db.session, name="Another programme"))
    assert ips.ref not in client.get("/prompts/").get_data(as_text=True)


def test_the_assessors_e_mail_digest_names_participants_only(db):
    prog, people, ips, client_rec, specialist = _world(db)
    assessor = factories.user(db.session, role="assessor", prog=prog, name="Astrid Assessor")
    prompts_sweep(db.session, now=_noon(SIX_MONTHS))
    db.session.commit()
    messages = {m["To"]: m.get_content() for m in digest_messages(db.session, _noon(SIX_MONTHS))}
    mail = messages[assessor.email]
    assert all(f"participant {p.ref}" in mail for p in people)
    traces = (*ARM_TRACES, "Sigrid Specialist", client_rec.ref, ips.referral.ref, ips.name)
    assert not [t for t in traces if t in mail]
    assert ips.ref not in messages.get(specialist.email, "")
