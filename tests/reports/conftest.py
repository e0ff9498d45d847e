"""Fixtures of the report tests: a local HTTP server that counts every request made to it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Counting(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        self.send_response(302 if self.path == "/redirect" else 200)
        self.send_header("Location", "file:///etc/passwd")
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b'body::after { content: "FROM-SERVER" }')

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    """A server on a free local port; yields (base URL, list of requested paths)."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


from tests.fidelity.conftest import in_request, programme  # noqa: E402,F401 - shared fixtures
