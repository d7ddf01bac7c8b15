"""The public view of a request's letters: the people behind the request are not named.

When a request is public, its letters are shown to the public with these replaced:

- the names and e-mail addresses of the people of the requesting team (its members and the
  person who filed the request): full name, surname, user name, the name they credit
  themselves with and every address of each (a name of one word is matched with its case,
  so the surname "Rose" does not hide the flower; a first name alone is not hidden). Names
  are matched as search finds them: in either Serbian script, with or without accents
  (``Petrović``, ``Petrovic``, ``Петровић``; ``đ`` as ``dj`` or ``d``), and with any
  punctuation between their words (the file name ``odgovor-Ana_Petrovic.pdf``);
- the requesting organisation's own e-mail address;
- the hash of the reply address (``request-42-…@foi.example.org``), so nobody can write into
  the request's thread;
- the addresses and names listed in ``CITYWATCH_REDACT_ADDRESSES``.

The stored letter is never changed: its team sees it as received (``permissions.sees_originals``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from django.utils.translation import gettext as _

from citywatch.core.text import to_latin
from citywatch.foi.mail.addresses import hide_hashes
from citywatch.foi.mail.config import redacted_terms

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MIN_NAME_LENGTH = 3
# Letters that do not decompose into a base letter and a mark (đ as in Serbian Latin).
SPECIAL_LETTERS = str.maketrans(
    {"đ": "dj", "Đ": "Dj", "ð": "d", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss"}
)
NOT_ALNUM = r"[A-Za-z0-9]"


@lru_cache(maxsize=10_000)
def _fold_char(char: str) -> str:
    """One character in plain ASCII letters and digits, its case kept ("ć" → "c", "Љ" → "Lj",
    "đ" → "dj"); anything else that is not a letter or digit becomes a space, a mark nothing."""
    category = unicodedata.category(char)[0]
    if category == "M":
        return ""
    if category not in "LN":
        return " "
    decomposed = unicodedata.normalize("NFKD", to_latin(char))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.translate(SPECIAL_LETTERS)
    if not plain.isascii():
        plain = anyascii(plain)
    return "".join(re.findall(NOT_ALNUM, plain))


def _folded(text: str) -> tuple[str, list[int]]:
    """The text folded character by character, and for each folded character the index of
    the original character it comes from."""
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        origins += [index] * len(piece)
    return "".join(pieces), origins


@lru_cache(maxsize=1_000)
def _name_pattern(name: str) -> re.Pattern | None:
    """A name as it may be written: folded like the text, any separators between its words,
    ``dj`` (from ``đ``) also as ``d``; a name of several words in any case."""
    words = _folded(name)[0].split()
    if not words:
        return None
    escaped = [re.sub(r"([Dd])([Jj])", r"\1\2?", re.escape(word)) for word in words]
    pattern = rf"(?<!{NOT_ALNUM})" + r" +".join(escaped) + rf"(?!{NOT_ALNUM})"
    return re.compile(pattern, re.IGNORECASE if len(words) > 1 else 0)


def _after_marks(text: str, end: int) -> int:
    """The end of a match moved past the marks that belong to its last letter."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _hide_name(text: str, name: str, replacement: str) -> str:
    pattern = _name_pattern(name)
    if pattern is None:
        return text
    folded, origins = _folded(text)
    spans = [
        (origins[m.start()], _after_marks(text, origins[m.end() - 1] + 1))
        for m in pattern.finditer(folded)
    ]
    for start, end in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


@dataclass(frozen=True)
class Redactor:
    """Replaces a fixed list of addresses and names in texts."""

    addresses: tuple[str, ...]
    names: tuple[str, ...]

    def __call__(self, text: str) -> str:
        if not text:
            return text
        text = hide_hashes(text)
        for address in self.addresses:
            text = re.sub(re.escape(address), _("[address removed]"), text, flags=re.IGNORECASE)
        for name in self.names:
            text = _hide_name(text, name, _("[name removed]"))
        return text


def people_of(request) -> list:
    """The people behind a request: members of its owning team and who filed it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.none()
    if request.owner_team_id is not None:
        users = get_user_model().objects.filter(memberships__team=request.owner_team_id)
    if request.created_by_id is not None:
        users = users | get_user_model().objects.filter(pk=request.created_by_id)
    return list(users.distinct().prefetch_related("emailaddress_set"))


def _user_terms(user) -> tuple[list[str], list[str]]:
    addresses = [user.email] + [entry.email for entry in user.emailaddress_set.all()]
    full = f"{user.first_name} {user.last_name}".strip()
    names = [full, user.last_name, user.get_username()]
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        names.append(profile.display_name)
    return addresses, names


def redactor_for(request) -> Redactor:
    """What to hide in the public view of this request's letters."""
    addresses: list[str] = []
    names: list[str] = []
    for user in people_of(request):
        found_addresses, found_names = _user_terms(user)
        addresses += found_addresses
        names += found_names
    if request.requester.email:
        addresses.append(request.requester.email)
    for term in redacted_terms():
        (addresses if EMAIL.fullmatch(term) else names).append(term)
    return Redactor(
        addresses=_longest_first(a for a in addresses if a and "@" in a),
        names=_longest_first(n for n in names if n and len(n.strip()) >= MIN_NAME_LENGTH),
    )


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    unique = {item.strip() for item in items if item.strip()}
    return tuple(sorted(unique, key=lambda item: (-len(item), item)))
