"""Pure rules of the job development log: the weekly target, organisation numbers (ISO weeks are
``caseload.metrics.periods``')."""

from __future__ import annotations

import re

WEEKLY_TARGET = 6  # face-to-face employer contacts per specialist and week (IPS fidelity V6)
FACE_TO_FACE = "face_to_face"
_ORG_NUMBER = re.compile(r"[0-9]{9}", re.ASCII)


def normalise_org_number(value: str | None) -> str | None:
    """Drop spaces from an organisation number ("923 609 016" -> "923609016"); empty -> None."""
    if value is None:
        return None
    cleaned = "".join(value.split())
    return cleaned or None


def valid_org_number(value: str) -> bool:
    """A Norwegian organisation number has exactly nine ASCII digits."""
    return _ORG_NUMBER.fullmatch(value) is not None
