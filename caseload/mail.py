"""Sending e-mail over the configured SMTP server, and links back into the app."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    """An SMTP server is configured (SMTP_HOST)."""
    return bool(current_app.config.get("SMTP_HOST"))


def app_url(path: str) -> str:
    """An absolute link for a mail: CASELOAD_BASE_URL followed by ``path``."""
    base = current_app.config.get("CASELOAD_BASE_URL") or "http://127.0.0.1:5000"
    return base.rstrip("/") + path


def mail_message(*, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from SMTP_SENDER."""
    msg = EmailMessage()
    msg["From"] = current_app.config.get("SMTP_SENDER") or "caseload@localhost"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def send(messages: Iterable[EmailMessage]) -> int:
    """Send over the configured SMTP server (STARTTLS and login when configured)."""
    cfg = current_app.config
    sent = 0
    with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT", 25)), timeout=30) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USERNAME"):
            smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD", ""))
        for msg in messages:
            smtp.send_message(msg)
            sent += 1
    return sent
