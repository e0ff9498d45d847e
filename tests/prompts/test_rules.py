"""The prompt rules, table-driven with a fake sweep date; the sample bundle's expected prompts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from caseload.prompts.listing import json_row, json_rows
from caseload.prompts.rules import (
    PROGRAM_RULE_NAMES,
    Instance,
    derive_prompts,
    supervisors,
    unique,
)
from caseload.rows import FinalReviewRow, ProgramData, StaffRow
from tests.prompts.rule_cases import (
    CASES,
    ENTRY,
    LAST_CONTACT,
    SPEC,
    START,
    SUP,
    Case,
    add_contact,
    base,
    contact_row,
    d,
)
from tests.sample_rows import EXPECTED, sample_program_data

by_case = pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)


def found(case: Case, data: ProgramData, t: date) -> list[Instance]:
    return [i for i in derive_prompts(data, t) if i.rule == case.rule and i.due_on == case.due]


def is_open(case: Case, data: ProgramData, t: date) -> bool:
    return any(not i.satisfied for i in found(case, data, t))


@by_case
def test_not_prompted_before_its_first_day(case: Case):
    assert not found(case, case.data(), case.due + d(case.first_seen - 1))


@by_case
def test_prompted_from_its_first_day(case: Case):
    assert is_open(case, case.data(), case.due + d(case.first_seen))


@by_case
def test_prompted_on_the_due_day_unless_it_waits_for_the_day_after(case: Case):
    assert is_open(case, case.data(), case.due) is (case.first_seen <= 0)


@by_case
def test_still_prompted_30_days_after_the_due_day(case: Case):
    assert is_open(case, case.data(), case.due + d(30))


@by_case
def test_not_created_more_than_30_days_after_except_fidelity_review(case: Case):
    assert is_open(case, case.data(), case.due + d(31)) is not case.expires


@by_case
def test_a_satisfying_record_leaves_a_satisfied_instance_and_no_open_prompt(case: Case):
    data = case.data()
    case.satisfy(data, case.good)
    [instance] = found(case, data, case.due + d(5))
    assert instance.satisfied
    assert instance.satisfied_by_ref


@by_case
def test_rerun_with_the_same_date_gives_the_same_instances(case: Case):
    data, t = case.data(), case.due + d(5)
    case.satisfy(data, case.good)
    assert derive_prompts(data, t) == derive_prompts(data, t)


@by_case
def test_changing_the_records_date_reopens_the_prompt(case: Case):
    satisfied, moved = case.data(), case.data()
    case.satisfy(satisfied, case.good)
    case.satisfy(moved, case.bad)
    assert not is_open(case, satisfied, case.due + d(5))
    assert is_open(case, moved, case.due + d(5))


@by_case
def test_closing_the_client_voids_client_and_job_prompts(case: Case):
    data, t = case.data(), case.due + d(5)
    data.clients = [replace(data.clients[0], closed_on=t)]
    assert bool(found(case, data, t)) is (case.rule in PROGRAM_RULE_NAMES)


@by_case
def test_ending_the_job_voids_blocks_that_start_after_the_end(case: Case):
    t = case.due + d(5)
    for end, survives in ((case.job_end_kills, False), (case.job_end_keeps, True)):
        if end is None:
            continue
        data = case.data()
        data.jobs = [replace(data.jobs[0], end_date=end)]
        assert bool(found(case, data, t)) is survives, end


def test_changing_the_entry_date_moves_the_due_date():
    data = base()
    data.clients = [replace(data.clients[0], entry_date=ENTRY + d(2))]
    dues = {i.due_on for i in derive_prompts(data, ENTRY + d(6)) if i.rule == "first_contact"}
    assert dues == {ENTRY + d(5)}


def test_a_client_with_no_contact_that_counts_gets_first_contact_not_outreach():
    data = base()
    data.client_contacts = [contact_row("X9", ENTRY + d(1), "phone", "outreach")]
    rules = {i.rule for i in derive_prompts(data, ENTRY + d(20)) if not i.satisfied}
    assert "first_contact" in rules
    assert "outreach" not in rules


@pytest.mark.parametrize(("mode", "purpose"), [("message", "engagement"), ("phone", "outreach")])
def test_messages_and_outreach_attempts_do_not_end_outreach(mode: str, purpose: str):
    data = base(contact=True)
    add_contact(mode, purpose)(data, LAST_CONTACT + d(16))
    t = LAST_CONTACT + d(20)
    assert [i.due_on for i in derive_prompts(data, t) if i.rule == "outreach"] == [LAST_CONTACT + d(14)]


def test_clients_of_an_inactive_specialist_still_get_their_prompts():
    data = base()
    data.staff = [replace(data.staff[0], active=False), data.staff[1]]
    assert any(i.client_ref == "C1" for i in derive_prompts(data, ENTRY + d(3)))


@pytest.mark.parametrize(
    "staff",
    [
        StaffRow(SPEC, "specialist", Decimal(0), True),
        StaffRow(SPEC, "specialist", Decimal(1), False),
    ],
)
def test_weekly_log_review_only_for_specialists_in_scope(staff: StaffRow):
    data = base()
    data.staff = [staff]
    assert not [i for i in derive_prompts(data, date(2025, 3, 12)) if i.rule == "weekly_log_review"]


def test_weekly_log_review_waits_for_the_weeks_sunday_to_pass():
    data = base()
    sunday = date(2025, 3, 9)
    weeks = {i.week_start for i in derive_prompts(data, sunday) if i.rule == "weekly_log_review"}
    assert date(2025, 3, 3) not in weeks
    weeks = {i.week_start for i in derive_prompts(data, sunday + d(1)) if i.rule == "weekly_log_review"}
    assert date(2025, 3, 3) in weeks


@pytest.mark.parametrize(("total", "gap"), [(100, 365), (99, 180), (None, 180)])
def test_fidelity_review_is_due_a_year_after_a_good_review_else_half_a_year(total, gap):
    data = base()
    reviewed = ENTRY + d(80)
    data.final_reviews = [FinalReviewRow(reviewed, total)]
    t = reviewed + d(gap)
    reviews = [i for i in derive_prompts(data, t) if i.rule == "fidelity_review"]
    assert [(i.due_on, i.satisfied) for i in reviews] == [
        (ENTRY + d(90), True),
        (reviewed + d(gap), False),
    ]
    assert reviews[0].satisfied_by_ref == reviewed.isoformat()


def test_monthly_follow_along_is_met_by_a_meeting_and_not_by_a_call():
    block_end = START + d(57)  # the first monthly block: [start + 28, start + 57]
    t = block_end + d(5)
    for mode, met in (("face_to_face", True), ("phone", False), ("video", False)):
        data = base(job=True)
        data.client_contacts.append(contact_row("X7", block_end - d(3), mode, "follow_along"))
        (first,) = [
            i for i in derive_prompts(data, t) if i.rule == "monthly_followup" and i.due_on == block_end
        ]
        assert first.satisfied is met, mode


def test_monthly_follow_along_has_no_end_while_the_job_lasts():
    data = base(job=True)
    t = date(2030, 1, 1)
    monthly = [i for i in derive_prompts(data, t) if i.rule == "monthly_followup"]
    assert monthly
    assert all(t - d(30) <= i.due_on <= t + d(7) for i in monthly)


def test_programme_rules_have_no_assignee_and_are_listed_for_every_supervisor():
    data = base()
    data.staff.append(StaffRow("sup2@example.org", "supervisor", Decimal(1), True))
    review = next(i for i in derive_prompts(data, date(2025, 3, 12)) if i.rule == "weekly_log_review")
    assert review.assignee_email is None
    rows = json_rows(review, "open", supervisors(data))
    assert [r["assignee_email"] for r in rows] == sorted([SUP, "sup2@example.org"])
    assert rows[0]["specialist_email"] == SPEC


def test_client_prompts_go_to_the_clients_specialist():
    [first] = [i for i in derive_prompts(base(), ENTRY) if i.rule == "first_contact"]
    assert first.assignee_email == SPEC
    assert first.why
    assert json_row(first, "open") == {
        "rule": "first_contact",
        "client_ref": "C1",
        "job_ref": None,
        "assignee_email": SPEC,
        "due_on": (ENTRY + d(3)).isoformat(),
        "status": "open",
    }


def test_one_instance_per_key_and_satisfied_wins():
    a = Instance("outreach", ENTRY, "why", client_ref="C1")
    b = replace(a, satisfied=True, satisfied_by_ref="X1")
    assert unique([a, b, a]) == [b]


def test_window_includes_t_minus_30():
    assert {i.rule for i in derive_prompts(base(), ENTRY + d(44)) if i.due_on == ENTRY + d(14)}
    assert not [i for i in derive_prompts(base(), ENTRY + d(45)) if i.due_on == ENTRY + d(14)]


def test_since_reaches_back_for_older_open_prompts():
    t = ENTRY + d(100)
    old = [i for i in derive_prompts(base(), t, since=ENTRY) if i.rule == "first_contact"]
    assert [i.due_on for i in old] == [ENTRY + d(3)]


def _ignored(row: dict, filters: list[dict]) -> bool:
    return any(all(row.get(k) == v for k, v in f.items()) for f in filters)


def test_sample_bundle_prompts_match_the_expected_file():
    expected = json.loads((EXPECTED / "prompts_2025-03-12T1000.json").read_text(encoding="utf-8"))
    data = sample_program_data()
    rows = [
        row
        for i in derive_prompts(data, date(2025, 3, 12))
        if not i.satisfied
        for row in json_rows(i, "open", supervisors(data))
    ]

    def judged(rs: list[dict]) -> list[str]:
        kept = (r for r in rs if not _ignored(r, expected["ignore"]))
        return sorted(json.dumps(r, sort_keys=True) for r in kept)

    assert judged(rows) == judged(expected["prompts"])
