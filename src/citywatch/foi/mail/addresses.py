"""Reply addresses: ``request-<id>-<hash>@<mail domain>``, one per request.

The hash is an HMAC of the request's id with a key derived from ``SECRET_KEY`` (Django's
``salted_hmac`` with this module's salt), cut to 12 hexadecimal digits (48 bits): nobody can
guess the address of a request from its number, so nobody can slip a "reply" into a request's
timeline without having received a letter from it. Addresses made with a key listed in
``SECRET_KEY_FALLBACKS`` are still recognised after the key is rotated.

>>> reply_address(request)                    # doctest: +SKIP
'request-42-1f3a9c0b7d2e@foi.example.org'
"""

from __future__ import annotations

import hmac
import re
from email.utils import getaddresses

from django.conf import settings
from django.utils.crypto import salted_hmac

from citywatch.foi.mail.config import mail_domain

SALT = "citywatch.foi.mail.reply-address"
HASH_LENGTH = 12
LOCAL_PART = re.compile(rf"^request-(?P<pk>[0-9]{{1,18}})-(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})$")
# Any reply address in a text, whatever its domain (used to hide the hash in public).
IN_TEXT = re.compile(rf"\brequest-([0-9]{{1,18}})-[0-9a-fA-F]{{{HASH_LENGTH}}}\b")


def address_hash(pk: int, secret: str | None = None) -> str:
    """The 12-digit hash of a request id under ``secret`` (default ``SECRET_KEY``)."""
    digest = salted_hmac(SALT, str(pk), secret=secret, algorithm="sha256").hexdigest()
    return digest[:HASH_LENGTH]


def reply_address(request_or_pk) -> str:
    """The reply address of a request (or of a request id)."""
    pk = getattr(request_or_pk, "pk", request_or_pk)
    return f"request-{pk}-{address_hash(pk)}@{mail_domain()}"


def request_id_of(address: str) -> int | None:
    """The request id a reply address belongs to, or None when it is not one of ours.

    The domain must be the mail domain and the hash must match the id under ``SECRET_KEY``
    or one of ``SECRET_KEY_FALLBACKS``; letter case does not matter (some servers change it).
    A ``+tag`` after the local part is ignored.
    """
    local, _at, domain = address.strip().strip("<>").lower().rpartition("@")
    if not local or domain != mail_domain():
        return None
    local = local.split("+", 1)[0]
    match = LOCAL_PART.match(local)
    if match is None:
        return None
    pk = int(match["pk"])
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for secret in secrets:
        if hmac.compare_digest(address_hash(pk, secret), match["hash"]):
            return pk
    return None


def addresses_in(*header_values: str) -> list[str]:
    """The bare addresses named in header values (To, Cc, Delivered-To...), in order."""
    found = []
    for _name, address in getaddresses([value for value in header_values if value]):
        if "@" in address and address not in found:
            found.append(address)
    return found


def hide_hashes(text: str) -> str:
    """``text`` with the hash of every reply address replaced by ``…``."""
    return IN_TEXT.sub(lambda match: f"request-{match[1]}-…", text)
