"""Poll an IMAP mailbox and file what is in it (``citywatch fetch-mail``).

Each message of the folder is fetched without marking it read, filed by
:func:`citywatch.foi.mail.filing.receive` (which commits before it returns), and only then
moved to the processed folder (``MOVE``, or ``COPY`` + ``\\Deleted`` + ``EXPUNGE`` on servers
without it). A crash between the two leaves the message in the folder: the next run fetches
it again, recognises its Message-ID and files nothing, then moves it. A message that cannot
be filed (not a message, too large, a database error) stays where it is and is reported.

The mailbox is given as a URL (``CITYWATCH_IMAP_URL``):

- ``imaps://user:password@mail.example.org/INBOX`` (TLS from the start, port 993: the default);
- ``imap+starttls://user:password@mail.example.org:143/INBOX`` (plain connection upgraded to
  TLS before logging in; refused if the server cannot);
- ``imap://user:password@127.0.0.1:1143/INBOX`` (no TLS: only to this machine).

User names and passwords with reserved characters are percent-encoded (``%40`` for ``@``).
The server's certificate is checked against the system's trust store, or against
``CITYWATCH_IMAP_CA_FILE`` when set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import ipaddress
import logging
import re
import ssl
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from citywatch.foi.mail import filing
from citywatch.foi.mail.config import setting

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"imaps": 993, "imap+starttls": 143, "imap": 143}
TIMEOUT_SECONDS = 60
INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class MailboxError(Exception):
    """The mailbox cannot be used (bad URL, refused login, no TLS); the message says why."""


@dataclass(frozen=True)
class Mailbox:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str
    processed: str


@dataclass
class FetchReport:
    """What one run did: outcomes of filed, queued and already-known mail, and failures."""

    outcomes: list[filing.Outcome] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.state == state)


def _local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_url(url: str, processed: str = "") -> Mailbox:
    """Read a mailbox URL (see the module's documentation).

    Raises:
        MailboxError: no URL, an unknown scheme, no host or user, or plain IMAP to another
            machine.
    """
    if not url:
        raise MailboxError("Set CITYWATCH_IMAP_URL, e.g. imaps://user:password@host/INBOX.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailboxError("The IMAP URL must start with imaps://, imap+starttls:// or imap://.")
    if not parts.hostname or not parts.username:
        raise MailboxError("The IMAP URL must name a user and a host: imaps://user@host/INBOX.")
    if scheme == "imap" and not _local(parts.hostname):
        raise MailboxError(
            "Plain imap:// sends the password unencrypted: use imaps:// or imap+starttls:// "
            "for another machine."
        )
    return Mailbox(
        scheme=scheme,
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[scheme],
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed=processed or setting("CITYWATCH_IMAP_PROCESSED", "Processed"),
    )


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's store or ``CITYWATCH_IMAP_CA_FILE``."""
    ca_file = setting("CITYWATCH_IMAP_CA_FILE") or None
    return ssl.create_default_context(cafile=ca_file)


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """A logged-in connection.

    Raises:
        MailboxError: the server cannot be reached, refuses TLS or the login.
    """
    try:
        if mailbox.scheme == "imaps":
            client = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=tls_context(), timeout=TIMEOUT_SECONDS
            )
        else:
            client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
            if mailbox.scheme == "imap+starttls":
                client.starttls(ssl_context=tls_context())
        client.login(mailbox.user, mailbox.password)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"Cannot open the mailbox on {mailbox.host}: {error}") from error
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(result: tuple[str, list], what: str) -> list:
    status, data = result
    if status != "OK":
        raise MailboxError(f"{what} failed: {data}")
    return data


def _uids(client: imaplib.IMAP4) -> list[bytes]:
    data = _check(client.uid("SEARCH", None, "ALL"), "Listing the messages")
    return data[0].split() if data and data[0] else []


def _fetch(client: imaplib.IMAP4, uid: bytes) -> tuple[bytes, dt.datetime | None]:
    """The message's bytes (not marking it read) and when the mailbox received it."""
    data = _check(client.uid("FETCH", uid, "(BODY.PEEK[] INTERNALDATE)"), "Fetching a message")
    for item in data:
        if isinstance(item, tuple):
            found = INTERNALDATE.search(item[0])
            return item[1], _internaldate(found[1].decode()) if found else None
    raise MailboxError(f"The server returned no message for UID {uid.decode()}.")


def _internaldate(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


def _ensure_folder(client: imaplib.IMAP4, folder: str) -> None:
    status, _data = client.create(_quoted(folder))
    if status != "OK":  # it exists (or the server keeps it elsewhere): try using it
        logger.debug("IMAP folder %s not created (probably exists)", folder)


def _move(client: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    capabilities = _check(client.capability(), "Asking the server's capabilities")
    if b"MOVE" in b" ".join(capabilities).split():
        _check(client.uid("MOVE", uid, _quoted(folder)), "Moving a filed message")
        return
    _check(client.uid("COPY", uid, _quoted(folder)), "Copying a filed message")
    _check(client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), "Marking a copied message")
    _check(client.expunge(), "Removing a copied message")


def fetch(mailbox: Mailbox, *, limit: int | None = None) -> FetchReport:
    """File every message of the mailbox's folder, moving each to the processed folder once
    its filing is committed. Returns what happened to each message.

    Raises:
        MailboxError: the mailbox cannot be opened or used.
    """
    report = FetchReport()
    client = connect(mailbox)
    try:
        _check(client.select(_quoted(mailbox.folder)), f"Opening the folder {mailbox.folder}")
        _ensure_folder(client, mailbox.processed)
        for uid in _uids(client)[:limit]:
            raw, moment = _fetch(client, uid)
            try:
                outcome = filing.receive(raw, received_at=moment)
            except (filing.UnreadableMail, filing.MailTooLarge) as error:
                report.failures.append(f"UID {uid.decode()}: {error}")
                continue
            # The filing is committed (autocommit mode): only now does the message move.
            report.outcomes.append(outcome)
            _move(client, uid, mailbox.processed)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return report
