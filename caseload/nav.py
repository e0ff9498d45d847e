"""Features add their links to the main navigation and their banners to every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app


@dataclass(frozen=True, slots=True)
class NavItem:
    endpoint: str
    label: object
    roles: tuple[str, ...]


def nav_register(app: Flask, endpoint: str, label, roles: tuple[str, ...]) -> None:
    """Add a link for people holding one of ``roles``."""
    app.extensions.setdefault("caseload_nav", []).append(NavItem(endpoint, label, roles))


def banner_register(app: Flask, banner: Callable[[], object | None]) -> None:
    """Add a function that returns a banner text for the current person, or None."""
    app.extensions.setdefault("caseload_banners", []).append(banner)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation() -> dict:
        ext = current_app.extensions
        banners = [b() for b in ext.get("caseload_banners", [])]
        return {"nav_items": ext.get("caseload_nav", []), "page_banners": [b for b in banners if b]}
