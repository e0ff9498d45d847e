"""The computed items S1, V4, V6, V8, V9, V10, V13 and O1 on small, hand-made programmes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from caseload.fidelity.scoring import (
    compute_fidelity,
    item_o1,
    item_s1,
    item_v4,
    item_v6,
    item_v8,
    item_v9,
    item_v10,
    item_v13,
)
from tests.fidelity.builders import (
    ES,
    ES2,
    client,
    client_contact,
    d,
    employer_contact,
    job,
    plus,
    program,
    review,
    staff,
)

A = d("2026-09-30")  # a Wednesday; activity window 2026-06-29 .. 2026-09-27


def test_s1_with_no_specialist_in_scope_is_null():
    data = program(staff=[staff(active=False), staff(ES2, fte="0"), staff("s@x", role="supervisor")])
    item = item_s1(data, A)
    assert (item.value, item.score) == (None, None)


def test_s1_with_specialists_but_no_active_clients_is_zero_and_scores_5():
    data = program(clients=[client("C1", plus(A, 1)), client("C2", d("2026-01-01"), closed_on=A)])
    item = item_s1(data, A)
    assert (item.value, item.score) == (0, 5)


def test_s1_divides_by_fte_exactly():
    # 21 clients on 1.05 fte is exactly 20: float division would say 20.000000000000004.
    data = program(staff=[staff(fte="1.05")], clients=[client(f"C{i}", d("2026-01-01")) for i in range(21)])
    item = item_s1(data, A)
    assert item.value == 20 and item.score == 5
    assert len(item.refs.clients) == 21


def test_s1_counts_only_clients_of_specialists_in_scope():
    data = program(
        staff=[staff(), staff(ES2, active=False)],
        clients=[client("C1", d("2026-01-01")), client("C2", d("2026-01-01"), specialist=ES2)],
    )
    assert item_s1(data, A).refs.clients == ("C1",)


def test_v4_counts_days_to_first_face_to_face_contact_and_waiting_clients():
    entry = d("2026-03-01")
    clients = [
        client("C1", entry),  # contact after 10 days
        client("C2", entry),  # phone only, still waiting: A - entry days
        client("C3", plus(A, -20)),  # too early to tell: left out
        client("C4", entry, closed_on=plus(entry, 40)),  # left waiting after 40 days
        client("C5", plus(A, -365)),  # entered before the job year
    ]
    contacts = [
        employer_contact(plus(entry, -5), clients=["C1"]),  # before entry: ignored
        employer_contact(plus(entry, 10), clients=["C1", "C9"]),
        employer_contact(plus(entry, 3), clients=["C2"], mode="phone"),
        employer_contact(plus(A, 5), clients=["C2"]),  # after A: not yet made
    ]
    item = item_v4(program(clients=clients, employer_contacts=contacts), A)
    waited = (A - entry).days
    assert item.value == Fraction(10 + waited + 40, 3)
    assert dict(item.extra) == {"median": 40, "n": 3, "pct_within_30": 100 / 3}
    assert item.refs.clients == ("C1", "C2", "C4")
    assert item.refs.employer_contacts == (contacts[1].ref,)


def test_v4_client_waiting_exactly_30_days_is_counted():
    item = item_v4(program(clients=[client("C1", plus(A, -30)), client("C2", plus(A, -29))]), A)
    assert dict(item.extra)["n"] == 1 and item.value == 30 and item.score == 5


def test_v4_with_nobody_to_measure_is_null():
    item = item_v4(program(), A)
    assert (item.value, item.score, dict(item.extra)["n"]) == (None, None, 0)


def test_v6_counts_face_to_face_contacts_in_window_per_week_per_fte():
    window_days = [d("2026-06-29"), d("2026-09-27"), d("2026-07-15")]
    contacts = [employer_contact(day) for day in window_days for _ in range(26)]
    contacts += [employer_contact(d("2026-06-28")), employer_contact(d("2026-09-28"))]
    contacts += [employer_contact(d("2026-07-01"), mode="phone")]
    contacts += [employer_contact(d("2026-07-01"), specialist=ES2) for _ in range(13)]
    reviews = [review(plus(d("2026-06-29"), 7 * k), who) for k in range(13) for who in (ES, ES2)]
    data = program(staff=[staff(), staff(ES2, fte="0.5")], employer_contacts=contacts, weekly_reviews=reviews)
    item = item_v6(data, A)
    assert item.value == (6 + 2) / Fraction(2)  # ES: 78/13 = 6; ES2: 13/13/0.5 = 2
    assert item.score == 3
    assert dict(item.extra)["review_coverage"] == 1.0
    assert len(item.refs.employer_contacts) == 78 + 13


def test_v6_review_about_monthly_caps_the_score_at_3():
    contacts = [employer_contact(d("2026-07-01")) for _ in range(100)]
    reviews = [review(plus(d("2026-06-29"), 7 * k)) for k in range(9)]
    reviews += [review(d("2026-06-22")), review(d("2026-09-28"))]  # outside the window
    item = item_v6(program(employer_contacts=contacts, weekly_reviews=reviews), A)
    assert dict(item.extra)["review_coverage"] == 9 / 13
    assert item.score == 3


def test_v6_without_working_tracking_caps_the_score_at_2():
    contacts = [employer_contact(d("2026-07-01")) for _ in range(100)]
    reviews = [review(plus(d("2026-06-29"), 7 * k)) for k in range(2)]  # 2 of 13 weeks < 0.2
    item = item_v6(program(employer_contacts=contacts, weekly_reviews=reviews), A)
    assert item.score == 2


def test_v6_ten_reviewed_weeks_of_13_is_enough():
    reviews = [review(plus(d("2026-06-29"), 7 * k)) for k in range(10)]
    contacts = [employer_contact(d("2026-07-01")) for _ in range(78)]
    item = item_v6(program(employer_contacts=contacts, weekly_reviews=reviews), A)
    assert item.score == 5


def _jobs_data(*jobs, entry="2025-01-01"):
    refs = sorted({j.client_ref for j in jobs})
    return program(clients=[client(ref, d(entry)) for ref in refs], jobs=list(jobs))


def test_v8_counts_distinct_job_types_of_jobs_obtained_in_the_job_year():
    data = _jobs_data(
        job("C1", d("2026-01-01"), job_type="A"),
        job("C2", d("2026-02-01"), job_type="A"),
        job("C3", d("2026-03-01"), job_type="B"),
        job("C4", d("2026-03-01"), job_type=None),  # no job type: left out
        job("C5", d("2025-09-30"), job_type="C"),  # before the job year
        job("C6", d("2024-12-01"), job_type="D"),  # before entry: not obtained in IPS
    )
    item = item_v8(data, A)
    assert item.value == Fraction(200, 3) and item.score == 3 and dict(item.extra) == {"jobs": 3}


def test_v9_counts_distinct_employers_of_jobs_started_in_the_job_year():
    data = _jobs_data(
        job("C1", d("2025-10-01"), employer="E1"),
        job("C2", d("2026-02-01"), employer="E2", job_type=None),
        job("C3", d("2026-10-01"), employer="E3"),  # after A
    )
    item = item_v9(data, A)
    assert item.value == 100 and item.score == 5 and dict(item.extra) == {"jobs": 2}


def test_v8_v9_with_no_jobs_are_null():
    assert (item_v8(program(), A).value, item_v9(program(), A).score) == (None, None)


def test_v10_counts_every_job_held_on_a_and_scores_1_under_10_jobs():
    jobs = [job(f"C{i}", d("2024-01-01"), competitive=i != 0) for i in range(10)]
    jobs += [job("C1", d("2026-01-01"), end=plus(A, -1)), job("C2", plus(A, 1))]
    data = _jobs_data(*jobs)
    closed = [c if c.ref != "C3" else client("C3", d("2025-01-01"), closed_on=A) for c in data.clients]
    data.clients = closed  # a closed client's job still counts
    item = item_v10(data, A)
    assert dict(item.extra) == {"jobs": 10} and item.value == 90 and item.score == 4
    item9 = item_v10(_jobs_data(*jobs[1:10]), A)
    assert (item9.value, item9.score) == (100, 1)
    assert (item_v10(program(), A).value, item_v10(program(), A).score) == (None, None)


def test_v10_job_ending_on_a_is_held():
    item = item_v10(_jobs_data(job("C1", d("2026-01-01"), end=A)), A)
    assert dict(item.extra) == {"jobs": 1}


def test_v13_is_the_share_of_scheduled_hours_in_the_community_with_logged_share_as_evidence():
    day = d("2026-07-01")
    contacts = [
        client_contact("C1", day, minutes=30, location="community"),
        client_contact("C1", day, minutes=30, location="home", purpose="outreach"),  # not f2f
        client_contact("C1", day, minutes=20, location="office"),
        client_contact("C1", day, minutes=10, mode="phone", location="remote"),
        client_contact("C1", d("2026-09-28"), minutes=500, location="community"),  # after window
        client_contact("C1", day, staff_email=ES2, minutes=50, location="workplace"),
    ]
    ecs = [employer_contact(day, minutes=10), employer_contact(day, minutes=10, mode="phone")]
    data = program(
        staff=[staff(), staff(ES2, fte="0.5"), staff("idle@x")],
        client_contacts=contacts,
        employer_contacts=ecs,
        full_time_hours=Decimal(40),
    )
    item = item_v13(data, A)
    week = 40 * 60 * 13  # a 40-hour full-time week over the 13 weeks, in minutes
    # ES: 40 community minutes of a full week; ES2: 50 of half a week; idle: none, counted as 0.
    assert item.value == (Fraction(100 * 40, week) + Fraction(100 * 50, week // 2) + 0) / 3
    assert item.score == 1
    assert [p.email for p in item.by_specialist] == [ES, ES2, "idle@x"]
    assert item.by_specialist[2].value == 0
    # logged_pct: ES 40/110, ES2 100 %; idle has nothing logged and is left out of that mean.
    assert dict(item.extra)["logged_pct"] == float((Fraction(4000, 110) + 100) / 2)


def test_v13_twelve_of_fifteen_logged_hours_outside_is_not_excellent_on_a_full_week():
    day = d("2026-07-01")
    contacts = [client_contact("C1", day, minutes=12 * 60, location="community")]
    contacts += [client_contact("C1", day, minutes=3 * 60, location="office")]
    data = program(client_contacts=contacts)
    item = item_v13(data, A)  # default week 37.5 hours
    assert item.value == Fraction(100 * 12 * 60, int(Decimal("37.5") * 60 * 13))
    assert item.score == 1
    assert dict(item.extra)["logged_pct"] == 80.0


def test_v13_without_specialists_in_scope_is_null():
    item = item_v13(program(staff=[staff(active=False)]), A)
    assert (item.value, item.score, dict(item.extra)["logged_pct"]) == (None, None, None)


def test_v13_with_specialists_but_no_logged_minutes_is_zero():
    item = item_v13(program(), A)
    assert (item.value, item.score, dict(item.extra)["logged_pct"]) == (0, 1, None)


def _o1(staff_rows, clients):
    return item_o1(program(staff=staff_rows, clients=clients), A)


def test_o1_share_of_caseload_from_the_specialists_teams():
    clients = [client(f"C{i}", d("2026-01-01"), treatment_team_ref="T1") for i in range(9)]
    clients += [client("C9", d("2026-01-01"), treatment_team_ref="T3")]
    item = _o1([staff(teams=("T1", "T2"))], clients)
    assert (item.value, item.score) == (90, 5)


def test_o1_three_teams_or_none_scores_2_and_is_left_out_of_the_value():
    clients = [client("C1", d("2026-01-01")), client("C2", d("2026-01-01"), specialist=ES2)]
    clients += [client("C3", d("2026-01-01"), specialist="es3@x")]
    rows = [staff(teams=("T1",)), staff(ES2, teams=("T1", "T2", "T3")), staff("es3@x", teams=())]
    item = _o1(rows, clients)
    assert item.value == 100
    assert item.score == 3  # mean of 5, 2, 2 = 3


def test_o1_mean_score_rounds_half_up():
    clients = [client("C1", d("2026-01-01")), client("C2", d("2026-01-01"), specialist=ES2)]
    item = _o1([staff(), staff(ES2, teams=())], clients)
    assert item.score == 4  # (5 + 2) / 2 = 3.5 → 4
    clients += [client("C3", d("2026-01-01"), specialist=ES2, treatment_team_ref="T9")]
    item = _o1([staff(), staff(ES2, teams=("T1",))], clients)
    assert item.score == 4 and item.value == 75  # ES 100 % → 5, ES2 50 % → 3: 4


def test_o1_specialist_with_teams_and_no_active_clients_is_left_out():
    item = _o1([staff(), staff(ES2)], [client("C1", d("2026-01-01"))])
    assert (item.value, item.score) == (100, 5)


def test_o1_with_no_specialist_having_one_or_two_teams_is_null_and_scores_2():
    item = _o1([staff(teams=())], [client("C1", d("2026-01-01"))])
    assert (item.value, item.score) == (None, 2)
    assert _o1([], []).score == 2


def test_compute_fidelity_has_every_item_and_evidence_in_the_cli_shape():
    result = compute_fidelity(program(), A).as_json()
    assert result["activity_window"] == {"start": "2026-06-29", "end": "2026-09-27"}
    assert list(result["items"]) == ["S1", "V4", "V6", "V8", "V9", "V10", "V13", "O1"]
    assert set(result["evidence"]) == {"V12", "V1", "V2", "V3", "V5", "O6", "V14"}
    assert result["items"]["V6"] == {"value": 0.0, "score": 1, "review_coverage": 0.0}


def test_own_work_keeps_one_specialists_clients_contacts_and_jobs():
    from caseload.fidelity.own_work import own_work

    day = d("2026-07-01")
    data = program(
        staff=[staff(), staff(ES2)],
        clients=[client("C1", d("2026-01-01")), client("C2", d("2026-01-01"), specialist=ES2)],
        jobs=[job("C1", day), job("C2", day)],
        employer_contacts=[employer_contact(day), employer_contact(day, specialist=ES2)],
        client_contacts=[client_contact("C2", day), client_contact("C2", day, staff_email=ES2)],
    )
    mine = own_work(data, ES)
    assert [s.email for s in mine.staff] == [ES] and [c.ref for c in mine.clients] == ["C1"]
    assert [j.client_ref for j in mine.jobs] == ["C1"]
    assert [e.specialist_email for e in mine.employer_contacts] == [ES]
    assert [c.staff_email for c in mine.client_contacts] == [ES]  # covering a colleague's client
    assert compute_fidelity(mine, A).items["S1"].value == 1
