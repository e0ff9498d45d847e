from tests.browser.helpers import browser_page  # noqa: F401 - fixture for the browser journey
