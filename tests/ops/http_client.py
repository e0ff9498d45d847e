"""A small HTTP client with cookies and the CSRF token, for tests against a real server."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is the answer we want to see
        return None


class Browser:
    """Keeps the session cookie; ``post`` answers (status, Location header)."""

    def __init__(self, base: str, timeout: float = 10) -> None:
        self.base, self.timeout = base, timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.token: str | None = None

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")

    def fetch_token(self, path: str) -> str:
        _, html = self.get(path)
        match = TOKEN.search(html)
        self.token = match.group(1) or match.group(2) if match else None
        return self.token or ""

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token or ""}).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", "")

    def sign_in(self, email: str, password: str) -> None:
        self.fetch_token("/auth/login")
        status, location = self.post("/auth/login", {"email": email, "password": password})
        if status != 302:
            raise AssertionError(f"sign-in answered {status}")
        self.fetch_token("/referrals/new")
