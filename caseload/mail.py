"""Sending e-mail over the configured SMTP server, and links back into the app."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app


def mail_configured() -> bool:
    """An SMTP server is configured (SMTP_HOST)."""
    return bool(current_app.config.get("SMTP_HOST"))


def app_url(path: str) -> str:
    """An absolute link for a mail: CASELOAD_BASE_URL followed by ``path``."""
    base = current_app.config.get("CASELOAD_BASE_URL") or "http://127.0.0.1:5000"
    return base.rstrip("/") + path


def _sender_domain(sender: str) -> str | None:
    """The sender's domain names the Message-ID (not this host's name, which may be internal)."""
    try:
        return Address(addr_spec=sender).domain or None
    except (ValueError, IndexError):
        return None


def mail_message(*, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from SMTP_SENDER with the headers mail filters expect (Date, Message-ID)."""
    sender = current_app.config.get("SMTP_SENDER") or "caseload@localhost"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=_sender_domain(sender))
    msg.set_content(body)
    return msg


def tls_context() -> ssl.SSLContext:
    """Verifies the server's certificate (against SMTP_CA_FILE when set, else the system's CAs)."""
    return ssl.create_default_context(cafile=current_app.config.get("SMTP_CA_FILE") or None)


def send(messages: Iterable[EmailMessage]) -> int:
    """Send over the configured SMTP server (STARTTLS and login when configured)."""
    cfg = current_app.config
    sent = 0
    with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT", 25)), timeout=30) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls(context=tls_context())
        if cfg.get("SMTP_USERNAME"):
            smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD", ""))
        for msg in messages:
            smtp.send_message(msg)
            sent += 1
    return sent
