"""Compare computed JSON with ../shared/data/sample-bundle-expected (README: tolerance, _skip)."""

from __future__ import annotations

TOLERANCE = 0.051


def differences(expected: object, actual: object, path: str, skip: frozenset[str]):
    """Yield one line per difference between ``expected`` and ``actual``."""
    if path in skip:
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield f"{path}: expected an object, got {actual!r}"
            return
        for key in sorted((set(expected) | set(actual)) - {"_skip"}):
            sub = f"{path}.{key}" if path else key
            if key not in actual or key not in expected:
                yield f"{sub}: present on one side only"
            else:
                yield from differences(expected[key], actual[key], sub, skip)
    elif isinstance(expected, float) and not isinstance(actual, bool):
        if not isinstance(actual, int | float) or abs(expected - actual) > TOLERANCE:
            yield f"{path}: expected {expected!r}, got {actual!r}"
    elif type(expected) is not type(actual) or expected != actual:
        yield f"{path}: expected {expected!r}, got {actual!r}"


def compare(expected: dict, actual: dict) -> list[str]:
    """Every difference, honouring the expected file's ``_skip`` list."""
    return list(differences(expected, actual, "", frozenset(expected.get("_skip", []))))
