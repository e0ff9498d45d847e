"""Where a ``next`` parameter may send a person: a path on this site, nowhere else."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """``target`` when it is a same-origin path such as ``/prompts/?x=1``; None otherwise.

    Refused: other sites (``https://…``, ``//evil.example``, ``/\\evil.example``), anything with
    whitespace or control characters (browsers drop tabs and line breaks, so ``/\\t/evil.example``
    becomes ``//evil.example``), and relative paths."""
    if not target or not target.startswith("/") or len(target) > 2000:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target
