"""Real mail servers for the FOI mail tests: an SMTP server (aiosmtpd) that keeps what it is
sent, and an IMAP server (Dovecot from Debian's ``dovecot-imapd``) started once per test
session as an unprivileged server with its own configuration file, a throw-away Maildir, a
passwd-file of test users, a self-signed certificate (IMAPS, and STARTTLS on the plain port),
listening on loopback ports only.

A test module loads them with ``pytest_plugins = ["mail_fixtures"]``.
"""

from __future__ import annotations

import email
import grp
import imaplib
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

READY_WITHIN_SECONDS = 30
USERS = 200  # mailboxes ready for the session's tests, one each


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- SMTP ----------------------------------------------------------------------------------


class Inbox:
    """Keeps every message the SMTP server accepts, with its envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.envelope_senders: list[str] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        self.envelope_senders.append(envelope.mail_from)
        self.raw.append(envelope.content)
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for recipients, message in self.received if address in recipients]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a loopback port; Django's SMTP backend sends to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "desk@citywatch.example"
    yield inbox
    controller.stop()


# --- IMAP (Dovecot) --------------------------------------------------------------------------

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    imap_port: int
    imaps_port: int
    cafile: str
    uid: int
    gid: int
    host: str = "127.0.0.1"

    users: list[tuple[str, str]] = field(default_factory=list)
    _next: itertools.count = field(default_factory=itertools.count)

    def add_user(self) -> tuple[str, str]:
        """A mailbox user nobody used yet (an empty Maildir); returns (name, password).

        The users are written before the server starts (Dovecot notices a changed
        passwd-file by its modification time, to the second)."""
        return self.users[next(self._next)]

    def client(self, user: str, password: str) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=self.cafile)
        client = imaplib.IMAP4_SSL(self.host, self.imaps_port, ssl_context=context)
        client.login(user, password)
        return client

    def url(self, user: str, password: str, scheme: str = "imaps") -> str:
        port = self.imaps_port if scheme == "imaps" else self.imap_port
        return f"{scheme}://{user}:{password}@{self.host}:{port}/INBOX"


def _identity() -> tuple[str, str, int, int]:
    """Who the server's processes run as: this user, or ``nobody`` when the tests run as
    root (Dovecot refuses to run its login processes as root)."""
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return "nobody", grp.getgrgid(nobody.pw_gid).gr_name, nobody.pw_uid, nobody.pw_gid
    me = pwd.getpwuid(os.getuid())
    return me.pw_name, grp.getgrgid(me.pw_gid).gr_name, me.pw_uid, me.pw_gid


def _wait_for(port: int, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    text = log.read_text() if log.exists() else "(no log)"
    raise AssertionError(f"Dovecot did not start:\n{text}")


@pytest.fixture(scope="session")
def dovecot():
    """Dovecot (``dovecot -F -c <config>``) for the whole session, on loopback ports."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    assert os.path.exists(binary), (
        "Dovecot is missing: run scripts/test, which installs Debian's dovecot-imapd"
    )
    root = Path(tempfile.mkdtemp(prefix="citywatch-dovecot-"))
    user, group, uid, gid = _identity()
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    users = [(f"desk{n}", f"pass-{n}-{os.urandom(6).hex()}") for n in range(USERS)]
    (root / "users").write_text(
        "".join(f"{name}:{{PLAIN}}{secret}:{uid}:{gid}::{root}/home::\n" for name, secret in users)
    )
    ports = {"imap_port": free_port(), "imaps_port": free_port()}
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, user=user, group=group, **ports))
    os.chmod(root, 0o755)  # noqa: S103 (the server's own user must reach its folders)
    for folder in ("mail", "home", "state"):
        os.chown(root / folder, uid, gid)
    os.chown(root / "users", uid, gid)
    process = subprocess.Popen([binary, "-F", "-c", str(config)])
    try:
        _wait_for(ports["imaps_port"], root / "dovecot.log")
        _wait_for(ports["imap_port"], root / "dovecot.log")
        yield Dovecot(root, cafile=str(root / "cert.pem"), uid=uid, gid=gid, users=users, **ports)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
