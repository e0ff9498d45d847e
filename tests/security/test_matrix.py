"""The role × route × object matrix, walked from app.url_map: every route, every method, every person.

One walk (cached for this module) signs in as each person of tests/security/world.py and calls every
GET route, and the POST routes a person must not reach, with the world's objects in the URL; each
test below checks one property over all the answers. A new route is walked without anyone adding it
here; a route with a new kind of URL parameter fails until world.py says how to fill it.
Run with -s to print the figures.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from caseload.auth.models import AuditEvent
from tests.exchange.bundles import wait_for_imports
from tests.security import world as W
from tests.security.dbstate import changed_tables, snapshot
from tests.security.test_headers import inline_code

IN_SCOPE = ("owner", "supervisor", "clinician")  # of client C
TRIAL_TEAM = ("trial_manager", "assessor", "statistician")  # no client is in their scope
OUT_OF_SCOPE = ("colleague", "clinician_other_team", "admin", "specialist_b", "supervisor_b", *TRIAL_TEAM)
OTHER_PROGRAMME = ("specialist_b", "supervisor_b")
SHARED = ("/employers/<ref>",)  # employers (and their people) belong to no programme
SKIP = {"auth.logout"}  # would end the walk's session; tests/security/test_sessions.py covers it
EXPORT, IMPORT = "/exchange/export", "/exchange/import"
# Answers that carry records out: downloads, reports, exports and import checks.
DOWNLOADS = (".csv", ".pdf", ".ics", "/reports/", "/exchange/")
# What an administrator must never receive: any client's (or referred person's) data.
ADMIN_NEVER = (*W.CLIENT_TEXT, W.OTHER_NAME, W.REFERRED, W.EMPLOYER_CONTACT)


@dataclass(frozen=True, slots=True)
class Hit:
    who: str
    method: str
    rule: str
    url: str
    status: int
    text: str
    mimetype: str
    cache_control: str
    audits: tuple[tuple[str, int | None, int | None], ...]  # (action, client id, person id)
    changed: tuple[str, ...]
    error: str | None
    kind: str = "walk"  # or "exchange": an export, an import or an import check with a bundle


def _methods(rule) -> list[str]:
    return sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))


def _text(response) -> str:
    mime = response.mimetype or ""
    if mime == "application/pdf" and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=False)
        return done.stdout.decode(errors="replace")
    if mime == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return "\n".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    if mime.startswith("text/") or "json" in mime or "csv" in mime or "calendar" in mime:
        return response.get_data(as_text=True)
    return ""


def _call(
    client, db, method: str, url: str, *, who: str, rule: str, with_audit: bool, upload: dict | None = None
) -> Hit:
    # A background import's job row is the upload's bookkeeping, not a record: what the job writes
    # is compared once it has ended. The home's stored due items are a derivation of the records
    # (caseload/principles/due.py) that a read stores for the next one: a cache, never a record; so
    # is the programme page's stored quarter (caseload/outcomes/stored.py).
    derived = ("import_jobs", "client_due_items", "program_quarter_outcomes")
    exclude = derived if with_audit else ("audit_events", *derived)
    before = snapshot(db.session.connection(), exclude=exclude)
    last = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
    db.session.rollback()
    error, response = None, None
    try:
        if upload is None:
            response = client.open(url, method=method)
        else:
            data = {"bundle": (io.BytesIO(upload["bundle"]), "bundle.zip"), upload["button"]: "x"}
            response = client.open(url, method=method, data=data, content_type="multipart/form-data")
    except Exception as err:  # noqa: BLE001 - a crash is one of the findings
        error = f"{type(err).__name__}: {str(err)[:120]}"
    db.session.rollback()  # what the end of a real request does with anything left unsaved
    wait_for_imports()
    if response is not None and response.status_code == 302 and "/exchange/imports/" in response.location:
        response = client.get(response.location)  # the job's page, with its outcome
    after = snapshot(db.session.connection(), exclude=exclude)
    audits = db.session.execute(
        select(AuditEvent.action, AuditEvent.client_id, AuditEvent.user_id)
        .where(AuditEvent.id > last)
        .order_by(AuditEvent.id)
    ).all()
    db.session.rollback()
    return Hit(
        who=who,
        method=method,
        rule=rule,
        url=url,
        status=response.status_code if response is not None else 500,
        text=_text(response) if response is not None else "",
        mimetype=(response.mimetype or "") if response is not None else "",
        cache_control=response.headers.get("Cache-Control", "") if response is not None else "",
        audits=tuple((a, c, u) for a, c, u in audits),
        changed=tuple(changed_tables(before, after)),
        error=error,
        kind="walk" if upload is None and url != EXPORT else "exchange",
    )


def _posts_for(who: str, rule, get_status: int | None) -> bool:
    """POSTs that this person must not be able to make (checked: 404, nothing written)."""
    if "POST" not in rule.methods:
        return False
    if rule.rule.startswith("/clients/<") and who in OUT_OF_SCOPE:
        return True
    if who in OTHER_PROGRAMME and rule.arguments and not rule.rule.startswith(SHARED):
        return True
    return get_status == 404


def _walk(app, client, db, login_as) -> tuple[W.World, list[Hit]]:
    world = W.build(db.session)
    db.session.commit()
    bundles = W.bundles(db.session)
    db.session.rollback()
    people = dict(world.people)
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP | {"static"}), key=str)
    hits: list[Hit] = []
    for who, person in people.items():
        for rule in rules:
            url = W.url_for_rule(rule, world)
            get_status = None
            if "GET" in rule.methods:
                login_as(user=person)
                hit = _call(client, db, "GET", url, who=who, rule=rule.rule, with_audit=False)
                hits.append(hit)
                get_status = hit.status
            if _posts_for(who, rule, get_status):
                login_as(user=person)
                hits.append(_call(client, db, "POST", url, who=who, rule=rule.rule, with_audit=False))
        hits.extend(_exchange(client, db, login_as, who, person, bundles))
    return world, hits


def _exchange(client, db, login_as, who: str, person, bundles: dict[str, bytes]) -> list[Hit]:
    """Everyone exports; the administrator also checks and imports bundles full of clients."""
    login_as(user=person)
    hits = [_call(client, db, "POST", EXPORT, who=who, rule=EXPORT, with_audit=False)]
    if who != "admin":
        return hits
    for name, button in (("full", "check"), ("broken", "check"), ("full", "submit"), ("broken", "submit")):
        login_as(user=person)
        upload = {"bundle": bundles[name], "button": button}
        hits.append(_call(client, db, "POST", IMPORT, who=who, rule=IMPORT, with_audit=True, upload=upload))
    return hits


_CACHE: dict[str, tuple] = {}


@pytest.fixture
def walked(app, client, db, login_as):
    """(world ids, hits) of the one walk of this test run."""
    if "walk" not in _CACHE:
        world, hits = _walk(app, client, db, login_as)
        _CACHE["walk"] = (dict(world.ids), hits)
    return _CACHE["walk"]


def _report(failures: list[str]) -> str:
    return f"{len(failures)} problems:\n" + "\n".join(failures[:60])


def test_figures(walked, app):
    _, hits = walked
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP | {"static"}]
    gets = [h for h in hits if h.method == "GET"]
    exchange = [h for h in hits if h.kind == "exchange"]
    print(
        f"\nroute matrix: {len(rules)} routes, {sum(len(_methods(r)) for r in rules)} route-methods,"
        f" {len({h.who for h in hits})} people, {len(hits)} requests"
        f" ({len(gets)} GET, {len(hits) - len(gets) - len(exchange)} refused POST,"
        f" {len(exchange)} exports, imports and import checks with bundles)"
    )
    assert {h.rule for h in gets} == {r.rule for r in rules if "GET" in r.methods}


def _not_ready_by_design(hit: Hit) -> bool:
    """/readyz answers 503 while no scheduler beats (the walk's world has none)."""
    return hit.rule == "/readyz" and hit.status == 503


def test_no_request_crashes(walked):
    _, hits = walked
    failures = [
        f"{h.who} {h.method} {h.url}: {h.error or h.status}"
        for h in hits
        if h.error or (h.status >= 500 and not _not_ready_by_design(h))
    ]
    assert not failures, _report(failures)


def test_client_routes_answer_404_to_everyone_out_of_scope(walked):
    _, hits = walked
    failures = [
        f"{h.who} {h.method} {h.url}: {h.status}"
        for h in hits
        if h.rule.startswith("/clients/<") and h.who in OUT_OF_SCOPE and h.status != 404
    ]
    assert not failures, _report(failures)


def test_refused_posts_answer_404_and_write_nothing_but_the_record_of_the_attempt(walked):
    _, hits = walked
    failures = [
        f"{h.who} POST {h.url}: {h.status}, changed {list(h.changed)}, audited {list(h.audits)}"
        for h in hits
        if h.method == "POST"
        and h.kind == "walk"
        and (h.status != 404 or h.changed or any(action != "refused" for action, _, _ in h.audits))
    ]
    assert not failures, _report(failures)


def test_every_refused_attempt_on_the_clients_routes_is_in_the_audit_log(walked):
    ids, hits = walked
    refused = [h for h in hits if h.rule.startswith("/clients/<") and h.who in OUT_OF_SCOPE]
    failures = [
        f"{h.who} {h.method} {h.url}: {list(h.audits)}"
        for h in refused
        if ("refused", ids["client_id"], ids["person_ids"][h.who]) not in h.audits
    ]
    assert refused and not failures, _report(failures)


def test_no_get_changes_anything(walked):
    _, hits = walked
    failures = [
        f"{h.who} GET {h.url}: changed {list(h.changed)}" for h in hits if h.method == "GET" and h.changed
    ]
    assert not failures, _report(failures)


def _leaks(hits, people, canaries) -> list[str]:
    return [
        f"{h.who} {h.method} {h.url}: {W.canaries_in(h.text, canaries)}"
        for h in hits
        if h.who in people and W.canaries_in(h.text, canaries)
    ]


def test_clinicians_never_receive_benefits_notes_or_employer_contact_details(walked):
    _, hits = walked
    failures = _leaks(hits, ("clinician", "clinician_other_team"), W.CLINICIAN_NEVER)
    assert not failures, _report(failures)


def test_nobody_out_of_scope_receives_the_clients_data(walked):
    _, hits = walked
    failures = _leaks(hits, OUT_OF_SCOPE, W.CLIENT_TEXT)
    failures += _leaks(hits, IN_SCOPE + ("colleague", "clinician_other_team", "admin"), (W.OTHER_NAME,))
    assert not failures, _report(failures)


def test_the_assessor_never_receives_the_arm_the_specialist_or_the_caseload_record(walked):
    """Masking: no answer to the assessor (pages, downloads, error pages, refusals) holds an arm's
    code or label, the specialist's name or the participant's caseload record."""
    ids, hits = walked
    owner = ids["owner_name"]
    never = (*W.ARM_CODES, *W.ARM_LABELS, ids["client"], ids["trial_referral"], *W.CLIENT_TEXT)
    # The walk fills the calendar feed's URL with the owner's secret token: that is the owner's feed.
    hits = [h for h in hits if not h.rule.startswith("/prompts/feed/")]
    failures = _leaks(hits, ("assessor",), never)
    failures += [
        f"assessor {h.method} {h.url}: the specialist"
        for h in hits
        if h.who == "assessor" and owner in h.text
    ]
    reached = [h for h in hits if h.who == "assessor" and h.status == 200 and W.PARTICIPANT in h.text]
    assert len(reached) >= 3 and not failures, _report(failures)


def test_only_the_trial_team_sees_the_arms(walked):
    _, hits = walked
    # The programme's bundle is its backup: it carries the trial's set-up, as clients.csv carries
    # each participant-client's trial_arm (issue #15); no page, report or prompt shows them.
    backup = [h for h in hits if h.who == "supervisor" and h.rule == "/exchange/export"]
    assert backup
    failures = _leaks(
        [h for h in hits if h not in backup],
        tuple(w for w in {h.who for h in hits} if w not in ("trial_manager", "statistician")),
        W.ARM_LABELS,
    )
    shown = [
        h for h in hits if h.who in ("trial_manager", "statistician") and W.canaries_in(h.text, W.ARM_LABELS)
    ]
    assert shown and not failures, _report(failures)


def test_other_programmes_never_receive_employer_contact_notes(walked):
    _, hits = walked
    failures = _leaks(hits, OTHER_PROGRAMME, (W.EMPLOYER_CONTACT,))
    assert not failures, _report(failures)


def test_every_client_route_and_every_answer_with_client_data_is_audited(walked):
    ids, hits = walked
    failures = [
        f"{h.who} {h.method} {h.url}: no audit event of this person for the client"
        for h in hits
        if h.method == "GET"
        and h.status == 200
        and h.rule.startswith("/clients/<")
        and (ids["client_id"], ids["person_ids"][h.who]) not in {(c, u) for _, c, u in h.audits}
    ]
    failures += [
        f"{h.who} {h.method} {h.url}: shows {W.canaries_in(h.text, W.CLIENT_TEXT)} without an audit event"
        for h in hits
        if h.status == 200 and W.canaries_in(h.text, W.CLIENT_TEXT) and not h.audits
    ]
    assert not failures, _report(failures)


def test_every_page_obeys_the_strict_csp(walked):
    _, hits = walked
    failures = [
        f"{h.who} GET {h.url}: {inline_code(h.text)[:3]}"
        for h in hits
        if h.method == "GET" and h.mimetype == "text/html" and inline_code(h.text)
    ]
    assert not failures, _report(failures)


def test_no_answer_may_be_stored_by_caches(walked):
    _, hits = walked
    failures = [
        f"{h.who} {h.method} {h.url}: {h.cache_control!r}" for h in hits if "no-store" not in h.cache_control
    ]
    assert not failures, _report(failures)


def test_the_walk_reaches_the_clients_pages_in_scope(walked):
    ids, hits = walked
    page = f"/clients/{ids['client']}"
    for who in IN_SCOPE:
        hit = next(h for h in hits if h.who == who and h.url == page)
        assert hit.status == 200 and W.NAME in hit.text, f"{who} cannot open the client's page"
    shown = [h for h in hits if h.who in IN_SCOPE and W.canaries_in(h.text, W.CLIENT_TEXT)]
    assert len(shown) > 30


def test_the_patients_access_report_lists_everyone_who_opened_the_record(walked):
    ids, hits = walked
    opened = {h.who for h in hits if h.rule.startswith("/clients/<") and h.status == 200}
    logged = {u for h in hits for a, c, u in h.audits if c == ids["client_id"] and a != "refused"}
    missing = {who for who in opened if ids["person_ids"][who] not in logged}
    assert opened >= set(IN_SCOPE) and not missing, f"opened the record but not in its access log: {missing}"


def test_the_admin_receives_no_client_data_from_any_export_import_check_report_or_download(walked, app):
    _, hits = walked
    admin = [
        h for h in hits if h.who == "admin" and (h.kind == "exchange" or any(d in h.rule for d in DOWNLOADS))
    ]
    wanted = {r.rule for r in app.url_map.iter_rules() if any(d in r.rule for d in DOWNLOADS)}
    assert {h.rule for h in admin} == wanted, "a download, report or exchange route was not called"
    failures = _leaks(admin, ("admin",), ADMIN_NEVER)
    assert not failures, _report(failures)
    print(f"\nadmin: {len(admin)} downloads, reports, exports and import checks, no client field in any")


def test_the_admins_export_holds_programmes_teams_and_staff_and_imports_are_refused(walked):
    ids, hits = walked
    (export,) = [h for h in hits if h.who == "admin" and h.rule == EXPORT]
    assert export.status == 200 and ids["team"] in export.text and "@example.test" in export.text
    imports = [h for h in hits if h.who == "admin" and h.rule == IMPORT]
    assert len(imports) == 4
    assert all(
        h.status in (200, 422) and not h.changed and "an administrator imports only" in h.text
        for h in imports
    )
