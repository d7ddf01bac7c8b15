"""No visitor's IP address in the database: the sign-in rate limit counts keyed hashes.

django-allauth limits failed sign-ins, sign-ups and password resets per client address and
per e-mail address, counting in the cache; CityWatch's cache is a database table, so its
cache keys (``allauth:rl:account:login_failed:10/60/ip:203.0.113.77``) would put visitors'
addresses, and hashes of the e-mail addresses they tried, in the database. Two hooks that
allauth and Django document keep them out:

- ``AccountAdapter.get_client_ip`` hands allauth a keyed hash of the address (IPv6 cut to its
  /64 network first, as allauth does), never the address itself; allauth also puts the
  address in its optional notification e-mails, which then show the hash too;
- ``cache_key`` (the cache's ``KEY_FUNCTION``) turns every rate-limit key into a keyed hash
  as a whole, e-mail part included.

The key of both hashes changes every day (UTC): it is derived from SECRET_KEY and the date,
so a key from yesterday cannot be linked to today's, and without SECRET_KEY (which is not in
the database) an address cannot be recovered by trying all 2^32 IPv4 addresses. A limit's
window that spans midnight starts again at midnight: a small price.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

RATE_LIMIT_PREFIX = "allauth:rl:"
IPV6_PREFIX = 64


def day_secret(day: dt.date | None = None) -> bytes:
    """The secret of one UTC day: HMAC-SHA256 of the date under SECRET_KEY."""
    day = day or dt.datetime.now(dt.UTC).date()
    message = f"citywatch-rate-limit:{day.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def keyed_hash(text: str, day: dt.date | None = None) -> str:
    """A hex HMAC-SHA256 of ``text`` under the day's secret (64 characters)."""
    return hmac.new(day_secret(day), text.encode(), hashlib.sha256).hexdigest()


def network_of(address: str) -> str:
    """An IPv6 address cut to its /64 network (one household or phone); IPv4 unchanged."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address


def client_key(address: str, day: dt.date | None = None) -> str:
    """What stands for a client address wherever allauth would use the address."""
    return "client-" + keyed_hash(network_of(address), day)[:32]


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """The cache's KEY_FUNCTION: rate-limit keys become keyed hashes; others as Django's."""
    if key.startswith(RATE_LIMIT_PREFIX):
        key = "rl:" + keyed_hash(key)
    return f"{key_prefix}:{version}:{key}"


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, but the client is known only by a keyed hash of its address."""

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_key(super().get_client_ip(request))

    def get_http_user_agent(self, request: HttpRequest) -> str:
        return ""


def credited_name(user: Any, show_all_names: bool) -> str:
    """The name to show for ``user`` beside a change: public pages name a person only if they
    chose to be credited (their profile's ``credit_publicly``); ``show_all_names`` (team pages)
    names everyone. "" for nobody."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    if show_all_names:
        return profile.display_name if profile and profile.display_name else user.get_username()
    if profile is not None and profile.credit_publicly:
        return profile.display_name or user.get_username()
    return ""
