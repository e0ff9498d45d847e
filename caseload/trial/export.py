"""The statistician's analysis export: one row per participant per timepoint, a codebook, and
the lock's manifest (lock date, SHA-256 of the canonical CSV, post-lock corrections).

The CSV is for statistical software: text is written as it is (no spreadsheet apostrophes);
the codebook says so. ``.dta`` and ``.sav`` carry the same rows with variable and value labels
(categories numbered 1, 2, … in the codebook's order; yes/no as 1/0).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caseload.metrics.trial import ASSESSMENT_MODES, NOT_DONE_REASONS, assessment_due
from caseload.metrics.trial_flow import FLOW_STATES, NO_ASSESSMENT
from caseload.outcomes.proms import odi_percent
from caseload.trial.reports.consort import latest_assessments, participant_state
from caseload.trial.reports.rows import AssessmentRow, ParticipantRow, TimepointRow, TrialData

FORMATS = ("csv", "dta", "sav")
YES_NO = (("1", "yes"), ("0", "no"))
CSV_NOTE = (
    "Text is written as it is, for statistical software: no cell is altered to stop a spreadsheet "
    "running it, so open this file in a statistics package, not a spreadsheet."
)


@dataclass(frozen=True)
class Variable:
    """One column: name, label, type (string, integer, numeric, date, yesno, category) and, for a
    category, its codes with their labels. An answer of the assessment (``ANSWERS``) is read from a
    done assessment by ``read``, or else as the assessment's field of the column's name."""

    name: str
    label: str
    kind: str
    values: tuple[tuple[str, str], ...] = ()
    read: Callable[[AssessmentRow], object] | None = None

    def values_text(self) -> str:
        pairs = YES_NO if self.kind == "yesno" else self.values
        return "; ".join(f"{code}={label}" for code, label in pairs)

    def answer(self, done: AssessmentRow | None) -> object:
        """This answer in the row of an assessment; None unless it was done."""
        if done is None:
            return None
        return self.read(done) if self.read else getattr(done, self.name)


def _benefits(done: AssessmentRow) -> str | None:
    return ";".join(done.benefits) if done.benefits else None


def _odi_section(i: int) -> Callable[[AssessmentRow], int | None]:
    return lambda done: done.odi[i - 1] if done.odi else None


def _odi_percent(done: AssessmentRow) -> float | None:
    percent = odi_percent(done.odi) if done.odi else None
    return None if percent is None else round(float(percent), 4)


# The assessment's answers, in the export's order: blank unless the assessment was done.
ANSWERS = (
    Variable("mode", "Mode of the assessment", "category", tuple((m, m) for m in ASSESSMENT_MODES)),
    Variable("job_now", "In a competitive job on the day", "yesno"),
    Variable("hours_week", "Hours a week in that job", "numeric"),
    Variable("sick_leave_pct", "Sick-leave grade on the day (%)", "integer"),
    Variable("benefits", "Benefits held on the day (codes separated by ';')", "string", read=_benefits),
    Variable("disability_pct", "Disability pension grade (%)", "integer"),
    Variable("employed_since_last", "Any competitive job since the last assessment", "yesno"),
    Variable("weeks", "Weeks worked since the last assessment", "integer"),
    Variable("days", "Days worked since the last assessment", "integer"),
    Variable("hours", "Hours worked since the last assessment", "numeric"),
    *(
        Variable(f"odi_{i}", f"ODI section {i} score (0-5)", "integer", read=_odi_section(i))
        for i in range(1, 11)
    ),
    Variable("odi_percent", "ODI % (at least 8 sections answered)", "numeric", read=_odi_percent),
    Variable("eq_vas", "EQ VAS (0-100)", "integer"),
    Variable("pain_nrs", "Pain NRS (0-10)", "integer"),
    Variable("unmasked", "The assessor recorded learning the arm", "yesno"),
)


def variables(data: TrialData) -> list[Variable]:
    """The export's columns in order, with their labels and values."""
    timepoints = tuple((t.code, t.code) for t in data.timepoints)
    return [
        Variable("participant", "Participant study ref", "string"),
        Variable("arm", "Arm allocated (intention to treat)", "category", data.arms),
        Variable("stratum", "Stratum at randomisation", "string"),
        Variable("sequence", "Allocation sequence number", "integer"),
        Variable("enrolled_on", "Date of enrolment and randomisation", "date"),
        Variable("received", "Received the allocated intervention", "yesno"),
        Variable("withdrawn_on", "Date withdrawn from the trial", "date"),
        Variable("timepoint", "Assessment timepoint", "category", timepoints),
        Variable("target_on", "Target date of the assessment", "date"),
        Variable(
            "status", "Follow-up state at the export date", "category", tuple((s, s) for s in FLOW_STATES)
        ),
        Variable(
            "not_done_reason",
            "Why the assessment was not done",
            "category",
            tuple((r, r) for r in (*NOT_DONE_REASONS, NO_ASSESSMENT)),
        ),
        Variable("assessed_on", "Date of the assessment", "date"),
        *ANSWERS,
    ]


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def _row(person: ParticipantRow, timepoint: TimepointRow, record: AssessmentRow | None, as_of: date) -> list:
    state, reason = participant_state(person, timepoint, record, as_of)
    done = record if record is not None and record.done else None
    return [
        person.ref,
        person.arm,
        person.stratum,
        person.sequence,
        person.enrolled_on,
        person.received,
        person.withdrawn_on,
        timepoint.code,
        assessment_due(person.enrolled_on, timepoint.code, timepoint.window_days).target,
        state,
        reason if state == "lost" else (record.not_done_reason if record and not record.done else None),
        record.assessed_on if record else None,
        *(var.answer(done) for var in ANSWERS),
    ]


def export_rows(data: TrialData, as_of: date) -> list[list]:
    """One row per randomised participant per timepoint (by ref, then the schedule's order)."""
    records = latest_assessments(data.assessments, as_of)
    people = sorted((p for p in data.participants if p.enrolled_on <= as_of), key=lambda p: p.ref)
    return [
        _row(person, timepoint, records.get((person.ref, timepoint.code)), as_of)
        for person in people
        for timepoint in data.timepoints
    ]


def _text(value: object) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def canonical_csv(data: TrialData, as_of: date) -> bytes:
    """The data as canonical CSV: UTF-8, comma, LF line ends, minimal quoting, ISO dates, yes/no
    as 1/0, empty for missing. Its SHA-256 is the lock's checksum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([v.name for v in variables(data)])
    for row in export_rows(data, as_of):
        writer.writerow([_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def codebook_csv(data: TrialData) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["variable", "label", "type", "values"])
    for var in variables(data):
        writer.writerow([var.name, var.label, var.kind, var.values_text()])
    writer.writerow(["", CSV_NOTE, "", ""])
    return out.getvalue().encode("utf-8")


def manifest(data: TrialData, as_of: date, csv_bytes: bytes) -> dict:
    """The lock date, the canonical CSV's SHA-256 and the post-lock corrections with reasons."""
    return {
        "trial": data.ref,
        "registration": data.registration,
        "as_of": as_of.isoformat(),
        "locked_on": data.locked_on.isoformat() if data.locked_on else None,
        "sha256": hashlib.sha256(csv_bytes).hexdigest(),
        "rows": csv_bytes.count(b"\n") - 1,
        "corrections": [
            {"record": record, "on": on, "reason": reason} for record, on, reason in data.corrections
        ],
        "csv_note": CSV_NOTE,
    }


def _frame(data: TrialData, as_of: date):
    """A pandas frame with categories numbered 1.., yes/no as 1/0, and the labels pyreadstat writes."""
    import pandas as pd  # pyreadstat's own dependency; only the binary formats need it

    columns = variables(data)
    frame = pd.DataFrame(
        [[_cell(v) for v in row] for row in export_rows(data, as_of)], columns=[v.name for v in columns]
    )
    value_labels: dict[str, dict] = {}
    for var in columns:
        if var.kind == "category":
            numbers = {code: i for i, (code, _label) in enumerate(var.values, start=1)}
            frame[var.name] = frame[var.name].map(numbers).astype("float64")
            value_labels[var.name] = {float(i): label for i, (_code, label) in enumerate(var.values, start=1)}
        elif var.kind == "yesno":
            frame[var.name] = frame[var.name].astype("float64")
            value_labels[var.name] = {1.0: "yes", 0.0: "no"}
        elif var.kind in ("integer", "numeric"):
            frame[var.name] = pd.to_numeric(frame[var.name]).astype("float64")
        elif var.kind == "date":  # a column of dates and blanks: pyreadstat would take it for text
            frame[var.name] = pd.to_datetime(frame[var.name]).astype("datetime64[ns]")
        elif var.kind == "string":
            frame[var.name] = frame[var.name].fillna("").astype(str)
    labels = [v.label for v in columns]
    return frame, labels, value_labels


def export_bytes(data: TrialData, as_of: date, fmt: str) -> bytes:
    """The data file of ``fmt``: the canonical CSV, or a labelled ``.dta``/``.sav``."""
    if fmt == "csv":
        return canonical_csv(data, as_of)
    import pyreadstat

    frame, labels, value_labels = _frame(data, as_of)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / f"trial.{fmt}")
        if fmt == "dta":
            pyreadstat.write_dta(
                frame, path, column_labels=labels, variable_value_labels=value_labels, version=15
            )
        else:
            pyreadstat.write_sav(frame, path, column_labels=labels, variable_value_labels=value_labels)
        return Path(path).read_bytes()


def manifest_json(info: dict) -> str:
    return json.dumps(info, indent=1, ensure_ascii=False) + "\n"


def write_export(data: TrialData, as_of: date, directory: Path, fmt: str = "csv") -> dict:
    """Write ``trial.<fmt>``, ``codebook.csv`` and ``manifest.json`` into ``directory``; return
    the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_bytes = canonical_csv(data, as_of)
    info = manifest(data, as_of, csv_bytes)
    (directory / f"trial.{fmt}").write_bytes(csv_bytes if fmt == "csv" else export_bytes(data, as_of, fmt))
    (directory / "codebook.csv").write_bytes(codebook_csv(data))
    (directory / "manifest.json").write_text(manifest_json(info), encoding="utf-8")
    return info
