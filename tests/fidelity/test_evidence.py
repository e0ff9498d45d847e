"""The evidence objects of the judgement items (metrics.md "Fidelity evidence")."""

from __future__ import annotations

from caseload.fidelity.evidence import (
    evidence_o6,
    evidence_v1,
    evidence_v2,
    evidence_v3,
    evidence_v5,
    evidence_v12,
    evidence_v14,
)
from caseload.metrics.support import complete_months
from tests.fidelity.builders import (
    ES2,
    benefits,
    client,
    client_contact,
    d,
    employer_contact,
    job,
    plus,
    program,
    referral,
    staff,
)

A = d("2026-09-30")


def _v12(jobs, contacts, entry="2025-01-01"):
    clients = [client(ref, d(entry)) for ref in sorted({j.client_ref for j in jobs})]
    return evidence_v12(program(clients=clients, jobs=jobs, client_contacts=contacts), A).as_json()


def test_v12_pre_start_and_within_3_days_windows_are_inclusive():
    start = d("2026-03-02")
    j1, j2 = job("C1", start), job("C2", start)
    contacts = [
        client_contact("C1", plus(start, -7)),
        client_contact("C1", plus(start, 3)),
        client_contact("C2", plus(start, -8)),  # too early
        client_contact("C2", plus(start, -1), purpose="outreach"),  # not face to face
        client_contact("C2", plus(start, 4)),  # too late
        client_contact("C2", plus(start, 1), mode="phone"),
    ]
    out = _v12([j1, j2], contacts)
    assert out["pre_start"] == {"applicable": 2, "met": 1, "pct": 50.0}
    assert out["within_3_days"] == {"applicable": 2, "met": 1, "pct": 50.0}


def test_v12_counts_jobs_started_between_a_minus_364_and_a_minus_28():
    jobs = [
        job("C1", plus(A, -365)),
        job("C2", plus(A, -364)),
        job("C3", plus(A, -28)),
        job("C4", plus(A, -27)),
        job("C5", d("2024-06-01")),  # before entry: not obtained in IPS
    ]
    out = _v12(jobs, [])
    assert out["pre_start"]["applicable"] == 2
    assert out["pre_start"]["pct"] == 0.0


def test_v12_weekly_month1_needs_each_week_and_the_job_held_on_day_27():
    start = d("2026-03-02")
    weekly = [client_contact("C1", plus(start, 7 * k + 6)) for k in range(4)]
    gap = [client_contact("C2", plus(start, 7 * k)) for k in (0, 1, 3)]
    jobs = [job("C1", start), job("C2", start), job("C3", start, end=plus(start, 26))]
    out = _v12(jobs, weekly + gap)
    assert out["weekly_month1"] == {"applicable": 2, "met": 1, "pct": 50.0}


def monthly_blocks(job, as_of):
    return [b.window for b in complete_months(job, as_of)]


def test_monthly_blocks_stop_at_a_the_job_end_and_one_year():
    start = d("2026-01-01")
    assert [b.start for b in monthly_blocks(job("C1", start), A)][:2] == [
        plus(start, 28),
        plus(start, 58),
    ]
    blocks = monthly_blocks(job("C1", start), A)
    assert blocks[-1].end <= A and plus(blocks[-1].end, 30) > A
    assert monthly_blocks(job("C1", start, end=plus(start, 56)), A) == []
    assert len(monthly_blocks(job("C1", start, end=plus(start, 57)), A)) == 1
    year = monthly_blocks(job("C1", d("2024-01-01")), A)
    assert len(year) == 11 and year[-1].end == d("2024-12-23")  # start + 357 ≤ start + 364


def test_v12_monthly_needs_a_contact_in_every_complete_block():
    start = d("2026-05-01")  # blocks end start+57, +87, +117, +147 (≤ A)
    seen = [client_contact("C1", plus(start, 28 + 30 * m)) for m in range(4)]
    missed = [client_contact("C2", plus(start, 28 + 30 * m)) for m in range(3)]
    jobs = [job("C1", start), job("C2", start), job("C3", start, end=plus(start, 40))]
    out = _v12(jobs, seen + missed)
    assert out["monthly"] == {"applicable": 2, "met": 1, "pct": 50.0}


def test_v12_job_loss_needs_a_contact_that_counts_within_3_days_of_any_job_end():
    ends = [plus(A, -3), plus(A, -364), plus(A, -2), plus(A, -365)]
    jobs = [job(f"C{i}", d("2020-01-01"), end=end) for i, end in enumerate(ends)]
    contacts = [client_contact("C0", plus(ends[0], 3), mode="phone")]
    contacts += [client_contact("C1", plus(ends[1], 1), mode="message")]  # does not count
    out = _v12(jobs, contacts, entry="2021-01-01")
    assert out["job_loss"] == {"applicable": 2, "met": 1, "pct": 50.0}


def test_v12_with_no_jobs_has_null_percentages():
    out = _v12([], [])
    assert all(v == {"applicable": 0, "met": 0, "pct": None} for v in out.values())


def test_v1_sessions_between_entry_and_start_and_trained_planners():
    entry, start = d("2026-01-01"), d("2026-03-01")
    sessions = [
        benefits("C1", entry, trained=True),
        benefits("C1", start),
        benefits("C1", plus(entry, -1)),  # before entry
        benefits("C2", plus(start, 1)),  # after the start
    ]
    data = program(
        clients=[client("C1", entry), client("C2", entry)],
        jobs=[job("C1", start), job("C1", plus(start, 30)), job("C2", start)],
        benefits_sessions=sessions,
    )
    ev = evidence_v1(data, A)
    assert ev.as_json() == {
        "jobs": 3,
        "with_session": 2,
        "pct": 200 / 3,
        "sessions": 2,
        "trained_sessions": 1,
        "trained_pct": 50.0,
    }
    assert ev.refs.benefits_sessions == tuple(sorted([sessions[0].ref, sessions[1].ref]))


def test_v2_disclosure_needs_two_talks_for_clients_in_60_days():
    clients = [client("C1", plus(A, -60)), client("C2", plus(A, -61)), client("C3", plus(A, -59))]
    contacts = [client_contact("C1", plus(A, -k), purpose="disclosure") for k in (1, 2)]
    contacts += [client_contact("C2", plus(A, -1), purpose="disclosure")]
    contacts += [client_contact("C2", plus(A, 1), purpose="disclosure")]  # after A
    rate = evidence_v2(program(clients=clients, client_contacts=contacts), A)
    assert rate.as_json() == {"applicable": 2, "met": 1, "pct": 50.0}
    assert rate.unmet == ("C2",)


def test_v3_profile_started_by_a_for_clients_in_30_days():
    clients = [
        client("C1", plus(A, -30), profile_started_on=A),
        client("C2", plus(A, -40), profile_started_on=plus(A, 1)),
        client("C3", plus(A, -29)),
        client("C4", plus(A, -40), closed_on=A, profile_started_on=A),
    ]
    assert evidence_v3(program(clients=clients), A).as_json() == {
        "applicable": 2,
        "met": 1,
        "pct": 50.0,
    }


def test_v5_job_type_must_suit_every_listed_client():
    day = d("2026-07-01")
    clients = [
        client("C1", d("2026-01-01"), preferred_job_types=("A", "B")),
        client("C2", d("2026-01-01"), preferred_job_types=("B",)),
    ]
    contacts = [
        employer_contact(day, clients=["C1"], job_type="A"),
        employer_contact(day, clients=["C1", "C2"], job_type="B"),
        employer_contact(day, clients=["C1", "C2"], job_type="A"),
        employer_contact(day, clients=["C1"], job_type=None),  # no job type: left out
        employer_contact(day, clients=[], job_type="A"),  # generic: left out
        employer_contact(d("2026-09-28"), clients=["C1"], job_type="A"),  # after the window
        employer_contact(day, clients=["C1"], job_type="A", specialist="boss@x"),
    ]
    staff_rows = [staff(), staff("boss@x", role="supervisor")]
    data = program(staff=staff_rows, clients=clients, employer_contacts=contacts)
    rate = evidence_v5(data, A)
    assert rate.as_json() == {"applicable": 3, "met": 2, "pct": 200 / 3}
    assert rate.unmet == (contacts[2].ref,)


def test_o6_referrals_in_the_job_year_by_decision_with_reasons_sorted():
    referrals = [
        referral("R3", A, "declined", "Under 18"),
        referral("R1", plus(A, -364), "declined", "Not ready"),
        referral("R2", plus(A, -365), "declined", "Old"),
        referral("R4", plus(A, -1), "accepted"),
        referral("R5", plus(A, 1), "pending"),
    ]
    assert evidence_o6(program(referrals=referrals), A).as_json() == {
        "received": 3,
        "by_decision": {"accepted": 1, "declined": 2, "withdrawn": 0, "pending": 0},
        "decline_reasons": [
            {"ref": "R1", "reason": "Not ready"},
            {"ref": "R3", "reason": "Under 18"},
        ],
    }


def test_v14_closures_by_every_reason_and_outreach_in_the_window():
    clients = [
        client("C1", d("2025-01-01"), closed_on=A, closure_reason="moved"),
        client("C2", d("2025-01-01"), closed_on=plus(A, -365), closure_reason="moved"),
        client("C3", d("2025-01-01")),
    ]
    contacts = [
        client_contact("C3", d("2026-07-01"), purpose="outreach", mode="phone"),
        client_contact("C3", d("2026-07-02"), purpose="outreach", staff_email=ES2),
        client_contact("C1", d("2026-09-28"), purpose="outreach"),  # after the window
    ]
    ev = evidence_v14(program(clients=clients, client_contacts=contacts), A).as_json()
    assert ev["closures"] == 1
    assert ev["closures_by_reason"] == {
        "steady_work_transferred": 0,
        "no_longer_wants_work": 0,
        "moved": 1,
        "transferred_to_other_service": 0,
        "deceased": 0,
        "other": 0,
    }
    assert (ev["outreach_contacts"], ev["outreach_clients"]) == (2, 1)
