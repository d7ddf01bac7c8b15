"""Outgoing mail: the outbox (the embedded default) and the choice of delivery.

With no mail server configured, every message CityWatch sends (account verification,
password resets, FOI letters, reminders) is written as one RFC 5322 file (``.eml``) to the
outbox folder, ``CITYWATCH_DATA_DIR/outbox/`` by default. Staff read it at ``/outbox/``; any
mail client opens the files too. ``CITYWATCH_EMAIL_URL`` (or ``CITYWATCH_EMAIL_HOST``) switches
to real delivery through an SMTP server.

    smtp://user:password@mail.example.org:587?tls=1    STARTTLS on port 587
    smtps://user:password@mail.example.org             implicit TLS (port 465 by default)
    smtp://localhost                                   a local relay on port 25
    outbox:                                            keep mail in the outbox (the default)
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage as ParsedMessage
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.mail.backends.base import BaseEmailBackend

OUTBOX_BACKEND = "citywatch.core.mail.OutboxBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# A message file is named <UTC time>-<random>.eml, so names sort by time and never collide.
MESSAGE_NAME = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{8}\.eml$")
TRUE_WORDS = {"1", "true", "yes", "on"}


class EmailURLError(ValueError):
    """CITYWATCH_EMAIL_URL cannot be understood."""


def email_settings_from_url(url: str) -> dict[str, Any]:
    """Django e-mail settings for a ``CITYWATCH_EMAIL_URL``.

    Returns a dict with EMAIL_BACKEND and, for SMTP, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and EMAIL_USE_SSL. User name and password may be
    percent-encoded (``%40`` for ``@``). Query flags: ``tls=1`` (STARTTLS), ``ssl=1``.

    Raises:
        EmailURLError: for an unknown scheme or an SMTP URL without a host.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "outbox":
        return {"EMAIL_BACKEND": OUTBOX_BACKEND}
    if scheme not in {"smtp", "smtps", "submission"}:
        raise EmailURLError(
            f"CITYWATCH_EMAIL_URL must start with smtp://, smtps:// or outbox: (got {scheme!r})"
        )
    if not parts.hostname:
        raise EmailURLError("CITYWATCH_EMAIL_URL names no host, e.g. smtp://mail.example.org")
    flags = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or flags.get("ssl", "").lower() in TRUE_WORDS
    use_tls = not use_ssl and (scheme == "submission" or flags.get("tls", "").lower() in TRUE_WORDS)
    default_port = 465 if use_ssl else 587 if use_tls else 25
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def delivery_summary() -> str:
    """One line saying where outgoing mail goes under the current settings (for `check`)."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    backend = settings.EMAIL_BACKEND
    if backend == OUTBOX_BACKEND:
        return _(
            "kept in the outbox (%(folder)s), read by staff at /outbox/; "
            "set CITYWATCH_EMAIL_URL to deliver it"
        ) % {"folder": outbox_dir()}
    if backend == SMTP_BACKEND:
        if settings.EMAIL_USE_SSL:
            security = _("implicit TLS")
        elif settings.EMAIL_USE_TLS:
            security = _("STARTTLS")
        else:
            security = _("no TLS")
        return _("delivered by SMTP via %(host)s:%(port)s (%(security)s)") % {
            "host": settings.EMAIL_HOST,
            "port": settings.EMAIL_PORT,
            "security": security,
        }
    return _("handled by %(backend)s") % {"backend": backend}


def outbox_dir() -> Path:
    """The outbox folder: CITYWATCH_OUTBOX_DIR, else ``<data folder>/outbox``."""
    from django.conf import settings

    return Path(settings.CITYWATCH_OUTBOX_DIR)


class OutboxBackend(BaseEmailBackend):
    """A Django e-mail backend that writes each message to the outbox as one ``.eml`` file.

    Files are created with mode 0600 (they hold sign-in links); the folder with 0700.
    """

    _lock = threading.Lock()

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            with self._lock:
                path = folder / _new_name()
                path.write_bytes(message.message().as_bytes(linesep="\n"))
                path.chmod(0o600)
            sent += 1
        return sent


def _new_name() -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(4)}.eml"


@dataclass(frozen=True)
class OutboxMessage:
    """One message read back from the outbox. ``body`` is the plain-text part only."""

    name: str
    sent_at: dt.datetime
    subject: str
    sender: str
    recipients: str
    body: str

    @property
    def key(self) -> str:
        return self.name.removesuffix(".eml")


def _sent_at(name: str) -> dt.datetime:
    return dt.datetime.strptime(name[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)


def _plain_text(message: ParsedMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    # An HTML-only message: show its source as text, never render it.
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


def read_message(name: str) -> OutboxMessage | None:
    """The message stored as ``name`` (a file name from list_messages), or None.

    Only names the outbox itself creates are accepted, so no path can leave the folder.
    """
    if not MESSAGE_NAME.match(name):
        return None
    path = outbox_dir() / name
    if not path.is_file():
        return None
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, ParsedMessage)
    return OutboxMessage(
        name=name,
        sent_at=_sent_at(name),
        subject=str(parsed.get("Subject", "")),
        sender=str(parsed.get("From", "")),
        recipients=", ".join(
            str(parsed.get(header)) for header in ("To", "Cc") if parsed.get(header)
        ),
        body=_plain_text(parsed),
    )


def message_names() -> list[str]:
    """File names in the outbox, newest first."""
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    return sorted(
        (path.name for path in folder.iterdir() if MESSAGE_NAME.match(path.name)), reverse=True
    )


def list_messages(limit: int | None = None) -> list[OutboxMessage]:
    """The newest ``limit`` messages (all when None), newest first."""
    names = message_names()
    chosen: Iterable[str] = names if limit is None else names[:limit]
    return [message for name in chosen if (message := read_message(name)) is not None]
