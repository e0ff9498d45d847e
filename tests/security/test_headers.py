"""Security headers on every answer; no inline script or style anywhere in the templates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests import factories

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered only into PDFs by WeasyPrint (no browser, no CSP); the route matrix checks every page served.
PDF_ONLY = ("reports/", "outcomes/quarterly_report.html", "trial/reports/report_pdf.html")


def _csp(response) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in response.headers["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.fixture
def client_page(client, db, login_as):
    user = login_as("specialist")
    c = factories.client(db.session, user, entry=date.today() - timedelta(days=10))
    db.session.commit()
    return client.get(f"/clients/{c.ref}")


def test_csp_is_strict_no_inline_script_no_plugins_no_framing(client_page):
    assert client_page.status_code == 200
    csp = _csp(client_page)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]


def test_nosniff_referrer_policy_and_no_framing(client_page):
    h = client_page.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert h["X-Frame-Options"] == "DENY"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_with_client_data_are_not_stored(client_page):
    assert client_page.headers["Cache-Control"] == "no-store"


def test_even_the_sign_in_page_and_errors_have_the_headers(client):
    for response in (client.get("/auth/login"), client.get("/no-such-page")):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_no_hsts_over_plain_http(client_page):
    assert "Strict-Transport-Security" not in client_page.headers


def test_hsts_over_https(client):
    response = client.get("/auth/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


class _InlineFinder(HTMLParser):
    """Finds what the strict CSP would block: inline scripts and styles, handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                self.found.append(f"style= on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL in {name} of <{tag}>")


def inline_code(html: str) -> list[str]:
    """What the strict CSP would block in this page."""
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)


def test_no_template_has_inline_script_style_or_handlers():
    problems = {
        str(path.relative_to(TEMPLATES)): inline_code(TEMPLATE_TAG.sub("x", path.read_text()))
        for path in TEMPLATES.rglob("*.html")
        if not path.relative_to(TEMPLATES).as_posix().startswith(PDF_ONLY)
    }
    assert not {k: v for k, v in problems.items() if v}
