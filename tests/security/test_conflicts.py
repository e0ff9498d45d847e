"""Concurrent edits of one record: one saves, the other gets a conflict, never a silent overwrite.

Every page (from app.url_map) whose form carries the record's version is opened twice, as in two
browser tabs; both submit a different change; the first is saved, the second is refused (409, or
422 on the pages that show the conflict as a form error) and the record keeps the first change.
"""

from __future__ import annotations

from tests.security import world as W
from tests.security.forms import Form, forms_of, post_form

EDITORS = ("owner", "supervisor", "admin")


def _looks_numeric(value: str) -> bool:
    return value.replace("-", "").replace(".", "").replace(":", "").isdigit()


def _changed(form: Form, mark: str) -> dict[str, list[str]] | None:
    """The form as shown with one free-text field changed (None when it has none)."""
    data = form.submission()
    texts = [f for f in form.fields if f.kind == "textarea"] or [
        f for f in form.fields if f.kind == "text" and f.value and not _looks_numeric(f.value)
    ]
    if not texts:
        return None
    name = texts[0].name
    data[name] = [(data[name][0] if data.get(name) else "") + mark]
    return data


def _version_form(client, url: str) -> Form | None:
    response = client.get(url)
    form = post_form(forms_of(response.get_data(as_text=True)), url) if response.status_code == 200 else None
    version = [f.value for f in form.fields if f.name == "version"] if form is not None else []
    return form if version and version[0] else None  # an existing record (a new one has no version yet)


def test_the_second_of_two_edits_from_the_same_version_is_a_conflict(app, client, db, login_as):
    world = W.build(db.session)
    db.session.commit()
    rules = [r for r in app.url_map.iter_rules() if {"GET", "POST"} <= r.methods]
    checked, skipped, codes = [], [], {}
    for rule in sorted(rules, key=str):
        url = W.url_for_rule(rule, world)
        for who in EDITORS:
            login_as(user=world.people[who])
            form = _version_form(client, url)
            if form is None:
                continue
            first, second = _changed(form, " [tab one]"), _changed(form, " [tab two]")
            if first is None:
                skipped.append(rule.rule)
                break
            saved = client.post(url, data=first)
            assert saved.status_code in (302, 303), (
                f"{who} {url}: the first save answered {saved.status_code}"
            )
            late = client.post(url, data=second)
            assert late.status_code in (409, 422), f"{who} {url}: the stale save answered {late.status_code}"
            codes[late.status_code] = [*codes.get(late.status_code, []), rule.rule]
            now = client.get(url).get_data(as_text=True)
            assert (
                "[tab one]" in now
                and "[tab two]" not in now.split("Someone else")[0]
                or "[tab two]" not in now
            )
            checked.append(rule.rule)
            break
    print(f"\nconflicts: {len(checked)} edit pages give one save and one conflict; no free text: {skipped}")
    print(f"conflict answers: { {code: len(rules) for code, rules in codes.items()} }; 422: {codes.get(422)}")
    assert len(checked) >= 5
