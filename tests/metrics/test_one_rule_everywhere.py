"""One rule, one answer: for the same records, the prompt list (and the home's to-do list, which is
made of the same instances), the client page's panels and the fidelity evidence give the same due
date and the same met/unmet answer for every follow-along block and for rapid job search."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from caseload.fidelity.evidence import evidence_v12
from caseload.metrics import support
from caseload.metrics.due import rapid_job_search_due
from caseload.principles.home import todo_by_client
from caseload.principles.panels import OK, panels_for, support_due
from caseload.principles.records import EmployerVisit, HomeFile, JobLine
from caseload.prompts.rules import derive_prompts
from caseload.rows import ClientContactRow, ProgramData, StaffRow
from tests.fidelity import builders as b
from tests.principles.support import client_file

SPEC = "spec@example.test"
ENTRY = date(2025, 1, 6)
S = date(2025, 3, 3)  # the job's start
END = S + timedelta(days=100)  # the job's end in the job-loss cases


def day(n: int) -> date:
    return S + timedelta(days=n)


def contact(on: date, mode: str = "face_to_face", purpose: str = "follow_along") -> ClientContactRow:
    ref = f"CC-{on.isoformat()}-{mode}"
    return ClientContactRow(ref, "C1", on, mode, purpose, staff_email=SPEC, location="office", minutes=30)


# A meeting in every block but the one under test, so that only that block decides.
BACKGROUND = {
    "pre_start": day(-3),
    "start": day(1),
    "w1": day(8),
    "w2": day(15),
    "w3": day(22),
    "m1": day(30),
}


@dataclass(frozen=True)
class Case:
    rule: str  # the prompt rule
    block: support.Block
    drop: str | None  # the background meeting the case replaces
    evidence: str  # the V12 rate that looks at the block
    end: date | None = None


CASES = [
    Case("pre_start_contact", support.pre_start(S), "pre_start", "pre_start"),
    Case("start_followup", support.first_days(S), "start", "within_3_days"),
    Case("weekly_followup", support.week(S, 2), "w2", "weekly_month1"),
    Case("monthly_followup", support.month(S, 1), "m1", "monthly"),
    Case("job_loss_contact", support.after_loss(END), None, "job_loss", END),
]
MEETING = ("face_to_face", "follow_along")


def _records(case: Case, tested: ClientContactRow | None):
    job_row = replace(b.job("C1", S, end=case.end), ref="J1")
    contacts = [contact(on) for key, on in BACKGROUND.items() if key != case.drop]
    contacts = sorted([*contacts, *([tested] if tested else [])], key=lambda c: c.contact_date)
    client = b.client("C1", ENTRY, SPEC)
    data = ProgramData(
        "P1",
        staff=[StaffRow(SPEC, "specialist", Decimal(1), True)],
        clients=[client],
        jobs=[job_row],
        client_contacts=contacts,
    )
    file = client_file(client, jobs=(JobLine(job_row, "Cook", "Kiwi"),), contacts=tuple(contacts))
    return data, file, HomeFile(client, contacts=tuple(contacts), name="Kari", jobs=(job_row,))


def _answers(case: Case, tested: ClientContactRow | None):
    """(prompt, home, client page, evidence): each a (due date, met) pair or a met flag."""
    data, file, home_file = _records(case, tested)
    t = case.block.window.end  # the block's last day: it is still open on the client page
    (prompt,) = [i for i in derive_prompts(data, t) if i.rule == case.rule and i.due_on == case.block.due_on]
    home = [todo.due_on for todo in todo_by_client([home_file], t).get("C1", ()) if todo.rule == case.rule]
    next_due, _missed = support_due(file.jobs[0], file.contacts, t)
    as_of = (case.end or S) + timedelta(days=60)
    rate = dict(evidence_v12(data, as_of).rates)[case.evidence]
    assert len(rate.applicable) == 1
    return prompt, home, next_due, "J1" in rate.met


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
@pytest.mark.parametrize(
    ("mode", "purpose", "met"),
    [
        ("face_to_face", "follow_along", True),
        ("phone", "follow_along", None),  # met only where a contact that counts is enough
        ("message", "follow_along", False),
        ("face_to_face", "outreach", False),
    ],
)
def test_prompt_home_client_page_and_evidence_agree(case: Case, mode: str, purpose: str, met: bool | None):
    if met is None:
        met = not case.block.face_to_face  # job loss: a call counts; every other block: a meeting
    inside = case.block.window.start + timedelta(days=1)
    prompt, home, next_due, evidence_met = _answers(case, contact(inside, mode, purpose))
    assert prompt.due_on == case.block.due_on
    assert prompt.satisfied is met
    assert evidence_met is met
    # The home lists the unmet instance by the prompt's date; the client page names the same date
    # as the next follow-along contact due, and moves on past it once it is met.
    assert (case.block.due_on in home) is (not met)
    assert (next_due == case.block.due_on) is (not met)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_a_contact_outside_the_block_meets_it_nowhere(case: Case):
    outside = case.block.window.end + timedelta(days=1)
    prompt, home, next_due, evidence_met = _answers(case, contact(outside, *MEETING))
    assert (prompt.satisfied, evidence_met) == (False, False)
    assert case.block.due_on in home and next_due == case.block.due_on


@pytest.mark.parametrize(("mode", "met"), [("face_to_face", True), ("phone", False)])
def test_rapid_job_search_has_one_date_and_one_answer(mode: str, met: bool):
    due = rapid_job_search_due(ENTRY)
    visit = b.employer_contact(ENTRY + timedelta(days=5), specialist=SPEC, clients=("C1",), mode=mode)
    client = b.client("C1", ENTRY, SPEC)
    data = ProgramData("P1", clients=[client], employer_contacts=[visit])
    file = client_file(client, employer_contacts=(EmployerVisit(**asdict(visit), employer_name="Kiwi"),))
    home_file = HomeFile(client, employer_contacts=(visit,), name="Kari")
    t = due + timedelta(days=1)
    (prompt,) = [i for i in derive_prompts(data, t) if i.rule == "rapid_job_search"]
    home = [
        todo.due_on
        for todo in todo_by_client([home_file], t).get("C1", ())
        if todo.rule == "rapid_job_search"
    ]
    page = next(p for p in panels_for(file, t) if p.principle.key == "rapid_search")
    assert prompt.due_on == due and prompt.satisfied is met
    assert (home == [due]) is (not met)
    assert (page.state == OK) is met
    assert met or f"due {due.isoformat()}" in " ".join(str(line) for line in page.lines)
