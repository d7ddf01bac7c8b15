"""Reply addresses: ``request-<key>-<hash>@<mail domain>``, one per request.

``<key>`` is the request's public key (``citywatch.core.public_keys``), never its database
number (sequential numbers would tell an authority how many requests were made between two of
its own). The hash is an HMAC of the key with a key derived from ``SECRET_KEY`` (Django's
``salted_hmac`` with this module's salt), cut to 12 hexadecimal digits (48 bits): nobody can
slip a "reply" into a request's timeline without having received a letter from it. Addresses
made with a key listed in ``SECRET_KEY_FALLBACKS`` are still recognised after the key is
rotated.

Letters sent before public keys came bear ``request-<number>-<hash>`` (the hash of the number):
those addresses are still recognised, so replies to old letters keep finding their request.

>>> reply_address(request)                    # doctest: +SKIP
'request-k3xq7mb2rd-1f3a9c0b7d2e@foi.example.org'
"""

from __future__ import annotations

import hmac
import re
from email.utils import getaddresses

from django.conf import settings
from django.utils.crypto import salted_hmac

from citywatch.core.public_keys import KEY_REGEX
from citywatch.foi.mail.config import mail_domain

SALT = "citywatch.foi.mail.reply-address"
HASH_LENGTH = 12
# A request's key, or (in addresses of letters sent before keys came) its number.
_IDENTIFIER = rf"[0-9]{{1,18}}|{KEY_REGEX}"
LOCAL_PART = re.compile(
    rf"^request-(?P<identifier>{_IDENTIFIER})-(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})$"
)
# Any reply address in a text, whatever its domain (used to hide the hash in public).
IN_TEXT = re.compile(
    rf"\brequest-(?:(?P<number>[0-9]{{1,18}})|(?P<key>{KEY_REGEX}))-[0-9a-fA-F]{{{HASH_LENGTH}}}\b"
)


def address_hash(identifier: str | int, secret: str | None = None) -> str:
    """The 12-digit hash of a request's key (or, for old addresses, its number) under
    ``secret`` (default ``SECRET_KEY``)."""
    digest = salted_hmac(SALT, str(identifier), secret=secret, algorithm="sha256").hexdigest()
    return digest[:HASH_LENGTH]


def reply_address(request) -> str:
    """The reply address of a request."""
    return f"request-{request.key}-{address_hash(request.key)}@{mail_domain()}"


def request_lookup(address: str) -> dict[str, str | int] | None:
    """How to find the request a reply address belongs to (``{"key": ...}``, or
    ``{"pk": ...}`` for an address made before public keys), or None when it is not one of
    ours.

    The domain must be the mail domain and the hash must match under ``SECRET_KEY`` or one of
    ``SECRET_KEY_FALLBACKS``; letter case does not matter (some servers change it). A ``+tag``
    after the local part is ignored.
    """
    local, _at, domain = address.strip().strip("<>").lower().rpartition("@")
    if not local or domain != mail_domain():
        return None
    local = local.split("+", 1)[0]
    match = LOCAL_PART.match(local)
    if match is None:
        return None
    identifier = match["identifier"]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for secret in secrets:
        if hmac.compare_digest(address_hash(identifier, secret), match["hash"]):
            return {"pk": int(identifier)} if identifier.isdigit() else {"key": identifier}
    return None


def addresses_in(*header_values: str) -> list[str]:
    """The bare addresses named in header values (To, Cc, Delivered-To...), in order."""
    found = []
    for _name, address in getaddresses([value for value in header_values if value]):
        if "@" in address and address not in found:
            found.append(address)
    return found


def hide_hashes(text: str) -> str:
    """``text`` with the hash of every reply address replaced by ``…`` (and the number of an
    old address too: a request shows its key, never its number)."""
    return IN_TEXT.sub(
        lambda match: f"request-{match['key']}-…" if match["key"] else "request-…", text
    )
