"""Patient-reported outcomes: ODI % and band, EQ VAS and pain NRS per measure; the schedule."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from caseload.csvcells import extract_cell
from caseload.metrics.due import MEASURE_DAYS, measure_due
from caseload.metrics.numbers import to_float
from caseload.rows import MeasureFact, MeasureRow, ProgramData

ODI_SECTIONS = 10
ODI_MIN_ANSWERED = 8
ODI_MAX_SCORE = 5
EQ_VAS_RANGE = (0, 100)
PAIN_NRS_RANGE = (0, 10)
# (upper bound inclusive, band); above the last bound: extreme.
ODI_BANDS = ((20, "minimal"), (40, "moderate"), (60, "severe"), (80, "very_severe"))


def odi_percent(sections: Sequence[int | None]) -> Fraction | None:
    """100 × Σ answered scores ÷ (5 × answered), when at least 8 of the 10 sections are answered."""
    answered = [s for s in sections if s is not None]
    if len(answered) < ODI_MIN_ANSWERED:
        return None
    return Fraction(100 * sum(answered), ODI_MAX_SCORE * len(answered))


def odi_band(percent: Fraction | None) -> str | None:
    """The disability band of an ODI %: minimal, moderate, severe, very_severe or extreme."""
    if percent is None:
        return None
    for bound, band in ODI_BANDS:
        if percent <= bound:
            return band
    return "extreme"


@dataclass(frozen=True, slots=True)
class ScoredMeasure:
    """One questionnaire occasion with its scores."""

    client_ref: str
    measured_on: date
    timepoint: str
    odi_percent: Fraction | None
    odi_band: str | None
    eq_vas: int | None
    pain_nrs: int | None
    ref: str = ""

    def as_json(self) -> dict:
        """One row of ``measures`` in ``outcomes measures --json``."""
        return {
            "client_ref": self.client_ref,
            "measured_on": self.measured_on.isoformat(),
            "timepoint": self.timepoint,
            "odi_percent": to_float(self.odi_percent),
            "odi_band": self.odi_band,
            "eq_vas": self.eq_vas,
            "pain_nrs": self.pain_nrs,
        }


def score_measure(row: MeasureRow) -> ScoredMeasure:
    """Score one recorded measure."""
    percent = odi_percent(row.odi)
    return ScoredMeasure(
        row.client_ref,
        row.measured_on,
        row.timepoint,
        percent,
        odi_band(percent),
        row.eq_vas,
        row.pain_nrs,
        row.ref,
    )


def scored_measures(measures: Sequence[MeasureRow]) -> list[ScoredMeasure]:
    """Every measure scored, ordered by client, date and timepoint."""
    ordered = sorted(measures, key=lambda m: (m.client_ref, m.measured_on, m.timepoint, m.ref))
    return [score_measure(m) for m in ordered]


def measures_json(data: ProgramData) -> dict:
    """The dict of ``outcomes measures --json`` (cli.md)."""
    return {
        "program": data.program_ref,
        "measures": [m.as_json() for m in scored_measures(data.measures)],
    }


def measures_csv(measures: Sequence[MeasureRow]) -> str:
    """Every measure scored, one CSV row each (ODI % to 6 decimals, empty = not scored)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["client_ref", "measured_on", "timepoint", "odi_percent", "odi_band", "eq_vas", "pain_nrs"]
    writer.writerow(header)
    for m in scored_measures(measures):
        row = m.as_json()
        writer.writerow([extract_cell(row[k]) for k in header])
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class DueMeasure:
    """A scheduled questionnaire occasion of a client and whether a measure satisfies it."""

    timepoint: str
    due_on: date
    done_on: date | None


def measure_schedule(client_ref: str, entry_date: date, measures: Sequence[MeasureFact]) -> list[DueMeasure]:
    """The baseline, 6m and 12m due dates of a client, each with its satisfying measure's date."""
    schedule = []
    for timepoint in MEASURE_DAYS:
        dates = [m.measured_on for m in measures if m.client_ref == client_ref and m.timepoint == timepoint]
        schedule.append(DueMeasure(timepoint, measure_due(entry_date, timepoint), min(dates, default=None)))
    return schedule
