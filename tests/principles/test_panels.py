"""The eight panels, the phase, the home's lines and the timeline: pure functions over plain rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from caseload.principles.home import (
    ENGAGING,
    FOLLOW_ALONG,
    JOB_SEARCH,
    WORKING,
    client_phase,
    home_rows,
    last_contact,
)
from caseload.principles.panels import DUE, INFO, OK, OVERDUE, panels_for, support_due
from caseload.principles.records import BenefitsLine, ClientFile, EmployerVisit, JobLine, StepLine
from caseload.principles.timeline import timeline_for
from caseload.rows import ClientContactRow
from tests.fidelity import builders as b
from tests.principles.support import client_file, home_file

T = date(2026, 6, 15)


def d(n: int) -> date:
    """``n`` days before T."""
    return T - timedelta(days=n)


def person(entry_days: int = 60, ref: str = "C-000001", **kw) -> ClientFile:
    row = b.client(
        ref,
        d(entry_days),
        "spec@example.test",
        treatment_team_ref=None,
        profile_started_on=kw.pop("profile_started_on", None),
        preferred_job_types=kw.pop("job_types", ()),
    )
    return client_file(row, kw.pop("name", "Kari"), **kw)


def job(
    start: date, *, end: date | None = None, competitive: bool = True, ref: str = "J-000001", **kw
) -> JobLine:
    row = b.job(
        "C-000001", start, end=end, employer="E-0001", job_type=None, competitive=competitive, ref=ref
    )
    why = () if competitive else ("open_to_anyone", "time_limited")
    return JobLine(row, kw.pop("title", "Cook"), "Kiwi", why, kw.pop("end_reason", None))


def contact(
    on: date, *, mode: str = "face_to_face", purpose: str = "follow_along", ref: str = "CC-1"
) -> ClientContactRow:
    return ClientContactRow(
        ref, "C-000001", on, mode, purpose, staff_email="spec@example.test", location="office", minutes=30
    )


def visit(on: date, mode: str = "face_to_face", job_type: str | None = None) -> EmployerVisit:
    return EmployerVisit(
        "EC-1",
        on,
        mode,
        ("C-000001",),
        specialist_email="spec@example.test",
        employer_ref="E-0001",
        job_type=job_type,
        minutes=30,
        employer_name="Kiwi",
    )


def session(on: date) -> BenefitsLine:
    return BenefitsLine("BS-1", "C-000001", on, trained_planner=True, kind="before_job_start")


def panel(f: ClientFile, key: str, today: date = T):
    return next(p for p in panels_for(f, today) if p.principle.key == key)


def text(p) -> str:
    return " | ".join(str(line) for line in p.lines)


def test_eight_panels_in_principle_order():
    assert [p.principle.number for p in panels_for(person(), T)] == list(range(1, 9))


@pytest.mark.parametrize(
    ("entry_days", "visits", "state", "says"),
    [
        # The prompt falls due 21 days after entry; the client page says the same date.
        (12, (), DUE, "12 days since entry, no face-to-face employer contact yet: due 2026-06-24"),
        (25, (), OVERDUE, "25 days since entry"),  # past entry + 21, as the prompt says
        (40, (), OVERDUE, "40 days since entry"),
        (40, (visit(d(30)),), OK, "First face-to-face employer contact 10 days after entry."),
        (40, (visit(d(30), mode="phone"),), OVERDUE, "no face-to-face employer contact yet"),
        (40, (visit(d(45)),), OVERDUE, "no face-to-face employer contact yet"),
    ],
)
def test_rapid_job_search_counts_days_from_entry_to_the_first_face_to_face_contact(
    entry_days, visits, state, says
):
    p = panel(person(entry_days, employer_contacts=visits), "rapid_search")
    assert p.state == state and says in text(p)


def test_benefits_before_each_job_start_yes_or_no():
    f = person(90, jobs=(job(d(50), end=d(40), title="Cook"), job(d(10), title="Cleaner", ref="J-2")))
    f = replace(f, benefits=(session(d(20)),))
    p = panel(f, "benefits")
    assert "Before Cook started on 2026-04-26: no." in text(p)
    assert "Before Cleaner started on 2026-06-05: yes." in text(p)
    assert p.state == OK
    current_without = replace(f, benefits=(session(d(60)),), jobs=(job(d(10), title="Cleaner"),))
    assert panel(current_without, "benefits").state == OK
    assert panel(replace(f, benefits=()), "benefits").state == DUE


def test_competitive_panel_explains_a_job_that_is_not():
    p = panel(person(jobs=(job(d(5), competitive=False),)), "competitive")
    assert p.state == DUE
    assert "not open to anyone" in text(p) and "a time-limited slot" in text(p)
    assert panel(person(jobs=(job(d(5)),)), "competitive").state == OK
    assert panel(person(), "competitive").state == INFO


def test_preferences_profile_due_then_stale_after_a_job_change_then_fresh():
    assert panel(person(10), "preferences").state == DUE
    assert panel(person(20), "preferences").state == OVERDUE
    started = person(60, profile_started_on=d(50), profile_updated_on=d(30), jobs=(job(d(10)),))
    p = panel(started, "preferences")
    assert p.state == DUE and "before the latest job change on 2026-06-05" in text(p)
    fresh = replace(started, profile_updated_on=d(2))
    assert panel(fresh, "preferences").state == OK


def test_preferences_shows_an_overdue_plan_review_and_steps():
    f = person(
        60,
        profile_started_on=d(50),
        plan_review_date=d(1),
        plan_steps=(StepLine(due_date=d(3), done_on=None),),
    )
    p = panel(f, "preferences")
    assert p.state == DUE and "1 open action step, 1 overdue." in text(p)


def test_support_follows_the_blocks_of_a_new_job():
    start = d(10)
    f = person(60, jobs=(job(start),), contacts=(contact(start + timedelta(days=1)),))
    due, missed = support_due(f.jobs[0], f.contacts, T)
    assert due == start + timedelta(days=13)  # week 2 of the job
    assert missed == 1  # nobody met the client in the week before the start
    assert panel(f, "support").state == OVERDUE


def test_monthly_follow_along_is_met_by_a_meeting_not_by_a_call_or_outreach():
    start = d(60)
    contacts = [contact(start - timedelta(days=3)), contact(start + timedelta(days=2))]
    contacts += [contact(start + timedelta(days=7 * k + 1)) for k in (1, 2, 3)]
    f = person(90, jobs=(job(start),), contacts=tuple(contacts) + (contact(d(5)),))
    assert support_due(f.jobs[0], f.contacts, T) == (start + timedelta(days=87), 0)
    for other in (contact(d(5), mode="phone"), contact(d(5), purpose="outreach")):
        g = replace(f, contacts=tuple(contacts) + (other,))
        assert support_due(g.jobs[0], g.contacts, T) == (start + timedelta(days=87), 1)


def test_a_job_that_ended_asks_for_a_contact_within_three_days():
    f = person(90, jobs=(job(d(60), end=d(1)),))
    due, _missed = support_due(f.jobs[0], f.contacts, T)
    assert due == d(1) + timedelta(days=3)
    assert "next follow-along contact due 2026-06-17" in text(panel(f, "support"))


def test_support_panel_counts_outreach_attempts_since_the_last_contact():
    f = person(
        60, contacts=(contact(d(30)), contact(d(10), purpose="outreach"), contact(d(3), purpose="outreach"))
    )
    p = panel(f, "support")
    assert "Last contact: 2026-05-16." in text(p) and "2 outreach attempts since the last contact." in text(p)
    assert p.state == DUE


@pytest.mark.parametrize(
    ("kw", "phase"),
    [
        ({}, ENGAGING),
        ({"profile_started_on": d(5)}, JOB_SEARCH),
        ({"employer_contacts": (visit(d(5)),)}, JOB_SEARCH),
        ({"jobs": (job(d(27)),)}, WORKING),
        ({"jobs": (job(d(28)),)}, FOLLOW_ALONG),
        ({"jobs": (job(d(100), end=d(20)),), "profile_started_on": d(90)}, JOB_SEARCH),
        ({"jobs": (job(d(-5)),)}, ENGAGING),
    ],
)
def test_phase(kw, phase):
    f = person(120, **kw)
    assert client_phase(f.client, [j.row for j in f.jobs], f.employer_contacts, T) == phase


def test_last_contact_ignores_outreach_and_messages():
    f = person(contacts=(contact(d(9)), contact(d(2), purpose="outreach"), contact(d(1), mode="message")))
    assert last_contact(f, T) == d(9)


def test_home_lists_overdue_clients_first_then_the_longest_silence():
    quiet = person(60, ref="C-000002", name="Quiet", contacts=(contact(d(3)),), profile_started_on=d(50))
    late = person(90, ref="C-000003", name="Late", contacts=(contact(d(1)),))
    same = person(60, ref="C-000005", name="Same", contacts=(contact(d(1)),), profile_started_on=d(50))
    fresh = person(0, ref="C-000004", name="Fresh")
    rows = home_rows([home_file(x) for x in (fresh, same, quiet, late)], T)
    assert [r.name for r in rows] == ["Late", "Quiet", "Same", "Fresh"]
    by_name = {r.name: r for r in rows}
    assert by_name["Late"].days_since_contact == 1
    assert "career_profile" in [t.rule for t in by_name["Late"].overdue]
    assert "career_profile" not in [t.rule for t in by_name["Quiet"].todo]
    assert by_name["Fresh"].last_contact is None and not by_name["Fresh"].overdue
    assert [t.rule for t in by_name["Fresh"].todo] == ["outcome_baseline"]


def test_timeline_is_newest_first_and_hides_employer_details_from_clinicians():
    f = person(
        60,
        jobs=(job(d(10), end=d(2), end_reason="laid_off"),),
        contacts=(contact(d(10)),),
        employer_contacts=(visit(d(20)),),
        benefits=(session(d(15)),),
    )
    events = timeline_for(f)
    assert [e.on for e in events] == sorted((e.on for e in events), reverse=True)
    kinds_on_start = [e.kind for e in events if e.on == d(10)]
    assert kinds_on_start == ["job_start", "contact"]
    assert "Employer contact: Kiwi" in " ".join(str(e.text) for e in events)
    assert timeline_for(f, limit=2) == events[:2]
    hidden = timeline_for(f, clinician=True)
    assert "Kiwi (face" not in " ".join(str(e.text) for e in hidden)
    assert all(e.ref is None for e in hidden if e.kind == "employer")


def test_missed_follow_along_blocks_leave_the_home_after_30_days_but_open_tasks_stay():
    f = person(200, jobs=(job(d(100)),), contacts=(contact(d(1), mode="phone"),))
    rules = [t.rule for t in home_rows([home_file(f)], T)[0].todo]
    assert "career_profile" in rules  # never started: still to do, however old
    assert "start_followup" not in rules and "weekly_followup" not in rules  # missed long ago
    recent = person(200, jobs=(job(d(20)),), contacts=(contact(d(1), mode="phone"),))
    assert "start_followup" in [t.rule for t in home_rows([home_file(recent)], T)[0].todo]
