"""The public view of a request's letters: the people behind the request are not named.

When a request is public, its letters are shown to the public with these replaced:

- the names and e-mail addresses of the people of the requesting team (its members and the
  person who filed the request): full name, surname, user name, the name they credit
  themselves with and every address of each (a name of one word is matched with its case,
  so the surname "Rose" does not hide the flower; a first name alone is not hidden);
- the requesting organisation's own e-mail address;
- the hash of the reply address (``request-42-…@foi.example.org``), so nobody can write into
  the request's thread;
- the addresses and names listed in ``CITYWATCH_REDACT_ADDRESSES``.

The stored letter is never changed: its team sees it as received (``permissions.sees_originals``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citywatch.foi.mail.addresses import hide_hashes
from citywatch.foi.mail.config import redacted_terms

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MIN_NAME_LENGTH = 3


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
            words = name.split()
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
            flags = re.IGNORECASE if len(words) > 1 else 0
            text = re.sub(pattern, _("[name removed]"), text, flags=flags)
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
