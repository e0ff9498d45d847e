"""The 12-month employment outcome of one client (metrics.md), corner by corner."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from caseload.outcomes.employment import (
    employment_csv,
    employment_json,
    employment_outcome,
    employment_outcomes,
    hours_in_force,
    summarise,
)
from caseload.rows import ClientRow, HoursChangeRow, JobRow, ProgramData
from tests.fidelity import builders as b

ENTRY = date(2025, 1, 6)  # a Monday
LATE = date(2027, 1, 1)  # every window complete


def client(ref="C-1", entry=ENTRY, closed_on=None, arm=None) -> ClientRow:
    return b.client(ref, entry, "s@x.org", closed_on=closed_on, trial_arm=arm)


def job(start, end=None, hours="14", competitive=True, changes=(), ref="J-1", client_ref="C-1"):
    return JobRow(
        ref,
        client_ref,
        start,
        end,
        employer_ref="E-1",
        hours_per_week=Decimal(hours),
        competitive=competitive,
        job_type=None,
        hours_changes=tuple(changes),
    )


def test_one_job_inside_the_window_counts_its_days_weeks_and_hours():
    outcome = employment_outcome(client(), [job(date(2025, 2, 3), date(2025, 2, 16))], LATE)
    assert (outcome.days_employed, outcome.weeks_employed) == (14, 2)
    assert outcome.hours_worked == 28  # 14 days × 14 h ÷ 7
    assert outcome.days_to_first_job == 28
    assert outcome.any_competitive_employment


def test_concurrent_jobs_count_their_days_once_but_add_their_hours():
    jobs = [
        job(date(2025, 2, 3), date(2025, 2, 16), hours="7", ref="J-1"),
        job(date(2025, 2, 10), date(2025, 2, 23), hours="14", ref="J-2"),
    ]
    outcome = employment_outcome(client(), jobs, LATE)
    assert outcome.days_employed == 21
    assert outcome.weeks_employed == 3
    assert outcome.hours_worked == 14 + 28


def test_adjacent_jobs_merge_without_double_counting():
    jobs = [
        job(date(2025, 2, 3), date(2025, 2, 9), ref="J-1"),
        job(date(2025, 2, 10), date(2025, 2, 16), ref="J-2"),
    ]
    assert employment_outcome(client(), jobs, LATE).days_employed == 14


def test_hours_changes_apply_from_their_effective_date():
    change = HoursChangeRow(date(2025, 2, 10), Decimal("35"))
    j = job(date(2025, 2, 3), date(2025, 2, 16), hours="7", changes=[change])
    assert hours_in_force(j, date(2025, 2, 9)) == 7
    assert hours_in_force(j, date(2025, 2, 10)) == 35
    assert employment_outcome(client(), [j], LATE).hours_worked == 7 + 35


def test_an_hours_change_before_the_window_sets_the_hours_in_force_at_entry():
    change = HoursChangeRow(date(2024, 12, 1), Decimal("21"))
    j = job(date(2024, 11, 4), date(2025, 1, 12), hours="7", changes=[change])
    outcome = employment_outcome(client(), [j], LATE)
    assert outcome.days_employed == 7  # 6–12 January only
    assert outcome.hours_worked == 21
    assert outcome.days_to_first_job is None  # the job was kept from before entry


def test_fractional_hours_stay_exact():
    j = job(date(2025, 2, 3), date(2025, 2, 3), hours="7.5")
    assert employment_outcome(client(), [j], LATE).hours_worked == Fraction(15, 14)


def test_a_job_running_past_the_window_is_cut_at_entry_plus_364():
    outcome = employment_outcome(client(), [job(date(2025, 12, 29), date(2026, 3, 1))], LATE)
    assert outcome.window_end == date(2026, 1, 5)
    assert outcome.days_employed == 8  # 29 Dec 2025 – 5 Jan 2026
    assert outcome.window_complete


def test_a_job_starting_after_the_window_counts_no_days_but_gives_days_to_first_job():
    outcome = employment_outcome(client(), [job(date(2026, 2, 2))], LATE)
    assert outcome.days_employed == 0
    assert not outcome.any_competitive_employment
    assert outcome.days_to_first_job == (date(2026, 2, 2) - ENTRY).days


def test_an_ongoing_job_counts_up_to_the_as_of_date():
    as_of = date(2025, 3, 2)
    outcome = employment_outcome(client(), [job(date(2025, 2, 24))], as_of)
    assert outcome.window_end == as_of
    assert not outcome.window_complete
    assert outcome.days_employed == 7
    assert outcome.hours_worked == 14


def test_a_job_ending_after_the_as_of_date_counts_only_up_to_it():
    outcome = employment_outcome(client(), [job(date(2025, 2, 24), date(2025, 6, 1))], date(2025, 3, 2))
    assert outcome.days_employed == 7


def test_a_job_starting_after_the_as_of_date_is_not_yet_a_first_job():
    outcome = employment_outcome(client(), [job(date(2025, 4, 1))], date(2025, 3, 2))
    assert outcome.days_to_first_job is None


def test_iso_weeks_across_new_year_are_counted_once():
    # 29 Dec 2025 – 4 Jan 2026 is ISO week 2026-W01 on both sides of New Year.
    entry = date(2025, 6, 2)
    outcome = employment_outcome(client(entry=entry), [job(date(2025, 12, 29), date(2026, 1, 4))], LATE)
    assert (outcome.days_employed, outcome.weeks_employed) == (7, 1)
    # 31 Dec 2026 (week 53 of 2026) and 1 Jan 2027 (also 2026-W53): still one week.
    entry = date(2026, 6, 1)
    outcome = employment_outcome(
        client(entry=entry), [job(date(2026, 12, 31), date(2027, 1, 1))], date(2027, 6, 1)
    )
    assert outcome.weeks_employed == 1


def test_a_sunday_and_the_next_monday_are_two_weeks():
    outcome = employment_outcome(client(), [job(date(2025, 2, 9), date(2025, 2, 10))], LATE)
    assert (outcome.days_employed, outcome.weeks_employed) == (2, 2)


def test_non_competitive_jobs_do_not_count():
    outcome = employment_outcome(client(), [job(date(2025, 2, 3), competitive=False)], LATE)
    assert outcome.days_employed == 0
    assert outcome.days_to_first_job is None


def test_a_closed_client_is_listed_and_keeps_the_full_window():
    closed = client(closed_on=date(2025, 3, 1))
    outcome = employment_outcome(closed, [job(date(2025, 2, 24), date(2025, 4, 6))], LATE)
    assert outcome.window_end == ENTRY + timedelta(days=364)
    assert outcome.days_employed == 42  # intention to treat: work after closure still counts
    data = ProgramData("P", clients=[closed, client("C-2", entry=date(2027, 2, 1))])
    assert [o.client_ref for o in employment_outcomes(data, LATE)] == ["C-1"]


def test_summary_gives_means_medians_and_arms():
    data = ProgramData(
        "P",
        clients=[client("C-1", arm="ips"), client("C-2", arm="control"), client("C-3", arm="ips")],
        jobs=[job(date(2025, 2, 3), date(2025, 2, 16), client_ref="C-1")],
    )
    result = employment_json(data, LATE)
    assert result["summary"]["all"]["n"] == 3
    assert result["summary"]["all"]["median_days"] == 0
    assert abs(result["summary"]["all"]["any_employment_pct"] - 33.333333) < 1e-6
    assert result["summary"]["by_arm"]["ips"]["median_days"] == 7
    assert result["summary"]["by_arm"]["control"]["any_employment_pct"] == 0.0
    assert list(result["summary"]["by_arm"]) == ["control", "ips"]


def test_summary_covers_complete_windows_only_and_counts_the_others_apart():
    recent = ENTRY + timedelta(days=300)  # 65 days short of 12 months on A
    a = ENTRY + timedelta(days=364)  # C-1's window is complete exactly on A
    data = ProgramData(
        "P",
        clients=[client("C-1", arm="ips"), client("C-2", recent, arm="ips"), client("C-3", recent)],
        jobs=[
            job(date(2025, 2, 3), date(2025, 2, 16), client_ref="C-1"),
            job(a, client_ref="C-2", ref="J-2"),
        ],
    )
    result = employment_json(data, a)
    assert len(result["clients"]) == 3
    assert result["summary"]["all"] == {
        "n": 1,
        "n_incomplete": 2,
        "any_employment_pct": 100.0,
        "mean_days": 14.0,
        "median_days": 14,
        "mean_weeks": 2.0,
        "mean_hours": 28.0,
        "median_hours": 28.0,
    }
    assert (result["summary"]["by_arm"]["ips"]["n"], result["summary"]["by_arm"]["ips"]["n_incomplete"]) == (
        1,
        1,
    )


def test_summary_of_nobody_is_null_and_no_arms_gives_an_empty_by_arm():
    assert summarise([])["mean_days"] is None
    assert summarise([])["n"] == 0
    assert employment_json(ProgramData("P", clients=[client()]), LATE)["summary"]["by_arm"] == {}


def test_csv_extract_has_one_row_per_client():
    data = ProgramData("P", clients=[client(arm="ips")], jobs=[job(date(2025, 2, 3), date(2025, 2, 3))])
    lines = employment_csv(employment_outcomes(data, LATE)).splitlines()
    assert lines[0].startswith("client_ref,trial_arm,entry_date,window_end,window_complete")
    assert lines[1] == "C-1,ips,2025-01-06,2026-01-05,true,1,1,2.000000,28"


def _day_by_day(entry: date, jobs: list[JobRow], as_of: date) -> tuple[int, int, Fraction]:
    """metrics.md read literally: every day of the window, every job held that day."""
    end = min(entry + timedelta(days=364), as_of)
    days, mondays, hours = 0, set(), Fraction(0)
    day = entry
    while day <= end:
        held = [j for j in jobs if j.competitive and j.held_on(day)]
        if held:
            days += 1
            mondays.add(day - timedelta(days=day.weekday()))
        hours += sum((Fraction(hours_in_force(j, day)) / 7 for j in held), Fraction(0))
        day += timedelta(days=1)
    return days, len(mondays), hours


def _change(start: date, rng: random.Random) -> HoursChangeRow:
    return HoursChangeRow(start + timedelta(days=rng.randrange(1, 90)), Decimal(rng.choice(["7.5", "30"])))


def test_days_weeks_and_hours_agree_with_a_day_by_day_count():
    rng = random.Random(8)
    for _ in range(150):
        entry = ENTRY + timedelta(days=rng.randrange(7))
        jobs = []
        for k in range(rng.randrange(5)):
            start = entry + timedelta(days=rng.randrange(-60, 400))
            end = None if rng.random() < 0.3 else start + timedelta(days=rng.randrange(0, 120))
            changes = sorted(
                (_change(start, rng) for _ in range(rng.randrange(3))), key=lambda c: c.effective_from
            )
            jobs.append(
                job(start, end, rng.choice(["4", "12.25", "37.5"]), rng.random() < 0.8, changes, f"J-{k}")
            )
        as_of = entry + timedelta(days=rng.randrange(0, 500))
        outcome = employment_outcome(client(entry=entry), jobs, as_of)
        expected = _day_by_day(entry, jobs, as_of)
        assert (outcome.days_employed, outcome.weeks_employed, outcome.hours_worked) == expected
