"""Walk the app as each demo person does: every GET page reachable by links, in a given language.

The pages are found by following links from the home page (GET only, within the app), at most a
few URLs per endpoint, so the walk stays small whatever the caseload; the test then checks the
endpoints it reached against app.url_map.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound

# Links that change state on GET or end the session; never followed.
NOT_FOLLOWED = {"auth.logout", "auth.language", "static", "prompts.feed"}
PER_ENDPOINT = 2
# The client page opens the records of one client: a few more of them reach a client with a job,
# benefits sessions and a career profile whatever order the home lists its people in.
PER_ENDPOINT_OF = {"principles.client_page": 6}
HIDDEN = {"script", "style", "template"}
VISIBLE_ATTRS = ("placeholder", "aria-label", "title", "alt")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in HIDDEN:
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in VISIBLE_ATTRS:
            if values.get(name):
                self.chunks.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.chunks.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def visible(html: str) -> tuple[str, list[str]]:
    """The text a person sees on the page (one line per text node) and the page's links."""
    page = _Page()
    page.feed(html)
    return "\n".join(page.chunks), page.links


@dataclass
class Walk:
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # url -> (endpoint, text)
    downloads: dict[str, tuple[str, str, bytes]] = field(
        default_factory=dict
    )  # url -> (endpoint, type, body)
    failures: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)  # endpoints that answered (pages, files, redirects)


def walk(app, client, starts: tuple[str, ...] = ("/",)) -> Walk:
    """GET every page reachable from ``starts`` by links, at most PER_ENDPOINT URLs per endpoint."""
    adapter = app.url_map.bind("localhost")
    seen_per_endpoint: Counter[str] = Counter()
    queue, queued, result = list(starts), set(starts), Walk()
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        endpoint = _endpoint(adapter, url) or "?"
        if response.status_code in (200, 301, 302, 303):
            result.reached.add(endpoint)
        if response.status_code in (301, 302, 303) and response.location:
            target = _internal(response.location)
            if target is not None and target not in queued and _endpoint(adapter, target) not in NOT_FOLLOWED:
                queued.add(target)
                queue.append(target)
            continue
        if response.status_code != 200:
            result.failures.append(f"GET {url} ({endpoint}) answered {response.status_code}")
            continue
        if not response.mimetype.startswith("text/html"):
            result.downloads[url] = (endpoint, response.mimetype, response.data)
            continue
        text, links = visible(response.get_data(as_text=True))
        result.pages[url] = (endpoint, text)
        for href in links:
            target = _internal(href)
            if target is None or target in queued:
                continue
            target_endpoint = _endpoint(adapter, target)
            if target_endpoint is None or target_endpoint in NOT_FOLLOWED:
                continue
            if seen_per_endpoint[target_endpoint] >= PER_ENDPOINT_OF.get(target_endpoint, PER_ENDPOINT):
                continue
            seen_per_endpoint[target_endpoint] += 1
            queued.add(target)
            queue.append(target)
    return result


def _internal(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _endpoint(adapter, url: str) -> str | None:
    try:
        endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
    except (NotFound, MethodNotAllowed):
        return None
    return str(endpoint)


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
