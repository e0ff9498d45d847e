"""Hypothesis drives every form of the app with hostile values: never a 500, never an invalid value
stored, stored markup always escaped.

The forms are found, not listed: every page of app.url_map is opened as each person of world.py
and every POST form on it is collected (by its action). Each form is then driven, in a fresh world,
by the person who saw it, with CASELOAD_HOSTILE_EXAMPLES (200) generated submissions: valid choices
and junk, dates from year 1 to 9999, numbers from -10^12 to 10^12, NaN, NUL, markup, 10 000
characters; half of them are the form as it stands with one field made hostile, so many are saved.
After each form, every stored row is checked; after all, every page is read for raw markup.
"""

from __future__ import annotations

import math
import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, DateTime, Numeric, String, select

from caseload.extensions import db as _db
from tests.security import world as W
from tests.security.forms import Field, Form, forms_of
from tests.security.test_headers import inline_code

# 200 per form in CI (HYPOTHESIS_PROFILE=ci, the SQLite run of .ci/run); fewer in everyday runs.
_DEFAULT_EXAMPLES = "200" if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else "30"
EXAMPLES = int(os.environ.get("CASELOAD_HOSTILE_EXAMPLES", _DEFAULT_EXAMPLES))
XSS = ("<script>canaryXss()</script>", '"><img src=x onerror=canaryXss()>', "javascript:canaryXss()")
SKIP_ACTIONS = ("/auth/logout", "/auth/login", "/security/code")  # own tests: sessions, throttling
KEEP = ("csrf_token",)

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
HOSTILE_TEXT = st.one_of(
    _text,
    st.sampled_from(XSS),
    st.just("\x00"),
    st.builds(lambda s: s + "\x00" + s, _text),
    st.integers(min_value=1, max_value=10_000).map(lambda n: "x" * n),
    st.sampled_from(["", " ", "NaN", "-inf", "1e309", "0x10", "9" * 40, "-1", "0", "2026-02-30"]),
)
DATES = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates(min_value=date.today() - timedelta(days=400), max_value=date.today()).map(date.isoformat),
    HOSTILE_TEXT,
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.integers(min_value=0, max_value=100).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    HOSTILE_TEXT,
)
NUMERIC_NAMES = ("minutes", "hours", "fte", "wage", "odi", "eq_vas", "pain", "score", "total", "count")


def _strategy(f: Field):
    if f.kind in ("checkbox", "radio") or f.kind == "select":
        choices = f.options or [f.value or "y"]
        chosen = (
            st.sampled_from(choices) if f.kind == "select" or f.kind == "radio" else st.just(f.value or "y")
        )
        return st.one_of(chosen, chosen, st.none(), HOSTILE_TEXT)
    if f.kind == "date" or f.name.endswith(("_on", "_date", "date", "monday", "as_of", "_from", "_until")):
        return DATES
    if (
        f.kind == "number"
        or f.attrs.get("inputmode") in ("numeric", "decimal")
        or f.name.startswith(NUMERIC_NAMES)
    ):
        return NUMBERS
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), st.just(f.value), HOSTILE_TEXT)
    return HOSTILE_TEXT


def _fields(form: Form) -> list[Field]:
    return [f for f in form.fields if f.kind not in ("submit", "button", "reset", "file", "image")]


def _values(data, form: Form, current) -> dict[str, list[str]]:
    """Half the time the form as it is now with one field made hostile (so many are saved), else all."""
    fields = [f for f in _fields(form) if f.name not in KEEP]
    if fields and data.draw(st.booleans(), label="one field only"):
        values = (current() or form).submission()  # the record's current version: no conflict
        target = data.draw(st.sampled_from(fields), label="field")
        value = data.draw(_strategy(target), label=target.name)
        values[target.name] = [] if value is None else [value]
        return values
    values: dict[str, list[str]] = {}
    for f in _fields(form):
        value = f.value if f.name in KEEP else data.draw(_strategy(f), label=f.name)
        if value is not None:
            values.setdefault(f.name, []).append(value)
    return values


def _collect_forms(app, client, world, login_as) -> dict[tuple, tuple]:
    """(rule, fixed arguments) -> (person, rule, fixed arguments, form, page rule): each form, once."""
    found: dict[tuple, tuple] = {}
    adapter = app.url_map.bind("localhost")
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"), key=str
    )
    for who in ("owner", "supervisor", "clinician", "admin", "trial_manager", "statistician", "assessor"):
        for rule in rules:
            login_as(user=world.people[who])
            url = W.url_for_rule(rule, world)
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_of(response.get_data(as_text=True)):
                action = (form.action or url).split("?")[0]
                if form.method != "post" or action.startswith(SKIP_ACTIONS):
                    continue
                target, args = adapter.match(action, method="POST", return_rule=True)
                fixed = {k: v for k, v in args.items() if str(v) != str(W.value_for(target, k, world))}
                found.setdefault(
                    (target.rule, tuple(sorted(fixed.items()))), (who, target, fixed, form, rule)
                )
    return found


def _action(rule, fixed: dict, world) -> str:
    """The form's action in another world: its objects, the same fixed arguments."""
    values = {arg: fixed.get(arg, W.value_for(rule, arg, world)) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _form_in(client, login_as, world, who: str, page, action: str) -> Form | None:
    """The form as this world shows it (its choices and values are this world's records)."""
    login_as(user=world.people[who])
    url = W.url_for_rule(page, world)
    forms = forms_of(client.get(url).get_data(as_text=True))
    return next((f for f in forms if f.method == "post" and (f.action or url).split("?")[0] == action), None)


def _driver(client, db, login_as, form: Form, person, action: str, statuses: list[int], current):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def drive(data):
        login_as(user=person)
        response = client.post(action, data=_values(data, form, current))
        db.session.rollback()
        statuses.append(response.status_code)
        assert response.status_code < 500, f"{response.status_code}"

    return drive


def _invalid_stored() -> list[str]:
    """Stored values no form should have let through."""
    problems, today = [], date.today()
    for table in _db.metadata.sorted_tables:
        for row in _db.session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                problems += _check(table.name, column, value, today)
    return problems


def _check(table: str, column, value, today: date) -> list[str]:
    where = f"{table}.{column.name}={str(value)[:40]!r}"
    if value is None:
        return []
    if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
        return (
            []
            if date(1900, 1, 1) <= value <= today + timedelta(days=3 * 366)
            else [f"date out of range {where}"]
        )
    if isinstance(column.type, Numeric) and not (isinstance(value, Decimal) and value.is_finite()):
        return (
            []
            if isinstance(value, int | float) and math.isfinite(value)
            else [f"not a finite number {where}"]
        )
    if isinstance(column.type, String) and isinstance(value, str):
        if "\x00" in value:
            return [f"NUL stored {where}"]
        if column.type.length and len(value) > column.type.length:
            return [f"longer than {column.type.length} {where}"]
    return []


SHARDS = 4  # the forms are split so that pytest-xdist (-n 4) drives them in parallel


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_form_survives_hostile_input(app, client, db, login_as, shard):
    world = W.build(db.session)
    db.session.commit()
    forms = sorted(_collect_forms(app, client, world, login_as).items(), key=lambda kv: kv[0])
    mine = forms[shard::SHARDS]
    failures: dict[str, str] = {}
    statuses: list[int] = []
    driven = 0  # forms with inputs (a form that is only a button is posted once)
    known = set(_invalid_stored())
    for _key, (who, rule, fixed, form, page) in mine:
        fresh = W.build(db.session)  # earlier forms may have closed, moved or deactivated things
        db.session.commit()
        action = _action(rule, fixed, fresh)
        form = _form_in(client, login_as, fresh, who, page, action) or form

        def current(fresh=fresh, who=who, page=page, action=action):
            return _form_in(client, login_as, fresh, who, page, action)

        before = len(statuses)
        try:
            _driver(client, db, login_as, form, fresh.people[who], action, statuses, current)()
        except Exception as err:  # noqa: BLE001 - collect every form's failure, then report them all
            db.session.rollback()
            failures[action] = f"{type(err).__name__}: {str(err)[:300]}"
        inputs = [f for f in _fields(form) if f.name not in KEEP]
        if inputs and action not in failures and len(statuses) - before < EXAMPLES:
            failures[action] = f"only {len(statuses) - before} submissions"
        driven += bool(inputs)
        stored = [p for p in _invalid_stored() if p not in known]
        known.update(stored)
        if stored:
            failures[action + " (stored)"] = "; ".join(stored[:5])
    print(
        f"\nhostile input, shard {shard + 1}/{SHARDS}: {len(mine)} of {len(forms)} forms,"
        f" {driven} with inputs"
        f" x {EXAMPLES} generated submissions; {len(statuses)} posted,"
        f" {sum(s in (302, 303) for s in statuses)} accepted, {sum(s in (400, 409, 422) for s in statuses)}"
        " refused"
    )
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
    assert len(forms) >= 20


def test_stored_markup_is_always_escaped(app, client, db, login_as):
    world = W.build(db.session)
    for obj in (world.objects["contact"], world.objects["benefits"]):
        obj.notes = " ".join(XSS)
    world.objects["client"].name = XSS[0]
    world.objects["employer"].name = XSS[1]
    db.session.commit()
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    pages = 0
    for who in ("owner", "supervisor", "clinician"):
        for rule in rules:
            login_as(user=world.people[who])
            response = client.get(W.url_for_rule(rule, world))
            if response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            pages += 1
            assert not [x for x in XSS[:2] if x in html], f"{who} {rule.rule}: raw markup"
            assert not inline_code(html), f"{who} {rule.rule}: {inline_code(html)[:2]}"
    assert pages > 50
