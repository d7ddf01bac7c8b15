"""Fetching a source's web address safely, to keep a copy of it.

A source URL is typed by a contributor, so fetching it must not become a way into the
server's own network. ``fetch()``:

* accepts http and https only, and no user name or password in the address;
* resolves the host name itself and refuses the request unless *every* address it resolves
  to is a public one: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
  (169.254/16 — where cloud metadata services live — and fe80::/10), shared (100.64/10),
  multicast, reserved and unspecified addresses are refused, as are IPv6 forms that embed
  such an IPv4 address (::ffff:127.0.0.1, 64:ff9b::10.0.0.1);
* connects to the very address it checked (no second DNS lookup that could answer
  differently), still verifying the TLS certificate for the host name;
* follows at most a few redirects by hand, checking each new address the same way;
* sends no cookies and keeps none, uses no proxy, asks for an uncompressed body;
* gives up after a time limit and when the body grows past a size limit.

Tests run a web server on 127.0.0.1; ``CITYWATCH_ARCHIVE_ALLOW_LOOPBACK`` (a Django setting,
never an environment variable) lets them through: ``True`` for any loopback port, or a
collection of port numbers. It is off by default and must stay off in production.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
MAX_REDIRECTS = 5
USER_AGENT = "CityWatch-Archiver/1.0 (+https://citywatch.example/docs/evidence)"
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
REDIRECT_CODES = {301, 302, 303, 307, 308}


class ArchiveError(Exception):
    """The address could not be archived; the message says why, for people."""


class RefusedAddress(ArchiveError):
    """The address is not one CityWatch may fetch (wrong scheme, or not a public host)."""


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    content_type: str
    body: IO[bytes]
    size: int


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to, duplicates removed, in the resolver's order.

    Raises:
        ArchiveError: when the name cannot be resolved, or is not a valid host name.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ArchiveError(_("The host %(host)s could not be found.") % {"host": host}) from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def loopback_allowed(port: int) -> bool:
    allowed = getattr(settings, "CITYWATCH_ARCHIVE_ALLOW_LOOPBACK", False)
    if allowed is True:
        return True
    if not allowed:
        return False
    return port in allowed


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None and not is_public(inner):
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        or not address.is_global
    )


def check_address(text: str, port: int) -> str:
    """Return the address if CityWatch may connect to it: a public address, or loopback on
    a port CITYWATCH_ARCHIVE_ALLOW_LOOPBACK allows (tests). ``text``: an IP address, an IPv6
    zone (``%eth0``) allowed; an IPv4-mapped IPv6 address is judged as the IPv4 one.

    Raises:
        RefusedAddress: when the address is not public (private, loopback, link-local...).
        ValueError: when ``text`` is not an IP address.
    """
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback and loopback_allowed(port):
        return str(address)
    if not is_public(address):
        raise RefusedAddress(
            _("%(address)s is not a public address; CityWatch does not fetch from it.")
            % {"address": address}
        )
    return str(address)


@dataclass
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_url(url: str, resolver: Resolver = resolve) -> Target:
    """Check scheme and host of a URL; returns where to connect (the first address).

    Raises:
        RefusedAddress: when the URL is malformed, not http or https, carries a user name or
            password, has no host, or its host has an address that is not public.
        ArchiveError: when the host name cannot be found (from ``resolver``, or no address).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise RefusedAddress(_("This is not a valid web address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedAddress(_("Only http and https addresses can be archived."))
    if parts.username or parts.password:
        raise RefusedAddress(_("Addresses with a user name or password are not fetched."))
    host = parts.hostname
    if not host:
        raise RefusedAddress(_("The address has no host name."))
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    addresses = [str(literal)] if literal is not None else resolver(host, port)
    if not addresses:
        raise ArchiveError(_("The host %(host)s could not be found.") % {"host": host})
    checked = [check_address(address, port) for address in addresses]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port, path, checked[0])


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to a fresh lookup of the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def fetch(
    url: str,
    max_bytes: int | None = None,
    timeout: float | None = None,
    resolver: Resolver = resolve,
) -> Fetched:
    """GET the URL safely (see the module's docstring); the body is in a temporary file.

    Raises:
        RefusedAddress: when the URL, or one it redirects to, may not be fetched (``check_url``).
        ArchiveError: when the host cannot be found or reached, the server answers with status 400
            or more, redirects without a location or more than MAX_REDIRECTS times, or the body
            passes ``max_bytes`` or the ``timeout`` (seconds).
    """
    max_bytes = max_bytes or getattr(settings, "CITYWATCH_ARCHIVE_MAX_BYTES", DEFAULT_MAX_BYTES)
    timeout = timeout or getattr(settings, "CITYWATCH_ARCHIVE_TIMEOUT", DEFAULT_TIMEOUT)
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = check_url(current, resolver)
        connection_class = (
            PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
        )
        connection = connection_class(target, timeout=max(1.0, deadline - time.monotonic()))
        try:
            connection.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host_header(target))
            connection.putheader("User-Agent", USER_AGENT)
            connection.putheader("Accept", "*/*")
            connection.putheader("Accept-Encoding", "identity")
            connection.putheader("Connection", "close")
            connection.endheaders()
            response = connection.getresponse()
            if response.status in REDIRECT_CODES:
                location = response.getheader("Location")
                if not location:
                    raise ArchiveError(_("The server redirected without saying where to."))
                current = urljoin(current, location)
                continue
            if response.status >= 400:
                raise ArchiveError(
                    _("The server answered with HTTP status %(status)d.")
                    % {"status": response.status}
                )
            body, size = read_body(response, max_bytes, deadline)
            return Fetched(
                url=url,
                final_url=current,
                status=response.status,
                content_type=response.getheader("Content-Type", "")[:200],
                body=body,
                size=size,
            )
        except (OSError, http.client.HTTPException) as error:
            raise ArchiveError(
                _("The page could not be fetched: %(error)s") % {"error": error}
            ) from error
        finally:
            connection.close()
    raise ArchiveError(_("Too many redirects."))


def read_body(
    response: http.client.HTTPResponse, max_bytes: int, deadline: float
) -> tuple[IO[bytes], int]:
    """The response's body in a temporary file (in memory up to 4 MiB), rewound, and its
    size in bytes. ``deadline``: a ``time.monotonic()`` value.

    Raises:
        ArchiveError: when the body declares or reaches more than ``max_bytes``, or reading it
            goes on past ``deadline``.
    """
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ArchiveError(_("The file is larger than the archiving limit."))
    body = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - returned
    size = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            body.close()
            raise ArchiveError(_("The file is larger than the archiving limit."))
        if time.monotonic() > deadline:
            body.close()
            raise ArchiveError(_("Fetching took longer than the time limit."))
        body.write(chunk)
    body.seek(0)
    return body, size
