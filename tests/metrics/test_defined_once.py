"""No module but the metrics core defines a window, a block, a due date or a threshold."""

from __future__ import annotations

import re
from pathlib import Path

import caseload

ROOT = Path(caseload.__file__).parent
# The day counts of metrics.md's rules, windows and blocks (3, 7, 14, 21, 27, 28, 30, 60, 90 ...).
RULE_DAYS = r"(?:3|6|7|13|14|21|27|28|29|30|57|60|90|91|180|182|364|365|371)"
DAY_ARITHMETIC = re.compile(rf"(?:\bdays\(|timedelta\(days=)\s*-?{RULE_DAYS}\s*[)*+]")
DEFINITIONS = re.compile(
    r"^(?:CLOSURE_REASONS|END_REASONS|TIMEPOINTS|DECISIONS|PURPOSES|LOCATIONS|BANDS|"
    r"STATUSES_AT_ENTRY|BENEFITS_KINDS|EMPLOYER_CONTACT_MODES|CLIENT_CONTACT_MODES)\s*=\s*\(",
    re.M,
)
DEFINED_HERE = re.compile(
    r"^(?:def (?:days|percent|mean|median|display|specialists_in_scope)\(|class Window\b)", re.M
)
OUTSIDE = ("metrics", "demo")  # the core, and the demo's made-up history


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        if path.relative_to(ROOT).parts[0] not in OUTSIDE:
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")


def test_no_module_outside_the_core_counts_rule_days():
    found = [f"{name}: {m.group(0)}" for name, text in _modules() for m in DAY_ARITHMETIC.finditer(text)]
    assert found == []


def test_code_lists_and_thresholds_are_defined_once():
    found = [f"{name}: {m.group(0)}" for name, text in _modules() for m in DEFINITIONS.finditer(text)]
    assert found == []


def test_windows_and_exact_numbers_are_defined_once():
    found = [f"{name}: {m.group(0)}" for name, text in _modules() for m in DEFINED_HERE.finditer(text)]
    assert found == []
