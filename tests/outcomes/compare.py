"""Compare computed JSON with ../shared/data/sample-bundle-expected (README: tolerance, _skip)."""

from __future__ import annotations

TOLERANCE = 0.051
ROW_KEYS = {
    "clients": lambda row: row["client_ref"],
    "measures": lambda row: f"{row['client_ref']}|{row['timepoint']}|{row['measured_on']}",
}


def differences(expected: object, actual: object, path: str = "", skip: frozenset = frozenset()):
    """Yield one line per difference between ``expected`` and ``actual``."""
    if path in skip:
        return
    if isinstance(expected, dict):
        yield from _dict_differences(expected, actual, path, skip)
    elif isinstance(expected, list):
        yield from _list_differences(expected, actual, path, skip)
    elif isinstance(expected, float) and not isinstance(actual, bool):
        if not isinstance(actual, int | float) or abs(expected - actual) > TOLERANCE:
            yield f"{path}: expected {expected!r}, got {actual!r}"
    elif type(expected) is not type(actual) or expected != actual:
        yield f"{path}: expected {expected!r}, got {actual!r}"


def _dict_differences(expected: dict, actual: object, path: str, skip: frozenset):
    if not isinstance(actual, dict):
        yield f"{path}: expected an object, got {actual!r}"
        return
    keys = (set(expected) | set(actual)) - {"_skip"}
    for key in sorted(keys):
        sub = f"{path}.{key}" if path else key
        if sub in skip:
            continue
        if key not in actual or key not in expected:
            yield f"{sub}: present on one side only"
            continue
        yield from differences(expected[key], actual[key], sub, skip)


def _list_differences(expected: list, actual: object, path: str, skip: frozenset):
    key_of = ROW_KEYS.get(path)
    if not isinstance(actual, list) or key_of is None:
        if expected != actual:
            yield f"{path}: expected {expected!r}, got {actual!r}"
        return
    got = {key_of(row): row for row in actual}
    want = {key_of(row): row for row in expected}
    if len(got) != len(actual):
        yield f"{path}: duplicate rows"
    for key in sorted(set(got) | set(want)):
        sub = f"{path}[{key}]"
        if sub in skip:
            continue
        if key not in got or key not in want:
            yield f"{sub}: present on one side only"
            continue
        yield from differences(want[key], got[key], sub, skip)


def compare(expected: dict, actual: dict) -> list[str]:
    """Every difference, honouring the expected file's ``_skip`` list."""
    return list(differences(expected, actual, "", frozenset(expected.get("_skip", []))))
