"""Public keys: the ids a record shows the world instead of its database number.

A database number is sequential: the gap between two public records' numbers counts the
hidden records made between them, and dates them. A record that can be hidden therefore
shows only a random key in its addresses and in API ids: 10 lower-case base32 letters
(RFC 4648 alphabet, 50 bits), minted at creation, with at least one letter, so that no key
ever reads as a number (an all-digit path is an old numeric address, never a key).

    >>> key = mint_key()
    >>> len(key), bool(KEY_PATTERN.fullmatch(key)), key.isdigit()
    (10, True, False)

A record that is only ever shown inside a page (a cited passage's anchor) needs no column of
its own: ``opaque_id`` derives a stable, unguessable id from its number with an HMAC keyed by
``SECRET_KEY``, so the number cannot be read back or counted.

``PublicKeyConverter`` is the URL converter for such keys (registered as ``pubkey``).
"""

from __future__ import annotations

import re
import secrets
import string

from django.utils.crypto import salted_hmac

# RFC 4648 base32, lower case: no 0/1/8/9, so a key never looks like l/o/b/g either.
ALPHABET = string.ascii_lowercase + "234567"
KEY_LENGTH = 10
KEY_REGEX = rf"[a-z2-7]{{{KEY_LENGTH}}}"
KEY_PATTERN = re.compile(KEY_REGEX)


def mint_key() -> str:
    """A fresh random key: ``KEY_LENGTH`` base32 letters, at least one of them a letter
    (``secrets``, the operating system's random source). Uniqueness is the caller's column
    constraint (2**50 keys: a clash is not expected in the lifetime of a site)."""
    while True:
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        if not key.isdigit():
            return key


def is_key(text: str) -> bool:
    """Whether ``text`` has the shape of a public key (says nothing of whether it exists)."""
    return bool(KEY_PATTERN.fullmatch(text or ""))


def opaque_id(namespace: str, number: int, length: int = 12) -> str:
    """A stable id for the record ``number`` of ``namespace`` (e.g. "citation") that tells
    nothing of the number: the first ``length`` hexadecimal digits of an HMAC-SHA256 of it
    under a key derived from ``SECRET_KEY`` (Django's ``salted_hmac``). It changes when
    ``SECRET_KEY`` is rotated."""
    digest = salted_hmac(f"citywatch.public-id.{namespace}", str(number), algorithm="sha256")
    return digest.hexdigest()[:length]


class PublicKeyConverter:
    """Django path converter for ``<pubkey:key>``."""

    regex = KEY_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register_url_converter() -> None:
    """Register ``PublicKeyConverter`` as ``<pubkey:...>`` once, from whichever URLconf is
    read first (Django warns when a converter name is registered twice)."""
    from django.urls import register_converter
    from django.urls.converters import get_converters

    if "pubkey" not in get_converters():
        register_converter(PublicKeyConverter, "pubkey")
