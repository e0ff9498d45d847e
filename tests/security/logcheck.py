"""Every test of tests/security and tests/ops runs under a log capture that fails it when a canary
(planted health data, see world.py) reaches any log record of any logger."""

from __future__ import annotations

import logging

import pytest

from tests.security import world as W

CANARIES = W.ALL_CANARIES + ("Lograina Canarysen", "CanaryLogNoteAboutBackPain", "CanaryLogBenefitsUfoere")


class Capture(logging.Handler):
    """Keeps every record, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def leaks(self) -> list[str]:
        return [line[:300] for line in self.lines if any(c in line for c in CANARIES)]


@pytest.fixture(autouse=True)
def no_canary_in_logs():
    """Fail the test if a planted canary appears in the log output it caused."""
    capture = Capture()
    logging.getLogger().addHandler(capture)
    yield capture
    logging.getLogger().removeHandler(capture)
    assert not capture.leaks(), f"health data in the logs: {capture.leaks()[:5]}"
