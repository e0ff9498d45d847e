"""Fixtures of the corrections tests."""

from tests.browser.helpers import browser_page  # noqa: F401 - fixture of the browser journey
