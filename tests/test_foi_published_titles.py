"""A document that came with an FOI reply or a tip is never called by its file name in public
(review R5): file names often name people ("petrovic.a-resenje.pdf", "APetrovic.pdf",
"Петровић-одговор.pdf"), and no redaction finds every way a name is written in one. Every
door that makes such a document public gives it a neutral title ("Reply of June 19, 2024
from <authority>, document 2 of 3") and stores it under a name made from
that title; the request's team still sees the file's name. Installs upgraded from before
get the same titles from a data migration (foi 0008, review R4), and their search index is
rebuilt in its public view."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from email.message import EmailMessage
from urllib.parse import quote

import pytest
from anyascii import anyascii
from conftest import with_totp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from test_documents import make_pdf
from test_foi_inbound import desk, pipe, sent_request, team_client  # noqa: F401
from test_tips import photo, tip_data

from citywatch.core.text import to_latin
from citywatch.evidence import documents
from citywatch.evidence.models import SearchEntry, Source, StoredFile
from citywatch.exchange import exports
from citywatch.foi import naming
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.models import FoiAttachment, FoiRequest
from citywatch.research.search import rebuild_index
from citywatch.teams.models import Membership

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]

# The requester is Ana Petrović (the ``desk`` fixture); the authority names its files after her.
FILE_NAMES = (
    "petrovic.a-resenje.pdf",  # the surname in lower case
    "APetrovic.pdf",  # glued to an initial
    "Петровић-одговор.pdf",  # Cyrillic
    "Ana_Petrović_zahtev.pdf",
)
RIVAS = "Ayuntamiento de Rivas-Vaciamadrid"
MIGRATION = "0008_neutral_titles_for_reply_documents"


def fold(text: str) -> str:
    """Text as search compares it: Latin script, ASCII, lower case."""
    return anyascii(to_latin(text)).casefold()


def parts_of(filename: str) -> set[str]:
    """The words of a file name (three letters or more), folded: what must not show."""
    stem = filename.rsplit(".", 1)[0]
    return {word for word in re.split(r"[^0-9a-z]+", fold(stem)) if len(word) >= 3}


FORBIDDEN = set().union(*(parts_of(name) for name in FILE_NAMES)) | {"petrovic"}


def assert_no_file_name(text: str, where: str) -> None:
    folded = fold(text)
    assert "petrovic" not in folded, where  # glued or not
    for part in FORBIDDEN:
        assert not re.search(rf"(?<![0-9a-z]){part}(?![0-9a-z])", folded), (where, part)


def assert_neutral(source: Source, attachment: FoiAttachment | None = None) -> None:
    """The title and the names of the stored files (public copy and file as received)."""
    source.refresh_from_db()
    assert_no_file_name(source.title, "title")
    stored = [source.document] + ([attachment.received_file] if attachment else [])
    for file in stored:
        assert_no_file_name(file.original_name, "stored name")
        assert file.original_name == documents.file_name_for(source.title, file.media_type)


def reply_with_documents(request: FoiRequest, names=FILE_NAMES) -> bytes:
    """The authority's e-mail answer, with one distinct PDF per file name."""
    letter = request.messages.filter(direction="out").order_by("pk").first()
    answer = EmailMessage()
    answer["From"] = f"Transparencia <{request.authority.email}>"
    answer["To"] = reply_address(request)
    answer["Subject"] = "Re: " + request.letter_subject
    answer["In-Reply-To"] = letter.message_id
    answer["Message-ID"] = "<respuesta-documentos@rivas.example>"
    answer["Date"] = "Wed, 19 Jun 2024 12:14:55 +0200"
    answer.set_content("Adjuntamos los documentos.")
    for number, name in enumerate(names, start=1):
        content = make_pdf([[f"Resolucion numero {number}"]])
        answer.add_attachment(content, "application", "pdf", filename=name)
    return answer.as_bytes()


def public_texts(request: FoiRequest, sources: list[Source]) -> dict[str, str]:
    """What an anonymous visitor gets from every public door that shows a document."""
    anonymous = Client()
    urls = {
        "request page": f"/foi/{request.key}/",
        "request in the API": f"/api/foi/requests/{request.key}",
        "sources in the API": "/api/sources?page_size=100",
        "requests in the API": "/api/foi/requests",
        "feed": "/feeds/deployments.atom",
    }
    for source in sources:
        urls[f"page of {source.pk}"] = source.get_absolute_url()
        urls[f"text of {source.pk}"] = f"/sources/{source.key}/text/"
        urls[f"source {source.key} in the API"] = f"/api/sources/{source.key}"
    texts = {}
    for door, url in urls.items():
        response = anonymous.get(url)
        assert response.status_code == 200, (door, response.status_code)
        texts[door] = response.content.decode()
    for source in sources:
        download = anonymous.get(f"/sources/{source.key}/file/")
        assert download.status_code == 200
        texts[f"download of {source.pk}"] = download["Content-Disposition"]
    for filename in ("citywatch.json", "ocds.json"):
        texts[filename] = b"".join(exports.export(filename).blocks()).decode()
    return texts


def assert_not_found_by_file_name(request: FoiRequest, sources: list[Source]) -> None:
    """Searching for a part of a file name finds neither the request nor its documents."""
    for part in [*sorted(FORBIDDEN), "Петровић", "resenje.pdf"]:
        for url in (f"/api/search?q={quote(part)}", f"/search/?q={quote(part)}"):
            text = Client().get(url).content.decode()
            assert f"/foi/{request.key}/" not in text, (url, part)
            for source in sources:
                assert str(source.key) not in text, (url, part)


# --- door 1: documents that came by e-mail, published from the request's page -----------------


def test_documents_by_mail_are_called_by_what_they_are_never_by_their_file_name(desk):  # noqa: F811
    request = sent_request(desk)
    assert pipe(reply_with_documents(request)).startswith("Filed as a reply")
    attachments = list(FoiAttachment.objects.filter(message__request=request).order_by("pk"))
    assert [a.filename for a in attachments] == list(FILE_NAMES)  # kept for the team
    assert [a.source.title for a in attachments] == [
        f"Reply of June 19, 2024 from {RIVAS}, document {n} of 4" for n in range(1, 5)
    ]
    for attachment in attachments:
        assert_neutral(attachment.source, attachment)
    # Before anything is published, the public request page lists the documents: by title.
    assert_no_file_name(Client().get(f"/foi/{request.key}/").content.decode(), "request page")
    # The team sees the names the files came with.
    own = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "(received as <bdi>petrovic.a-resenje.pdf</bdi>)" in own
    assert "(received as <bdi>Петровић-одговор.pdf</bdi>)" in own

    for attachment in attachments:
        response = team_client(desk).post(
            f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
        )
        assert response.status_code == 302
    sources = [Source.objects.get(pk=a.source_id) for a in attachments]
    for attachment, source in zip(attachments, sources, strict=True):
        attachment.refresh_from_db()
        assert source.visibility == "public"
        assert source.document != attachment.received_file  # the cleaned copy
        assert_neutral(source, attachment)
    for door, text in public_texts(request, sources).items():
        assert_no_file_name(text, door)
    assert_not_found_by_file_name(request, sources)
    rebuild_index()  # the same from a fresh index
    assert_not_found_by_file_name(request, sources)


# --- door 2: documents uploaded with a reply recorded by hand --------------------------------


def test_documents_uploaded_with_a_reply_get_the_same_neutral_titles(desk):  # noqa: F811
    request = sent_request(desk)
    response = team_client(desk).post(
        f"/foi/{request.key}/reply/",
        {
            "on": "2024-07-02",
            "channel": "post",
            "body": "Por correo.",
            "files": [
                SimpleUploadedFile(name, make_pdf([[f"Carta {n}"]]), "application/pdf")
                for n, name in enumerate(FILE_NAMES[:2], start=1)
            ],
        },
    )
    assert response.status_code == 302
    attachments = list(FoiAttachment.objects.filter(message__request=request).order_by("pk"))
    assert [a.source.title for a in attachments] == [
        f"Reply of July 2, 2024 from {RIVAS}, document {n} of 2" for n in (1, 2)
    ]
    for attachment in attachments:
        team_client(desk).post(
            f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
        )
        attachment.refresh_from_db()
        assert attachment.source.visibility == "public"
        assert_neutral(attachment.source, attachment)
    sources = [a.source for a in attachments]
    for door, text in public_texts(request, sources).items():
        assert_no_file_name(text, door)


# --- door 3: a site administrator makes the document public in the admin ---------------------


def test_a_document_made_public_in_the_admin_has_no_file_name_to_show(desk, admin_client):  # noqa: F811
    request = sent_request(desk)
    pipe(reply_with_documents(request, FILE_NAMES[:1]))
    attachment = FoiAttachment.objects.get(message__request=request)
    source = attachment.source
    page = admin_client.get(f"/admin/evidence/source/{source.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"visibility": "public", "owner_team": desk["team"].pk, "document": source.document_id}
    data |= {
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(f"/admin/evidence/source/{source.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    source.refresh_from_db()
    assert source.visibility == "public"
    assert source.title == f"Reply of June 19, 2024 from {RIVAS}"
    assert_neutral(source, attachment)
    for door, text in public_texts(request, [source]).items():
        assert_no_file_name(text, door)


def test_publishing_a_document_still_titled_by_its_file_name_gives_it_the_neutral_title(desk):  # noqa: F811
    """A title made from the file name (as before titles were neutral) does not survive
    publishing, whatever the migration missed."""
    request = sent_request(desk)
    pipe(reply_with_documents(request, FILE_NAMES[:2]))
    attachment = FoiAttachment.objects.filter(message__request=request).order_by("pk").last()
    Source.objects.filter(pk=attachment.source_id).update(title=f"APetrovic.pdf ({RIVAS})")
    response = team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    )
    assert response.status_code == 302
    source = Source.objects.get(pk=attachment.source_id)
    assert source.title == (f"Reply of June 19, 2024 from {RIVAS}, document 2 of 2")
    assert_neutral(source, attachment)


# --- door 4: replacing the document of a published source ----------------------------------


def test_a_replacement_document_is_stored_under_the_sources_title(desk, django_user_model):  # noqa: F811
    request = sent_request(desk)
    pipe(reply_with_documents(request, FILE_NAMES[:1]))
    attachment = FoiAttachment.objects.get(message__request=request)
    team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    )
    reviewer = django_user_model.objects.create_user("rev", "rev@example.org", "a long passphrase")
    Membership.objects.create(team=desk["team"], user=reviewer, role="reviewer")
    with_totp(reviewer)  # reviewers sign in with a second factor
    client = Client()
    client.force_login(reviewer)
    source = Source.objects.get(pk=attachment.source_id)
    published = source.document_id
    upload = SimpleUploadedFile("APetrovic.pdf", make_pdf([["Nueva copia"]]), "application/pdf")
    response = client.post(f"/sources/{source.key}/document/", {"upload": upload})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.document_id != published  # replaced
    assert source.document.original_name == documents.file_name_for(source.title, "application/pdf")
    assert_neutral(source)


# --- door 5: a tip's file, published when the tip is accepted -------------------------------


def test_a_tips_file_is_published_under_a_neutral_title(demo, client, django_user_model):
    from test_tips import make_reviewer

    tip_file = photo("petrovic.a-resenje.jpg")
    response = client.post("/tips/new/", {**tip_data(), "attachment": tip_file})
    assert response.status_code == 302
    from citywatch.commons.models import Tip

    tip = Tip.objects.get()
    reviewer = Client()
    reviewer.force_login(make_reviewer(django_user_model))
    response = reviewer.post(
        f"/review/tips/{tip.key}/",
        {
            "accept-title": "Novi Sad: cameras on Trg Slobode",
            "accept-summary": "Reported by a tip.",
            "accept-country": "RS",
            "accept-locality_name": "Novi Sad",
            "accept-status": "deploying",
            "accept-certainty": "reported",
            "accept-visibility": "public",
            "accept-source_title": "",
            "accept-publish_attachment": "on",
            "accept-note": "",
            "accept": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source = Source.objects.get(kind="crowd", document__isnull=False)
    assert source.title.startswith("File sent in a public tip on ")
    assert_neutral(source)
    detail = Client().get(source.get_absolute_url())
    assert detail.status_code == 200
    assert_no_file_name(detail.content.decode(), "tip source page")


# --- a title someone typed is kept ----------------------------------------------------------


def test_an_upload_keeps_the_title_typed_and_is_stored_under_it(desk, django_user_model):  # noqa: F811
    reviewer = django_user_model.objects.create_user("rev", "rev@example.org", "a long passphrase")
    Membership.objects.create(team=desk["team"], user=reviewer, role="reviewer")
    with_totp(reviewer)  # reviewers sign in with a second factor
    client = Client()
    client.force_login(reviewer)
    upload = SimpleUploadedFile("petrovic.a-resenje.pdf", make_pdf([["Acta"]]), "application/pdf")
    response = client.post(
        "/sources/new/",
        {
            "title": "Acta del pleno de Rivas",
            "kind": "official",
            "owner_team": desk["team"].slug,
            "visibility": "public",
            "upload": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(title="Acta del pleno de Rivas")
    assert source.document.original_name == "acta-del-pleno-de-rivas.pdf"


# --- the title itself -----------------------------------------------------------------------


def test_the_title_keeps_the_days_precision_and_numbers_only_several_documents():
    day = dt.date(2026, 12, 1)
    assert naming.document_title(authority="MUP", on=day, position=2, count=3) == (
        "Reply of Dec. 1, 2026 from MUP, document 2 of 3"
    )
    assert naming.document_title(authority="MUP", on=day) == ("Reply of Dec. 1, 2026 from MUP")
    assert naming.document_title(authority="MUP", on=None, position=1, count=2) == (
        "Reply from MUP, document 1 of 2"
    )
    assert naming.document_title(authority="MUP", on=None) == ("Reply from MUP")


@pytest.mark.parametrize(
    ("title", "filename", "made"),
    [
        ("petrovic.a-resenje.pdf (Ministry of Interior)", "petrovic.a-resenje.pdf", True),
        ("[name removed]-одговор.pdf (МУП)", "Петровић-одговор.pdf", True),
        ("odgovor-[name removed].pdf", "odgovor-Ana-Petrovic.pdf", True),
        ("APetrovic.PDF (MUP)", "APetrovic.pdf", True),
        ("Decision of the Ministry on cameras", "APetrovic.pdf", False),
        ("Letter of intention between Barcelona and Huawei", "", False),
    ],
)
def test_titles_made_from_a_file_name_are_told_from_typed_ones(title, filename, made):
    assert naming.made_from_file_name(title, filename) is made


# --- upgraded installs: the data migration (review R4) --------------------------------------


def test_the_migration_retitles_published_documents_and_rebuilds_the_foi_index(desk):  # noqa: F811
    """An install from before: documents titled by their file name (one published with the
    old redaction, which missed the lower-case surname), their stored files named likewise,
    and an index built from the letters as stored. The migration, run with the historical
    models of its place in the migration graph, re-titles and renames them and deletes the
    stale entries; ``citywatch migrate`` rebuilds those in their public view."""
    request = sent_request(desk)
    pipe(reply_with_documents(request, FILE_NAMES[:2]))
    attachments = list(FoiAttachment.objects.filter(message__request=request).order_by("pk"))
    first = attachments[0]
    old_titles = [f"{a.filename} ({RIVAS})" for a in attachments]
    old_titles[0] = "petrovic.a-resenje.pdf (Ayuntamiento de Rivas-Vaciamadrid)"
    for attachment, title in zip(attachments, old_titles, strict=True):
        Source.objects.filter(pk=attachment.source_id).update(title=title)
        StoredFile.objects.filter(pk=attachment.received_file_id).update(
            original_name=attachment.filename
        )
        Source.history.filter(id=attachment.source_id).update(title=title)
    Source.objects.filter(pk=first.source_id).update(visibility="public")
    # A third document of the same letter, whose title someone typed in the admin.
    typed = Source.objects.create(title="Decision typed by hand", kind="foi_response")
    FoiAttachment.objects.create(message=first.message, source=typed, filename="APetrovic.pdf")
    # The old index: titles and letters as stored, the requester's address in them.
    SearchEntry.objects.filter(kind="foi_request").update(
        body="ana petrovic private example", title="contratos con huawei"
    )
    for attachment, title in zip(attachments, old_titles, strict=True):
        SearchEntry.objects.filter(kind="source", object_id=attachment.source_id).update(
            title=fold(title)
        )
    assert Client().get("/api/search?q=petrovic").json()["results"]

    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("foi", MIGRATION), at_end=True)
    migration = importlib.import_module(f"citywatch.foi.migrations.{MIGRATION}")
    migration.neutral_titles(state.apps, None)

    expected = [f"Reply of June 19, 2024 from {RIVAS}, document {n} of 3" for n in (1, 2)]
    for attachment, title in zip(attachments, expected, strict=True):
        attachment.refresh_from_db()
        source = Source.objects.get(pk=attachment.source_id)
        assert source.title == title
        assert_neutral(source, attachment)
        assert not source.history.exclude(title=title).exists()
    typed.refresh_from_db()
    assert typed.title == "Decision typed by hand"  # typed: kept
    assert not SearchEntry.objects.filter(kind="foi_request").exists()

    call_command("migrate", verbosity=0)  # what an upgrade runs: the index is rebuilt
    assert SearchEntry.objects.filter(kind="foi_request", object_id=request.pk).exists()
    for part in ("petrovic", "resenje", "private.example"):
        found = Client().get(f"/api/search?q={quote(part)}").json()
        assert not found.get("results"), (part, found)
    found = Client().get("/api/search?q=reply+rivas").json()
    assert expected[0] in [hit["title"] for hit in found["results"]]
    # Run twice, it changes nothing.
    migration.neutral_titles(state.apps, None)
    assert Source.objects.get(pk=first.source_id).title == expected[0]
