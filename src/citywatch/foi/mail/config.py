"""The FOI desk's mail settings, read from Django settings or the environment.

Each value is taken from the Django setting of the same name when a deployment defines one,
else from the environment variable of that name:

- ``CITYWATCH_MAIL_DOMAIN``: the domain of the reply addresses (``foi.example.org``); by
  default the domain of ``DEFAULT_FROM_EMAIL``.
- ``CITYWATCH_IMAP_URL``: the mailbox ``citywatch fetch-mail`` polls,
  ``imaps://user:password@host[:993]/INBOX`` (TLS; ``imap+starttls://`` upgrades a plain
  connection; plain ``imap://`` is accepted for the local host only).
- ``CITYWATCH_IMAP_PROCESSED``: the folder filed mail is moved to (default ``Processed``).
- ``CITYWATCH_IMAP_CA_FILE``: a PEM file of certificates to trust instead of the system's
  (a server with its own certificate).
- ``CITYWATCH_REDACT_ADDRESSES``: comma-separated e-mail addresses and names hidden in the
  public view of letters (a campaigner's private address, a lawyer's name).
- ``CITYWATCH_MAIL_MAX_BYTES``: the largest message accepted (default 40 MB).
"""

from __future__ import annotations

import os

from django.conf import settings

DEFAULT_MAX_BYTES = 40 * 1024 * 1024


def setting(name: str, default: str = "") -> str:
    """A mail setting: the Django setting ``name`` if defined, else the environment's."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def mail_domain() -> str:
    """The domain of reply addresses, lower case (e.g. ``foi.example.org``)."""
    domain = setting("CITYWATCH_MAIL_DOMAIN").strip().strip("@")
    if not domain:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >")
    return (domain or "localhost").lower()


def redacted_terms() -> list[str]:
    """Addresses and names configured to be hidden in public letters."""
    value = getattr(settings, "CITYWATCH_REDACT_ADDRESSES", None)
    if value is None:
        value = os.environ.get("CITYWATCH_REDACT_ADDRESSES", "")
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def max_message_bytes() -> int:
    """The largest message ``receive-mail`` and ``fetch-mail`` accept, in bytes."""
    try:
        return int(setting("CITYWATCH_MAIL_MAX_BYTES", str(DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES
