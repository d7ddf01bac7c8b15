"""``citywatch fetch-mail`` against a real IMAP server: Dovecot from Debian, started once per
session on loopback ports with a throw-away Maildir (see ``mail_fixtures``). The mail is the
same ``.eml`` files that ``receive-mail`` is tested with: one code path files both."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from citywatch.actors.models import Organisation
from citywatch.foi import services
from citywatch.foi.mail import filing, imap
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.models import (
    FoiLaw,
    FoiRequest,
    InboundMail,
    MailState,
    RequestStatus,
    TimelineKind,
)
from citywatch.places.models import Country
from citywatch.teams.models import Team

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]

MAIL = Path(__file__).parent / "data" / "mail"


@pytest.fixture
def request_sent(settings, smtp) -> FoiRequest:
    settings.CITYWATCH_MAIL_DOMAIN = "foi.example.org"
    watchers = Organisation.objects.create(name="Watchers", slug="watchers", kind="other")
    team = Team.objects.create(name="Watchers team", slug="watchers-team", organisation=watchers)
    rivas = Organisation.objects.create(
        name="Ayuntamiento de Rivas-Vaciamadrid",
        slug="rivas",
        kind="authority",
        country=Country.objects.get(code="ES"),
        email="transparencia@rivas.example",
    )
    request = services.create_request(
        owner_team=team,
        requester=watchers,
        authority=rivas,
        law=FoiLaw.objects.get(law_id="es-md-10-2019"),
        title="Contratos con Huawei",
        questions=["Copia de los contratos."],
        language="es",
    )
    request = FoiRequest.objects.get(pk=request.pk)
    services.send_by_email(
        request,
        subject=request.letter_subject,
        body=request.letter_body,
        at=dt.datetime(2024, 4, 26, 9, 0, tzinfo=dt.UTC),
    )
    return FoiRequest.objects.get(pk=request.pk)


def eml(name: str, request: FoiRequest) -> bytes:
    letter = request.messages.get(direction="out")
    raw = (MAIL / name).read_bytes()
    raw = raw.replace(b"request-1-000000000000@foi.example.org", reply_address(request).encode())
    return raw.replace(b"letter-1@foi.example.org", letter.message_id.encode())


@pytest.fixture
def mailbox(dovecot, settings):
    """A fresh mailbox user on the Dovecot server; the desk trusts the server's certificate."""
    settings.CITYWATCH_IMAP_CA_FILE = dovecot.cafile
    user, password = dovecot.add_user()
    client = dovecot.client(user, password)
    yield dovecot, user, password, client
    client.logout()


def deliver(client, *messages: bytes) -> None:
    for raw in messages:
        status, _ = client.append("INBOX", None, None, raw.replace(b"\n", b"\r\n"))
        assert status == "OK"


def uids(client, folder: str) -> list[bytes]:
    status, _ = client.select(folder)
    if status != "OK":
        return []
    _status, data = client.uid("SEARCH", None, "ALL")
    return data[0].split()


def fetch_mail(url: str) -> str:
    out = io.StringIO()
    call_command("fetch_mail", url=url, stdout=out)
    return out.getvalue()


def test_fetch_mail_files_the_reply_and_a_second_run_files_nothing(request_sent, mailbox):
    dovecot, user, password, client = mailbox
    deliver(client, eml("multipart-pdf.eml", request_sent), eml("unmatched.eml", request_sent))
    printed = fetch_mail(dovecot.url(user, password))
    assert "1 filed, 1 unmatched, 0 received before." in printed
    reply = request_sent.messages.get(direction="in")
    assert reply.on == dt.date(2024, 6, 19)
    assert reply.attachments.get().source.visibility == "private"
    request_sent.refresh_from_db()
    assert request_sent.status == RequestStatus.AWAITING_CLASSIFICATION
    assert InboundMail.objects.get(state=MailState.UNMATCHED).subject.startswith("Nota de prensa")
    # Both moved out of the inbox once filed.
    assert uids(client, "INBOX") == []
    assert len(uids(client, "Processed")) == 2

    again = fetch_mail(dovecot.url(user, password))
    assert "0 filed, 0 unmatched, 0 received before." in again
    assert request_sent.messages.filter(direction="in").count() == 1
    assert request_sent.events.filter(kind=TimelineKind.REPLY_RECEIVED).count() == 1


def test_a_crash_before_the_move_files_nothing_twice(request_sent, mailbox):
    """A run that filed a message and died before moving it: the next run recognises the
    Message-ID, files nothing and moves the message."""
    dovecot, user, password, client = mailbox
    deliver(client, eml("multipart-pdf.eml", request_sent))
    # What the crashed run did: fetch the message and file it (committed), and no more.
    client.select("INBOX")
    (uid,) = uids(client, "INBOX")
    _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    assert filing.receive(data[0][1]).state == "filed"
    assert uids(client, "INBOX") == [uid]

    printed = fetch_mail(dovecot.url(user, password))
    assert "0 filed, 0 unmatched, 1 received before." in printed
    assert request_sent.messages.filter(direction="in").count() == 1
    assert request_sent.messages.get(direction="in").attachments.count() == 1
    assert uids(client, "INBOX") == []
    assert len(uids(client, "Processed")) == 1


def test_the_internal_date_dates_mail_without_a_received_header(request_sent, mailbox):
    dovecot, user, password, client = mailbox
    raw = eml("in-reply-to-only.eml", request_sent)
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.startswith((b"Received", b"\t")))
    assert b"Received:" not in raw
    status, _ = client.append(
        "INBOX", None, '"03-Jun-2024 23:30:00 +0000"', raw.replace(b"\n", b"\r\n")
    )
    assert status == "OK"
    fetch_mail(dovecot.url(user, password))
    reply = request_sent.messages.get(direction="in")
    assert reply.at == dt.datetime(2024, 6, 3, 23, 30, tzinfo=dt.UTC)
    assert reply.on == dt.date(2024, 6, 4)  # 01:30 in Madrid


def test_starttls_works_and_plain_imap_to_another_machine_is_refused(request_sent, mailbox):
    dovecot, user, password, client = mailbox
    deliver(client, eml("plain.eml", request_sent))
    printed = fetch_mail(dovecot.url(user, password, scheme="imap+starttls"))
    assert "1 filed" in printed
    with pytest.raises(imap.MailboxError, match="unencrypted"):
        imap.parse_url("imap://desk:secret@mail.example.org/INBOX")
    assert imap.parse_url("imaps://desk%40foi:p%3Ass@mail.example.org/Replies").user == "desk@foi"
    assert imap.parse_url("imaps://desk:p%3Ass@mail.example.org").port == 993


def test_a_wrong_password_or_an_untrusted_certificate_is_a_clear_error(
    request_sent, mailbox, settings
):
    dovecot, user, password, _client = mailbox
    with pytest.raises(CommandError, match="Cannot open the mailbox"):
        fetch_mail(dovecot.url(user, "not-the-password"))
    settings.CITYWATCH_IMAP_CA_FILE = ""  # the system's store does not know this server
    with pytest.raises(CommandError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_mail(dovecot.url(user, password))
    with pytest.raises(CommandError, match="CITYWATCH_IMAP_URL"):
        call_command("fetch_mail", stdout=io.StringIO())
