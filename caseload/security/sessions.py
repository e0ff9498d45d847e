"""Session cookie over HTTPS, transport headers, and the admins' required second factor."""

from __future__ import annotations

from flask import current_app, has_request_context, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

# Pages an admin without a second factor may still open when it is required.
ENROLMENT_ENDPOINTS = frozenset(
    {"security.account", "security.two_step", "auth.logout", "auth.language", "static"}
)
HSTS = "max-age=31536000; includeSubDomains"


class CookieSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure when configured or when the request came over HTTPS
    (behind a proxy: X-Forwarded-Proto, honoured when CASELOAD_PROXY=1)."""

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def require_admin_second_factor():
    """With REQUIRE_ADMIN_TOTP, an admin without a second factor can only enrol one."""
    if not current_app.config.get("REQUIRE_ADMIN_TOTP") or not current_user.is_authenticated:
        return None
    if current_user.role != "admin" or current_user.totp_secret:
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    return redirect(url_for("security.two_step"))


def transport_headers(response):
    """HSTS over HTTPS; no cross-origin window or powerful browser features."""
    h = response.headers
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        h.setdefault("Strict-Transport-Security", HSTS)
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    return response
