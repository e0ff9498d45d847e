"""Every page, in English and in Norwegian, shows words and not codes, and no untranslated message.

Each demo person walks the demo data from their home page by links (tests/i18n/crawl.py); together
they must reach every GET route of app.url_map but the few listed in NOT_WALKED. Text people typed
(any string stored in the database) is shown as typed, so it is left out of the checks.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import String, Text, select

from caseload.auth.models import User
from caseload.benefits.models import BenefitsSession
from caseload.clients.models import CareerProfile, Client
from caseload.clients.scoping import client_scope
from caseload.demo.small import DEMO_LOGINS, seed_small
from caseload.employers.models import Employer, EmployerPerson
from caseload.forms import today
from caseload.jobs.models import Job, JobHours
from caseload.metrics import codes
from tests.i18n.crawl import Walk, walk

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "caseload/translations/nb/LC_MESSAGES/messages.po"
# GET routes no demo person reaches by a link, and why.
NOT_WALKED = {
    "static": "files, not pages",
    "auth.login": "the signed-out page: rendered in its own test below",
    "auth.set_password": "opened from an e-mailed one-time link (tests/auth/test_password_links.py)",
    "prompts.feed": "a calendar feed (tests/prompts), not a page",
    "security.code": "the second sign-in step, only while signing in with two-step on",
    "exchange.import_job": "exists only once a bundle import has started (tests/exchange)",
    "exchange.import_job_status": "the import page's progress JSON",
    "clients.referral_accept": "the demo's pending referrals are all decided",
    "fidelity.review": "the demo holds no fidelity review",
    "reports.fidelity_review_pdf": "the demo holds no fidelity review",
    "clinician.client_work": "where saving a work note returns to: the clinician's /clients/<ref> page",
    "monitoring.healthz": "for the load balancer, not a page (tests/monitoring)",
    "monitoring.readyz": "for the load balancer, not a page (tests/monitoring)",
    "fidelity.review_finalise": "the demo holds no fidelity review to finalise",
    "corrections.weekly_review_void": "linked from a reviewed week's log (tests/corrections)",
    "trial.enrol": "the demo's eligible screenings are all enrolled (tests/trial)",
}
# Every code of the app's own lists (the core's code lists, and the lists only the pages know).
CODES = {
    code
    for name in dir(codes)
    if name.isupper()
    for code in getattr(codes, name)
    if isinstance(getattr(codes, name), tuple | frozenset)
} | {"engaging", "working", "very_severe", "ips", "control"}
# Codes that are also ordinary Norwegian words.
NORWEGIAN_WORDS = {"video", "student", "admin"}
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ADDRESS = re.compile(r"\S+@\S+|\w+://\S+")


@cache
def _catalogue() -> dict[str, str]:
    """English msgid -> its nb msgstr, for the single messages with a Norwegian word of their own."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    return {
        m.id: m.string
        for m in catalogue
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and m.string != m.id
    }


def _typed(db) -> tuple[set[str], set[str]]:
    """The words and the whole texts stored in the database: names, notes, job types, sources."""
    words: set[str] = set()
    lines: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in db.session.execute(select(*columns)) if columns else ():
            for value in row:
                if value:
                    lines.add(str(value).strip())
                    words.update(TOKEN.findall(str(value)))
    return words, lines


@pytest.fixture
def demo(db):
    seed_small(db.session, seed=1, today=today())
    for employer in db.session.scalars(select(Employer)):
        db.session.add(EmployerPerson(employer_id=employer.id, name="Nina Hansen", role="Store manager"))
    # The small demo keeps no profile text and no change of hours: one of each, so the walk reaches
    # the profile's history and the hours' void page.
    job = db.session.scalars(select(Job).order_by(Job.ref)).first()
    db.session.add(CareerProfile(client_id=job.client_id, work_goals="Butikk"))
    later = job.start_date + timedelta(days=7)
    db.session.add(JobHours(job_id=job.id, effective_from=later, hours_per_week=20))
    db.session.commit()
    return db


def _record_pages(db, user: User) -> list[str]:
    """The client pages, in ``user``'s scope, of the clients holding each kind of record, so the walk
    reaches the job, hours, benefits and profile pages whatever order the home lists people in."""
    holders = [
        select(Job.client_id).join(JobHours, JobHours.job_id == Job.id),
        select(BenefitsSession.client_id),
        select(CareerProfile.client_id),
    ]
    pages = []
    for held in holders:
        ref = db.session.scalar(
            select(Client.ref).where(client_scope(user), Client.id.in_(held)).order_by(Client.ref).limit(1)
        )
        if ref is not None:
            pages.append(f"/clients/{ref}")
    return pages


def _walk_as_everyone(app, db, login_as, client, language: str, emails=None) -> dict[str, Walk]:
    walks = {}
    for email in emails or [email for email, _role in DEMO_LOGINS]:
        user = db.session.scalar(select(User).where(User.email == email))
        user.language = language
        db.session.commit()
        login_as(user=user)
        walks[email] = walk(app, client, (*_record_pages(db, user), "/"))
    return walks


def _raw_codes(text: str, language: str, typed: set[str]) -> set[str]:
    words = set(TOKEN.findall(ADDRESS.sub(" ", text)))
    shown = {w for w in words & CODES if "_" in w or w in {"6m", "12m"}}
    if language == "nb":
        shown |= (words & CODES) - NORWEGIAN_WORDS
    return shown - typed


def _untranslated(text: str, typed_lines: set[str]) -> set[str]:
    catalogue = _catalogue()
    return {line for line in text.split("\n") if line in catalogue and line not in typed_lines}


@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_page_shows_words_not_codes_and_no_untranslated_message(app, demo, login_as, client, language):
    walks = _walk_as_everyone(app, demo, login_as, client, language)
    typed, typed_lines = _typed(demo)
    problems = [f"{who}: {failure}" for who, w in walks.items() for failure in w.failures]
    for who, w in walks.items():
        for url, (endpoint, text) in w.pages.items():
            for code in sorted(_raw_codes(text, language, typed)):
                problems.append(f"{who} {url} ({endpoint}) shows the code {code!r}")
            if language == "nb":
                for line in sorted(_untranslated(text, typed_lines)):
                    problems.append(f"{who} {url} ({endpoint}) shows untranslated {line!r}")
    assert problems == []
    reached = {endpoint for w in walks.values() for endpoint in w.reached}
    get_routes = {r.endpoint for r in app.url_map.iter_rules() if "GET" in (r.methods or ())}
    assert sorted(get_routes - reached - set(NOT_WALKED)) == []


def test_the_signed_out_sign_in_page_is_norwegian_for_a_norwegian_browser(client):
    from tests.i18n.crawl import visible

    text, _links = visible(
        client.get("/auth/login", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    )
    assert "Logg inn" in text and not _untranslated(text, set())


def test_every_message_of_the_code_has_a_norwegian_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with CATALOGUE.open("rb") as po, pot.open("rb") as template:
        nb, extracted = read_po(po), read_po(template)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = nb.get(message.id)
        strings = translated.string if translated else ""
        if not translated or not (all(strings) if isinstance(strings, tuple | list) else strings):
            missing.append(message.id)
    assert missing == []


def test_norwegian_pdfs_write_decimal_commas_and_csv_keeps_dots(app, demo, login_as, client, tmp_path):
    # The supervisor reaches every report of the programme.
    walks = _walk_as_everyone(app, demo, login_as, client, "nb", ["supervisor@demo.test"])
    downloads = {url: d for w in walks.values() for url, d in w.downloads.items()}
    pdfs = [body for _endpoint, mimetype, body in downloads.values() if mimetype == "application/pdf"]
    csvs = [body for _endpoint, mimetype, body in downloads.values() if mimetype == "text/csv"]
    assert pdfs and csvs
    decimal_comma, decimal_dot = re.compile(r"\b\d+,\d\b"), re.compile(r"(?<![\d.])\d+\.\d(?![\d.])")
    for i, body in enumerate(pdfs):
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(body)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert decimal_comma.search(text), text[:500]
        assert not decimal_dot.search(text), decimal_dot.findall(text)
    cells = [cell for body in csvs for row in csv.reader(io.StringIO(body.decode())) for cell in row]
    assert any(re.fullmatch(r"-?\d+\.\d+", cell) for cell in cells)
    assert not any(re.fullmatch(r"-?\d+,\d+", cell) for cell in cells)
