"""PDF rendering with WeasyPrint through a fetcher that serves only static files and data: URLs.

Nothing is fetched from the network or from ``file://``: a report is rendered from plain data, and
user text in it (a client's name, a note) must never make the server read a file or call a URL,
whether through ``<img>``, ``<link>``, CSS ``url()``/``@import``, fonts, SVG or attachments.

Every PDF is tagged PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant), so screen readers can read it as
public bodies must provide: the HTML must name its language (``<html lang>``) and have a title,
which become the document's language and title.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

LOG = logging.getLogger(__name__)
DEFAULT_STATIC = Path(__file__).resolve().parents[2] / "static"
DEFAULT_FOOTER = "Page {page} of {pages}"
PDF_VARIANT = "pdf/ua-1"
_LANG = re.compile(r"<html\b[^>]*\blang=\"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*[^<\s][^<]*</title>", re.IGNORECASE)


class UntitledDocument(ValueError):
    """HTML for a PDF without a language or a title, which PDF/UA requires."""


class RefusedURL(ValueError):
    """A resource outside the app's static folder and data: URLs."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``<origin>/static/…`` from the static folder and ``data:`` URLs, and nothing else.

    It never opens a connection nor reads a file outside the static folder, so there is nothing
    to redirect and no ``file://`` to follow. Refused URLs are kept in ``refused`` and logged.
    """

    def __init__(self, base_url: str, static_folder: Path, static_url_path: str = "/static"):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        base = urlsplit(base_url)
        if base.scheme not in ("http", "https") or not base.netloc:
            raise ValueError("base_url must be the app's http(s) root URL")
        self._origin = (base.scheme, base.netloc)
        self._prefix = static_url_path.rstrip("/") + "/"
        self._root = static_folder.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, _headers: dict | None = None) -> URLFetcherResponse:
        """Return the static file or decoded data: URL, or raise RefusedURL."""
        if url[:5].lower() == "data:":
            return _data_response(url)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            LOG.warning("PDF fetcher refused %s", url[:200])
            raise RefusedURL(url[:200])
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != tuple(x.lower() for x in self._origin):
            return None
        if not parts.path.startswith(self._prefix):
            return None
        candidate = (self._root / unquote(parts.path[len(self._prefix) :])).resolve()
        if not candidate.is_relative_to(self._root) or not candidate.is_file():
            return None
        return candidate


def _data_response(url: str) -> URLFetcherResponse:
    header, sep, payload = url[5:].partition(",")
    if not sep:
        raise RefusedURL("malformed data: URL")
    is_b64 = header.lower().endswith(";base64")
    mediatype = header[: -len(";base64")] if is_b64 else header
    raw = unquote_to_bytes(payload)
    body = base64.b64decode(raw) if is_b64 else raw
    return URLFetcherResponse(url, body, {"Content-Type": mediatype or "text/plain"})


def page_css(footer: str = DEFAULT_FOOTER) -> str:
    """A4 pages with ``footer`` in the bottom margin; ``{page}`` and ``{pages}`` become counters."""
    pieces = []
    for token in re.split(r"(\{page\}|\{pages\})", footer):
        if token in ("{page}", "{pages}"):
            pieces.append(f"counter({token[1:-1]})")
        elif token:
            pieces.append('"' + re.sub(r'["\\\n]', lambda m: f"\\{ord(m[0]):x} ", token) + '"')
    content = " ".join(pieces) or '""'
    return (
        "@page { size: A4; margin: 18mm 16mm 20mm 16mm;"
        f" @bottom-center {{ content: {content}; font: 8pt sans-serif; color: #333; }} }}"
    )


def _static_defaults() -> tuple[Path, str]:
    from flask import current_app, has_app_context

    if has_app_context() and current_app.static_folder:
        return Path(current_app.static_folder), current_app.static_url_path or "/static"
    return DEFAULT_STATIC, "/static"


def render_pdf(
    html: str,
    *,
    base_url: str,
    footer: str = DEFAULT_FOOTER,
    static_folder: Path | None = None,
) -> bytes:
    """Render ``html`` to tagged A4 PDF/UA-1 bytes, fetching only the app's static files and
    data: URLs. ``html`` must set ``<html lang>`` and a ``<title>`` (``UntitledDocument``)."""
    if not _LANG.search(html) or not _TITLE.search(html):
        raise UntitledDocument("a PDF's HTML needs <html lang=…> and a non-empty <title>")
    folder, url_path = _static_defaults()
    fetcher = StaticOnlyFetcher(base_url, static_folder or folder, url_path)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheets = [CSS(string=page_css(footer), url_fetcher=fetcher)]
    return document.write_pdf(stylesheets=stylesheets, pdf_variant=PDF_VARIANT)
