"""Fixtures of the trial tests."""

from tests.browser.helpers import browser_page  # noqa: F401 - fixture
