"""The evidence in words summarises: a region's programme has dozens of specialists and hundreds of
declined referrals, and a supervisor's page or report shows counts, not a line for each."""

from __future__ import annotations

from caseload.fidelity.present import FEWEST_SHOWN, REASONS_SHOWN, evidence_lines, log_lines


def test_declined_referrals_are_counted_by_reason_most_common_first(in_request):
    reasons = ["Moved away"] * 3 + ["Wants to wait"] * 5 + [None] + [f"Reason {i}" for i in range(20)]
    ev = {
        "received": 40,
        "by_decision": {"accepted": 11, "declined": len(reasons), "withdrawn": 0, "pending": 0},
        "decline_reasons": [{"ref": f"R-{i:04d}", "reason": why} for i, why in enumerate(reasons)],
    }
    lines = evidence_lines("O6", ev)
    assert lines[1:3] == ["Declined: Wants to wait (5)", "Declined: Moved away (3)"]
    assert len(lines) == 1 + REASONS_SHOWN + 1
    assert lines[-1] == f"Declined for other reasons: {len(reasons) - 5 - 3 - (REASONS_SHOWN - 2)}"
    assert not any("R-0" in line for line in lines)


def test_team_meetings_are_summarised_over_the_specialists_with_the_fewest_named(in_request):
    people = [
        {"email": f"s{i}@x.test", "name": f"Spec {i:02d}", "meetings": 13, "weeks": 13} for i in range(40)
    ]
    people[7]["weeks"], people[3]["weeks"] = 2, 9
    logs = {"team_meetings": {"meetings": 500, "by_specialist": people}}
    lines = log_lines("O2", logs)
    assert lines[0] == "Team meetings attended in the last 13 weeks: 500"
    assert lines[1] == "Specialists with a team meeting every week: 38 of 40; median 13.0 of 13 weeks"
    assert lines[2].startswith("Fewest weeks with a team meeting: Spec 07 (2), Spec 03 (9), Spec 00 (13)")
    assert lines[2].count("(") == FEWEST_SHOWN and len(lines) == 3
    assert log_lines("O2", {"team_meetings": {"meetings": 0, "by_specialist": []}}) == [
        "Team meetings attended in the last 13 weeks: 0"
    ]
