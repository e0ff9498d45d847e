"""Prompts as the rows of ``prompts list --json`` (cli.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from caseload.prompts.rules import Instance


@dataclass(frozen=True, slots=True)
class Listed:
    """A stored prompt as the listing shows it: refs and e-mails in place of ids."""

    rule: str
    client_ref: str | None
    job_ref: str | None
    specialist_email: str | None
    week_start: date | None
    assignee_email: str | None
    due_on: date
    program_ref: str
    participant_ref: str | None = None


def json_row(p: Listed | Instance, status: str) -> dict[str, Any]:
    """One prompt in the JSON shape of cli.md."""
    row: dict[str, Any] = {
        "rule": p.rule,
        "client_ref": p.client_ref,
        "job_ref": p.job_ref,
        "assignee_email": p.assignee_email,
        "due_on": p.due_on.isoformat(),
        "status": status,
    }
    if p.rule == "weekly_log_review":
        row["specialist_email"] = p.specialist_email
        row["week_start"] = p.week_start.isoformat() if p.week_start else None
    if p.rule == "fidelity_review":  # a programme's own rule: which programme it is about
        row["program_ref"] = p.program_ref
    if p.participant_ref:  # a trial assessment: the study ref, never a client
        row["participant_ref"] = p.participant_ref
    return row


def json_rows(p: Listed | Instance, status: str, people: list[str]) -> list[dict[str, Any]]:
    """The prompt's rows: an unassigned prompt once per person it is shown to (a programme's
    supervisors, or its assessors for an assessment prompt)."""
    row = json_row(p, status)
    if p.assignee_email is not None or not people:
        return [row]
    return [{**row, "assignee_email": s} for s in people]
