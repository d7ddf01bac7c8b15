"""Replies that arrive by themselves: real ``.eml`` files piped into ``citywatch
receive-mail`` (what Postfix or Exim do), filed on their request with no manual step.

The files under ``tests/data/mail/`` are addressed to ``request-1-000000000000@foi.example.org``
and answer the letter ``<letter-1@foi.example.org>``; each test puts in the real reply
address and Message-ID of the request it made (the rest of each file is as a mail server
delivers it). Outgoing letters and the team's notices go through a real SMTP server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from citywatch.actors.models import Organisation
from citywatch.evidence import documents
from citywatch.evidence import services as evidence_services
from citywatch.evidence.models import Source
from citywatch.foi import queries, services
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.models import (
    FailingAddress,
    FoiLaw,
    FoiMessage,
    FoiRequest,
    InboundMail,
    MailState,
    RequestStatus,
    TimelineKind,
)
from citywatch.places.models import Country
from citywatch.teams.models import Membership, Team

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]

MAIL = Path(__file__).parent / "data" / "mail"
PLACEHOLDER_ADDRESS = b"request-1-000000000000@foi.example.org"
PLACEHOLDER_LETTER = b"letter-1@foi.example.org"
UTC = dt.UTC


# --- the desk: a team, its campaigner, an authority, a request sent by e-mail ----------------


@pytest.fixture
def desk(settings, smtp, django_user_model):
    settings.CITYWATCH_MAIL_DOMAIN = "foi.example.org"
    settings.CITYWATCH_REDACT_ADDRESSES = "abogado@bufete.example"
    watchers = Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )
    team = Team.objects.create(name="Watchers team", slug="watchers-team", organisation=watchers)
    ana = django_user_model.objects.create_user(
        "anap",
        "ana.petrovic@private.example",
        "a long test passphrase",
        first_name="Ana",
        last_name="Petrović",
    )
    Membership.objects.create(team=team, user=ana, role="contributor")
    return {"team": team, "requester": watchers, "campaigner": ana, "smtp": smtp}


def authority(slug: str, country: str, address: str, name: str) -> Organisation:
    return Organisation.objects.create(
        name=name,
        slug=slug,
        kind="authority",
        country=Country.objects.get(code=country),
        email=address,
    )


def sent_request(desk, *, law="es-md-10-2019", at=dt.datetime(2024, 4, 26, 9, 0, tzinfo=UTC)):
    """A public request of the desk's team to Rivas (or the authority of ``law``), e-mailed
    at ``at`` through the SMTP server."""
    if law.startswith("gb"):
        to = authority("home-office", "GB", "foi@homeoffice.example.gov.uk", "Home Office")
    else:
        to = authority(
            "rivas", "ES", "transparencia@rivas.example", "Ayuntamiento de Rivas-Vaciamadrid"
        )
    request = services.create_request(
        owner_team=desk["team"],
        requester=desk["requester"],
        authority=to,
        law=FoiLaw.objects.get(law_id=law),
        title="Contratos con Huawei",
        questions=["Copia de los contratos."],
        language="en" if law.startswith("gb") else "es",
        visibility="public",
        user=desk["campaigner"],
    )
    request = FoiRequest.objects.get(pk=request.pk)
    services.send_by_email(request, subject=request.letter_subject, body=request.letter_body, at=at)
    return FoiRequest.objects.get(pk=request.pk)


def eml(name: str, request: FoiRequest | None = None, **replace: bytes) -> bytes:
    """A test mail, addressed to ``request``'s reply address and answering its letter."""
    raw = (MAIL / name).read_bytes()
    if request is not None:
        letter = request.messages.filter(direction="out").order_by("pk").first()
        raw = raw.replace(PLACEHOLDER_ADDRESS, reply_address(request).encode())
        raw = raw.replace(PLACEHOLDER_LETTER, letter.message_id.encode())
    for old, new in replace.items():
        raw = raw.replace(old.encode(), new)
    return raw


def pipe(raw: bytes, *recipients: str) -> str:
    """``citywatch receive-mail`` with ``raw`` on standard input; returns what it printed."""
    out = io.StringIO()
    options = {"recipient": list(recipients)} if recipients else {}
    call_command("receive_mail", stdin=io.BytesIO(raw), stdout=out, **options)
    return out.getvalue()


def team_client(desk) -> Client:
    client = Client()
    client.force_login(desk["campaigner"])
    return client


# --- each kind of mail, filed right -----------------------------------------------------------


def test_the_uk_request_sent_at_2330_utc_is_received_on_the_london_day(desk):
    """E-mailed at 23:30 UTC on 3 June 2024 (00:30 on 4 June in London): received 4 June,
    due Tuesday 2 July 2024; the letter is dated 4 June. The reply that arrives at 23:30 UTC
    on 4 June is filed on 5 June, the authority's day."""
    request = sent_request(desk, law="gb-foia-2000", at=dt.datetime(2024, 6, 3, 23, 30, tzinfo=UTC))
    assert (request.sent_on, request.due_on) == (dt.date(2024, 6, 4), dt.date(2024, 7, 2))
    assert request.due_on.strftime("%A") == "Tuesday"
    assert not request.is_overdue(today=dt.date(2024, 7, 2))
    assert request.is_overdue(today=dt.date(2024, 7, 3))
    letter = request.messages.get(direction="out")
    assert letter.on == dt.date(2024, 6, 4)
    assert "\n4 June 2024\n" in letter.body
    (_to, sent) = desk["smtp"].received[0]
    assert "\n4 June 2024\n" in sent.get_body().get_content().replace("\r\n", "\n")

    printed = pipe(eml("plain.eml", request))
    assert printed.startswith(f"Filed as a reply on request {request.key}")
    reply = request.messages.get(direction="in")
    assert reply.on == dt.date(2024, 6, 5)
    assert reply.at == dt.datetime(2024, 6, 4, 23, 30, tzinfo=UTC)
    assert reply.sender == "FOI Team <foi@homeoffice.example.gov.uk>"
    assert reply.subject == "RE: Freedom of information request: Facial recognition contracts"
    assert reply.body.startswith("Dear Watchers,\n\nThank you for your request of 4 June 2024")
    assert reply.message_id == "CAF0-plain-2024060423295@homeoffice.example.gov.uk"
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_CLASSIFICATION
    assert request.due_on == dt.date(2024, 7, 2)  # a reply does not move the due date
    event = request.events.get(kind=TimelineKind.REPLY_RECEIVED)
    assert event.on == dt.date(2024, 6, 5)
    figures = queries.transparency_figures(authority=request.authority)
    assert figures.count("answered_on_time") == 1


def test_a_reply_with_a_pdf_shows_on_the_page_with_the_document_private(desk):
    request = sent_request(desk)
    pipe(eml("multipart-pdf.eml", request))
    reply = request.messages.get(direction="in")
    assert reply.kind == "reply" and reply.automated == ""
    assert reply.on == dt.date(2024, 6, 19)
    assert "Adjuntamos la resolución 123/2024" in reply.body
    # The PDF is the only document: not the signature picture, nor the PGP signature.
    (attachment,) = reply.attachments.all()
    pdf = (MAIL / "resolucion.pdf").read_bytes()
    assert attachment.filename == "Resolucion_123_2024.pdf"
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()
    source = attachment.source
    assert (source.kind, source.visibility, source.owner_team) == (
        "foi_response",
        "private",
        desk["team"],
    )
    assert source.published_on == "2024-06-19"
    assert documents.read_bytes(source.document) == pdf
    assert Source.objects.filter(kind="foi_response").count() == 1
    # Text is read as for any stored document.
    evidence_services.process_pending_files()
    source.document.refresh_from_db()
    assert "Se deniega el acceso al contrato con Huawei" in source.document.text

    page = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "Resolución de su solicitud de acceso a la información" in page
    assert source.get_absolute_url() in page
    assert "Private to your team" in page
    assert "Reply received, to classify" in page
    # The request is public; its document is not, until someone publishes it.
    anonymous = Client()
    assert "Adjuntamos la resolución" in anonymous.get(f"/foi/{request.key}/").content.decode()
    assert anonymous.get(source.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/sources/{source.key}/file/").status_code == 404


def test_an_html_only_reply_becomes_text_and_is_never_shown_as_html(desk):
    request = sent_request(desk)
    pipe(eml("html-only.eml", request))
    reply = request.messages.get(direction="in")
    body = reply.body
    assert "Les informamos de que se amplía el plazo para resolver en un mes." in body
    assert "- Expediente: 2024/0412" in body
    assert "la sede electrónica <https://sede.rivas.example/expedientes/2024-0412>" in body
    assert "Atentamente,\nUnidad de Transparencia" in body
    assert re.search(r"<(?!https://)[a-zA-Z/!]", body) is None  # no tag left
    for gone in ("document.cookie", "tracker.example", "color: red", "Aviso", "alert"):
        assert gone not in body, gone
    assert not reply.attachments.exists()  # the inline logo is not a document
    page = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "se amplía el plazo" in page
    assert "<b>amplía" not in page


def test_a_delivery_failure_flags_the_address_and_leaves_the_clock_alone(desk):
    request = sent_request(desk)
    printed = pipe(eml("dsn-bounce.eml", request))
    assert printed.startswith("Filed as a delivery failure")
    bounce = request.messages.get(direction="in")
    assert (bounce.kind, bounce.automated) == ("other", "bounce")
    assert not bounce.attachments.exists()
    failing = FailingAddress.objects.get()
    assert failing.address == "transparencia@rivas.example"
    assert failing.failed_on == dt.date(2024, 4, 26)
    assert "5.1.1" in failing.diagnostic
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_RESPONSE
    event = request.events.get(kind=TimelineKind.BOUNCED)
    assert event.data["addresses"] == ["transparencia@rivas.example"]
    page = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "Letters to transparencia@rivas.example do not arrive" in page
    # A bounce is no answer: the request counts as ignored once past its due date.
    figures = queries.transparency_figures(authority=request.authority)
    assert figures.count("answered_on_time") + figures.count("answered_late") == 0
    assert figures.count("ignored") == 1


def test_a_bounce_that_only_quotes_the_letter_is_filed_by_it(desk):
    """A report sent to another address of the domain still names the letter it returns."""
    request = sent_request(desk)
    raw = eml("dsn-bounce.eml", request).replace(
        reply_address(request).encode(), b"bounces@foi.example.org"
    )
    pipe(raw)
    assert request.messages.get(direction="in").automated == "bounce"


def test_an_out_of_office_reply_does_not_stop_the_clock(desk):
    request = sent_request(desk)
    printed = pipe(eml("out-of-office.eml", request))
    assert printed.startswith("Filed as a automatic reply") or "automatic reply" in printed
    message = request.messages.get(direction="in")
    assert (message.kind, message.automated) == ("other", "auto_reply")
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_RESPONSE
    assert request.events.filter(kind=TimelineKind.AUTO_REPLY).count() == 1
    assert not request.events.filter(kind=TimelineKind.REPLY_RECEIVED).exists()
    assert request.is_overdue(today=request.due_on + dt.timedelta(days=1))


def test_a_reply_that_threads_by_in_reply_to_only(desk):
    request = sent_request(desk)
    raw = eml("in-reply-to-only.eml", request)
    assert reply_address(request).encode() not in raw
    printed = pipe(raw)
    assert printed.startswith(f"Filed as a reply on request {request.key}")
    assert request.messages.get(direction="in").subject.startswith("Solicitud 2024/0412")


def test_the_envelope_recipient_from_the_mta_matches_too(desk):
    request = sent_request(desk)
    raw = eml("unmatched.eml")  # addressed to press@, threading to nothing
    pipe(raw, reply_address(request))
    assert request.messages.filter(direction="in").count() == 1


# --- once only ----------------------------------------------------------------------------------


def test_the_same_message_twice_is_filed_once(desk):
    request = sent_request(desk)
    raw = eml("multipart-pdf.eml", request)
    pipe(raw)
    again = pipe(raw)
    assert again.startswith("Already received, nothing filed")
    assert request.messages.filter(direction="in").count() == 1
    assert Source.objects.filter(kind="foi_response").count() == 1
    assert request.events.filter(kind=TimelineKind.REPLY_RECEIVED).count() == 1
    assert InboundMail.objects.count() == 1


def test_mail_without_a_message_id_is_recognised_by_its_bytes(desk):
    request = sent_request(desk)
    raw = eml("plain.eml", request).replace(b"Message-ID:", b"X-Old-Message-ID:")
    pipe(raw)
    assert pipe(raw).startswith("Already received")
    (message,) = request.messages.filter(direction="in")
    assert message.message_id == "sha256:" + hashlib.sha256(raw).hexdigest()


# --- reply addresses cannot be guessed -----------------------------------------------------------


def test_reply_addresses_are_unguessable_and_survive_a_key_rotation(desk, settings):
    request = sent_request(desk)
    address = reply_address(request)
    local, domain = address.split("@")
    wrong = f"request-{request.key}-{'0' * 12}@{domain}"
    pipe(eml("plain.eml", request).replace(address.encode(), wrong.encode()))
    assert InboundMail.objects.get().state == MailState.UNMATCHED
    assert not request.messages.filter(direction="in").exists()
    # Letter case does not matter; another domain is not ours.
    pipe(eml("html-only.eml", request).replace(address.encode(), address.upper().encode()))
    assert request.messages.filter(direction="in").count() == 1
    other = eml("out-of-office.eml", request, **{"In-Reply-To": b"X-Ignored:"})
    pipe(other.replace(address.encode(), f"{local}@elsewhere.example".encode()))
    assert InboundMail.objects.filter(state=MailState.UNMATCHED).count() == 2
    # A new secret key makes new addresses; the old ones still work from the fallbacks.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a brand new secret key for this instance " * 2
    assert reply_address(request) != address
    pipe(
        eml("multipart-pdf.eml", request).replace(reply_address(request).encode(), address.encode())
    )
    assert request.messages.filter(direction="in").count() == 2


def test_replies_to_letters_sent_before_public_keys_still_find_their_request(desk):
    """Letters sent before public keys came bear ``request-<number>-<hash of the number>``:
    a reply to one is filed on its request; the address's public text shows no number."""
    from citywatch.foi.mail.addresses import address_hash, hide_hashes
    from citywatch.foi.mail.config import mail_domain

    request = sent_request(desk)
    old = f"request-{request.pk}-{address_hash(request.pk)}@{mail_domain()}"
    assert reply_address(request).split("-")[1] == request.key  # the new form names the key
    pipe(eml("plain.eml", request).replace(reply_address(request).encode(), old.encode()))
    assert request.messages.filter(direction="in").count() == 1
    forged = f"request-{request.pk}-{address_hash(request.key)}@{mail_domain()}"
    pipe(eml("html-only.eml", request).replace(reply_address(request).encode(), forged.encode()))
    assert request.messages.filter(direction="in").count() == 1  # unmatched, not filed
    assert hide_hashes(f"write to {old}") == f"write to request-…@{mail_domain()}"


# --- the unmatched queue ----------------------------------------------------------------------


def test_unmatched_mail_waits_for_a_site_administrator(desk, admin_client):
    request = sent_request(desk)
    raw = eml("unmatched.eml")
    assert pipe(raw).startswith("No request matches")
    waiting = InboundMail.objects.get()
    assert waiting.state == MailState.UNMATCHED
    assert waiting.received_at == dt.datetime(2024, 5, 28, 7, 0, tzinfo=UTC)
    # Kept as received, but without the trace of the machines it came through.
    kept = bytes(waiting.raw)
    assert b"Received:" not in kept and b"203.0.113.9" not in kept and b"\tby mx." not in kept
    assert kept.replace(b"\n", b"") in raw.replace(b"\n", b"") or kept.endswith(
        raw.partition(b"\n\n")[2]
    )
    assert b"Message-ID: <nota-20240528@ejemplo.example>" in kept
    # Campaigners do not read the queue: it may hold another team's mail.
    assert team_client(desk).get("/foi/mail/").status_code == 403
    assert team_client(desk).get(f"/foi/mail/{waiting.pk}/").status_code == 403
    assert Client().get("/foi/mail/").status_code == 302
    listing = admin_client.get("/foi/mail/").content.decode()
    assert "Nota de prensa: nuevas camaras en el centro" in listing
    detail = admin_client.get(f"/foi/mail/{waiting.pk}/").content.decode()
    assert "El Ayuntamiento instala 40 nuevas cámaras en el centro." in detail

    missing = admin_client.post(f"/foi/mail/{waiting.pk}/", {"request": "zzzzzzzzzz"})
    assert missing.status_code == 400
    assert "You handle no request with this key." in missing.content.decode()
    # A number is no key: the database number of a request names nothing here.
    number = admin_client.post(f"/foi/mail/{waiting.pk}/", {"request": request.pk})
    assert number.status_code == 400
    assert "This is not the key or address of a request." in number.content.decode()
    # The request's address works as well as its key.
    response = admin_client.post(
        f"/foi/mail/{waiting.pk}/", {"request": f"https://x.example/foi/{request.key}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/foi/{request.key}/"
    filed = request.messages.get(direction="in")
    assert filed.on == dt.date(2024, 5, 28)
    assert filed.subject == "Nota de prensa: nuevas camaras en el centro"
    waiting.refresh_from_db()
    assert (waiting.state, bytes(waiting.raw), waiting.filed_as) == (MailState.ASSIGNED, b"", filed)
    # Deleting: the mail is gone from the queue, and coming again it is not queued again.
    other = raw.replace(b"<nota-20240528@", b"<spam-20240528@")
    pipe(other)
    spam = InboundMail.objects.get(state=MailState.UNMATCHED)
    assert admin_client.post(f"/foi/mail/{spam.pk}/", {"delete": "on"}).status_code == 302
    spam.refresh_from_db()
    assert (spam.state, bytes(spam.raw)) == (MailState.DELETED, b"")
    assert pipe(other).startswith("Already received")
    assert not InboundMail.objects.filter(state=MailState.UNMATCHED).exists()


# --- privacy in public --------------------------------------------------------------------------


def test_the_public_view_hides_the_requesters_people_and_addresses(desk):
    request = sent_request(desk)
    address = reply_address(request)
    pipe(eml("names.eml", request))
    reply = request.messages.get(direction="in")
    assert "Estimada Sra. Ana Petrović:" in reply.body  # the stored original is untouched
    public = Client().get(f"/foi/{request.key}/").content.decode()
    for hidden in (
        "Petrović",
        "ana.petrovic@private.example",
        "abogado@bufete.example",
        address,
        address.split("@")[0],
    ):
        assert hidden not in public, hidden
    assert "Estimada Sra. [name removed]:" in public
    assert f"request-{request.key}-…@foi.example.org" in public
    assert "[address removed]" in public
    # The team sees the letters as they are.
    own = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "Estimada Sra. Ana Petrović:" in own
    assert address in own


def test_documents_stay_private_until_published_one_by_one_without_their_metadata(
    desk, django_user_model
):
    request = sent_request(desk)
    pipe(eml("multipart-pdf.eml", request))
    attachment = request.messages.get(direction="in").attachments.get()
    source = attachment.source
    original = documents.read_bytes(source.document)
    assert b"ana.petrovic" in original and b"/Author" in original
    # Someone of another team cannot publish it.
    other_team = Team.objects.create(name="Others", slug="others")
    outsider = django_user_model.objects.create_user("o", "o@example.org", "a long passphrase")
    Membership.objects.create(team=other_team, user=outsider, role="contributor")
    client = Client()
    client.force_login(outsider)
    assert client.post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    ).status_code in (
        403,
        404,
    )
    source.refresh_from_db()
    assert source.visibility == "private"

    response = team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    )
    assert response.status_code == 302
    source.refresh_from_db()
    attachment.refresh_from_db()
    assert source.visibility == "public"
    published = documents.read_bytes(source.document)
    for identifying in (b"ana.petrovic", b"Ana Petrovic", b"/Author", b"Microsoft Word"):
        assert identifying not in published, identifying
    assert published.startswith(b"%PDF")
    assert attachment.received_file.sha256 == hashlib.sha256(original).hexdigest()
    assert request.events.filter(kind=TimelineKind.DOCUMENT_PUBLISHED).count() == 1
    anonymous = Client()
    assert anonymous.get(source.get_absolute_url()).status_code == 200
    download = anonymous.get(f"/sources/{source.key}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == published


def test_a_document_that_cannot_be_cleaned_stays_private(desk):
    request = sent_request(desk)
    message = EmailMessage()
    message["From"] = "transparencia@rivas.example"
    message["To"] = reply_address(request)
    message["Subject"] = "Listado"
    message["Message-ID"] = "<listado@rivas.example>"
    message.set_content("Adjuntamos el listado.")
    message.add_attachment(b"camara;calle\n1;Mayor\n", "text", "csv", filename="listado.csv")
    pipe(message.as_bytes())
    attachment = request.messages.get(direction="in").attachments.get()
    response = team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    )
    assert response.status_code == 400
    assert "not one CityWatch accepts" in response.content.decode()
    attachment.source.refresh_from_db()
    assert attachment.source.visibility == "private"


# --- the team is told ---------------------------------------------------------------------------


def test_the_team_is_told_by_mail_and_on_the_account_page(desk, django_capture_on_commit_callbacks):
    request = sent_request(desk)
    smtp = desk["smtp"]
    with django_capture_on_commit_callbacks(execute=True):
        pipe(eml("multipart-pdf.eml", request))
    (notice,) = smtp.to("ana.petrovic@private.example")
    assert str(notice["Subject"]) == "[CityWatch] New reply: Contratos con Huawei"
    text = notice.get_body().get_content()
    assert "Ayuntamiento de Rivas-Vaciamadrid answered the FOI request" in text
    assert f"/foi/{request.key}/" in text
    assert "1 document came with it" in text
    with django_capture_on_commit_callbacks(execute=True):
        pipe(eml("out-of-office.eml", request))
        pipe(eml("dsn-bounce.eml", request))
    subjects = [str(m["Subject"]) for m in smtp.to("ana.petrovic@private.example")]
    assert subjects == [
        "[CityWatch] New reply: Contratos con Huawei",
        "[CityWatch] Delivery failed: Contratos con Huawei",
    ]
    account = team_client(desk).get("/account/").content.decode()
    assert "New replies to your team" in account
    assert "Resolución de su solicitud de acceso a la información" in account
    assert "Undelivered Mail Returned to Sender" in account


# --- what the MTA sees --------------------------------------------------------------------------


def test_input_that_is_not_mail_is_refused_for_the_mta_to_bounce(desk, settings):
    with pytest.raises(CommandError) as refused:
        call_command("receive_mail", stdin=io.BytesIO(b""))
    assert refused.value.returncode == 65
    assert "empty" in str(refused.value)
    settings.CITYWATCH_MAIL_MAX_BYTES = 100
    with pytest.raises(CommandError) as too_large:
        call_command("receive_mail", stdin=io.BytesIO(eml("plain.eml")))
    assert too_large.value.returncode == 65
    assert not InboundMail.objects.exists()


def run_command(*arguments: str, stdin: bytes, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "citywatch", *arguments],
        input=stdin,
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_the_command_reads_standard_input_and_answers_with_sysexits(tmp_path):
    """As an MTA runs it: 65 (bounce) for what is not mail, 75 (try again) when the
    database cannot be reached."""
    env = {"CITYWATCH_DATA_DIR": str(tmp_path), "CITYWATCH_MAIL_DOMAIN": "foi.example.org"}
    empty = run_command("receive-mail", stdin=b"", env=env)
    assert empty.returncode == 65, empty.stderr
    assert b"The message is empty" in empty.stderr
    unreachable = run_command(
        "receive-mail",
        stdin=eml("plain.eml"),
        env={**env, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"},
    )
    assert unreachable.returncode == 75, unreachable.stderr
    assert b"try again later" in unreachable.stderr


# --- the "done when" of the issue, in the demo ---------------------------------------------------


def test_in_the_demo_a_reply_piped_in_shows_on_the_page_with_no_manual_step(
    demo, settings, smtp, django_user_model
):
    settings.CITYWATCH_MAIL_DOMAIN = "foi.example.org"
    share = Organisation.objects.get(slug="share-foundation")
    team = Team.objects.create(name="SHARE Foundation", slug="share", organisation=share)
    campaigner = django_user_model.objects.create_user("c", "c@share.example", "a passphrase!")
    Membership.objects.create(team=team, user=campaigner, role="contributor")
    rivas = Organisation.objects.get(slug="ayuntamiento-rivas-vaciamadrid")
    rivas.email = "transparencia@rivas-vaciamadrid.example"
    rivas.save()
    client = Client()
    client.force_login(campaigner)
    new = client.get("/foi/new/?deployment=rivas-vaciamadrid-elte")
    initial = new.context["form"].initial
    response = client.post(
        "/foi/new/",
        {
            "requester": share.slug,
            "authority": initial["authority"],
            "law": initial["law"],
            "deployments": initial["deployments"],
            "title": "Contratos eLTE",
            "language": "es",
            "use_template": "on",
            "vendor": "Huawei",
            "since": 2015,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    request = FoiRequest.objects.get(title="Contratos eLTE")
    assert request.owner_team == team  # the campaigner's only team, by default
    response = client.post(
        f"/foi/{request.key}/send/",
        {"channel": "email", "subject": request.letter_subject, "body": request.letter_body},
    )
    assert response.status_code == 302
    (_recipients, letter) = smtp.received[0]

    # The authority answers the letter it got, with a document.
    answer = EmailMessage()
    answer["From"] = "Transparencia <transparencia@rivas-vaciamadrid.example>"
    answer["To"] = str(letter["Reply-To"])
    answer["Subject"] = "Re: " + str(letter["Subject"])
    answer["In-Reply-To"] = str(letter["Message-ID"])
    answer["Message-ID"] = "<respuesta-1@rivas-vaciamadrid.example>"
    answer["Date"] = "Wed, 19 Jun 2024 12:14:55 +0200"
    answer.set_content("Adjuntamos la resolución.")
    answer.add_attachment(
        (MAIL / "resolucion.pdf").read_bytes(), "application", "pdf", filename="resolucion.pdf"
    )
    assert pipe(answer.as_bytes()).startswith(f"Filed as a reply on request {request.key}")

    page = client.get(f"/foi/{request.key}/").content.decode()
    assert "Adjuntamos la resolución." in page
    # A neutral title (file names often name people); the team also sees the file's name.
    assert "Reply of June 19, 2024 from Ayuntamiento de Rivas-Vaciamadrid" in page
    assert "(received as <bdi>resolucion.pdf</bdi>)" in page
    assert "Private to your team" in page
    assert "Reply received, to classify" in page
    source = FoiMessage.objects.get(request=request, direction="in").attachments.get().source
    assert source.visibility == "private"
    assert Client().get(source.get_absolute_url()).status_code == 404
