"""Documents: stored once by hash, type sniffed from content, text read outside the request.

The PDF files are real ones, written byte by byte by ``make_pdf`` below (text in Helvetica,
one content stream per page), so pypdf and pdfminer.six read them as they would any PDF.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component
from citywatch.evidence import documents, services
from citywatch.evidence.models import Citation, Source, StoredFile, TextStatus
from citywatch.research.forms import fact_value
from citywatch.research.search import search
from citywatch.teams.permissions import INTERNAL

pytestmark = pytest.mark.django_db


def make_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one page per list of lines (WinAnsi text, so accents work)."""
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in at the end
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    font_id, kids = len(objects), []
    for lines in pages:
        operations = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
        for line in lines:
            escaped = line.encode("cp1252").replace(b"\\", b"\\\\")
            escaped = escaped.replace(b"(", b"\\(").replace(b")", b"\\)")
            operations.append(b"(" + escaped + b") Tj T*")
        operations.append(b"ET")
        stream = b"\n".join(operations)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


FOI_REPLY = [
    [
        "Ministry of Interior - reply to request 2024/17",
        "The Ministry installed 335 CCTV cameras in the city centre.",
        "Las cámaras fueron suministradas por Huawei.",
    ],
    ["Annex: the eLTE trunking network covers the police stations."],
]

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>City news</title>
<script>var tracking = "do not index me";</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About us</a></nav>
<article><h1>City signs surveillance deal</h1>
<p>The city council approved the purchase of 1,200 smart cameras from the vendor on Monday,
after a short debate in which two councillors asked for a privacy impact assessment.</p>
<p>The system will include facial recognition features, officials said, although they will be
switched off until a national law is passed. The contract runs for five years.</p>
</article><footer>Copyright City News</footer></body></html>"""


@pytest.fixture
def staff_client(client, django_user_model):
    """A reviewer of a team (with two-factor authentication): writes directly."""
    from conftest import join_team

    user = django_user_model.objects.create_user("editor", password="x" * 16)
    join_team(user, "reviewer", "editors")
    client.force_login(user)
    return client


def editors():
    from citywatch.teams.models import Team

    return Team.objects.get(slug="editors")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def stored_text(source: Source) -> StoredFile:
    source.refresh_from_db()
    return source.document


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (make_pdf([["Hello"]]), "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (HTML_PAGE, "text/html"),
        (b"  <html><body>x</body></html>", "text/html"),
        ("Plain text with accents: cámaras.\n".encode(), "text/plain"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream"),
    ],
)
def test_type_is_sniffed_from_content(content, expected):
    assert documents.sniff_media_type(content[:8192]) == expected


def test_file_name_does_not_decide_the_type(media):
    stored, _created = documents.store_file(make_pdf([["A PDF called .html"]]), "reply.html")
    assert stored.media_type == "application/pdf"
    assert stored.file.name.endswith(".pdf")


# ---------------------------------------------------------------- extraction


def test_pdf_text_is_extracted_page_by_page_outside_the_request(media):
    source = services.add_document(
        make_pdf(FOI_REPLY), "reply.pdf", title="FOI reply", kind="foi_response"
    )
    stored = stored_text(source)
    assert stored.text_status == TextStatus.PENDING
    assert stored.text == ""

    call_command("process_documents")

    stored.refresh_from_db()
    assert stored.text_status == TextStatus.DONE
    assert stored.extractor == "pypdf"
    assert stored.page_count == 2
    first, second = stored.pages
    assert "335 CCTV cameras" in first
    assert "Las cámaras fueron suministradas por Huawei." in first
    assert "eLTE trunking network" in second


def test_pdfminer_reads_a_pdf_pypdf_cannot_open(media):
    """A download cut short (its last lines lost) stops pypdf; pdfminer still reads it."""
    whole = make_pdf([["Broken reply: 42 drones were bought."]])
    truncated = whole[: whole.rindex(b"startxref")]
    source = services.add_document(truncated, "cut.pdf", title="Cut", kind="foi_response")
    services.process_pending_files()
    stored = stored_text(source)
    assert stored.text_status == TextStatus.DONE
    assert stored.extractor == "pdfminer.six"
    assert "42 drones were bought." in stored.text


def test_html_main_text_via_trafilatura(media):
    source = services.add_document(HTML_PAGE, "news.html", title="News", kind="media")
    services.process_pending_files()
    stored = stored_text(source)
    assert stored.media_type == "text/html"
    assert stored.extractor == "trafilatura"
    assert "purchase of 1,200 smart cameras" in stored.text
    assert "do not index me" not in stored.text
    assert "About us" not in stored.text


def test_plain_text_is_read_as_is(media):
    source = services.add_document(
        "Acta de la sesión.\fSegunda página: cámaras.".encode(),
        "acta.txt",
        title="Acta",
        kind="official",
    )
    services.process_pending_files()
    stored = stored_text(source)
    assert stored.pages == ["Acta de la sesión.", "Segunda página: cámaras."]


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, TextStatus.NO_TEXT, "does not run OCR"),
        (make_pdf([[]]), TextStatus.NO_TEXT, "may be a scan"),
        (b"%PDF-1.4\n garbage that is no PDF at all", TextStatus.FAILED, "could not be read"),
    ],
)
def test_a_document_without_readable_text_says_so(media, admin_client, content, status, reason):
    client = admin_client  # an uncited source is seen by its team (and site administrators)
    source = services.add_document(content, "x", title="Unreadable", kind="leak")
    services.process_pending_files()
    stored = stored_text(source)
    assert stored.text_status == status
    assert reason in stored.text_error
    page = client.get(f"/sources/{source.key}/").content.decode()
    assert reason in page
    assert client.get(f"/sources/{source.key}/text/").status_code == 200


# ---------------------------------------------------------------- stored once


def test_identical_files_are_stored_once(media):
    pdf = make_pdf([["The same reply, sent twice."]])
    first = services.add_document(pdf, "a.pdf", title="Copy one", kind="foi_response")
    second = services.add_document(pdf, "b.pdf", title="Copy two", kind="foi_response")
    assert first.document_id == second.document_id
    assert StoredFile.objects.count() == 1
    assert len(list((media / "evidence").rglob("*.pdf"))) == 1
    stored = first.document
    import hashlib

    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored.size == len(pdf)
    other = services.add_document(make_pdf([["Another reply."]]), "c.pdf", title="3", kind="media")
    assert other.document_id != first.document_id


# ---------------------------------------------------------------- pages and permissions


def test_upload_needs_a_contributor(client, django_user_model, media, make_member):
    assert client.get("/sources/new/").status_code == 302  # to the login page
    user = django_user_model.objects.create_user("reader", password="x" * 16)
    client.force_login(user)
    assert client.get("/sources/new/").status_code == 403
    client.force_login(make_member("viewer", "A"))
    assert client.get("/sources/new/").status_code == 403
    client.force_login(make_member("contributor", "A"))
    assert client.get("/sources/new/").status_code == 200
    assert Source.objects.count() == 0


def test_staff_uploads_a_pdf_and_the_source_page_shows_hash_and_text(staff_client, media):
    pdf = make_pdf(FOI_REPLY)
    response = staff_client.post(
        "/sources/new/",
        {
            "title": "Reply of the Ministry of Interior",
            "kind": "foi_response",
            "language": "en",
            "upload": SimpleUploadedFile("reply.pdf", pdf, content_type="text/html"),
        },
    )
    source = Source.objects.get(title="Reply of the Ministry of Interior")
    assert response.status_code == 302
    assert source.document.media_type == "application/pdf"
    services.process_pending_files()
    html = staff_client.get(f"/sources/{source.key}/").content.decode()
    assert source.document.sha256 in html
    assert f"/sources/{source.key}/text/" in html
    download = staff_client.get(f"/sources/{source.key}/file/")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    served = b"".join(download.streaming_content)
    # What is kept and served is the cleaned file (metadata removed, text kept), by its hash.
    import hashlib

    assert hashlib.sha256(served).hexdigest() == source.document.sha256
    assert "335 CCTV cameras" in stored_text(source).text


def test_an_uploaded_document_loses_its_authors_traces(staff_client, media):
    """Uploads are cleaned like tips (mat2, then our own pass), the text of PDFs kept."""
    pdf = make_pdf(FOI_REPLY).replace(
        b"trailer\n<< /Size", b"trailer\n<< /Info << /Author (Ana Petrovic) >> /Size"
    )
    assert b"Ana Petrovic" in pdf
    staff_client.post(
        "/sources/new/",
        {
            "title": "Reply with an author",
            "kind": "foi_response",
            "upload": SimpleUploadedFile("reply.pdf", pdf),
        },
    )
    source = Source.objects.get(title="Reply with an author")
    kept = documents.read_bytes(source.document)
    assert b"Ana Petrovic" not in kept
    services.process_pending_files()
    assert "335 CCTV cameras" in stored_text(source).text


def test_a_stored_web_page_is_never_served_as_this_site(admin_client, media):
    client = admin_client  # an uncited source is seen by its team (and site administrators)
    source = services.add_document(HTML_PAGE, "page.html", title="Page", kind="media")
    response = client.get(f"/sources/{source.key}/file/")
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_text_page_shows_pages_and_marks_cited_passages(client, demo, media):
    source = services.add_document(make_pdf(FOI_REPLY), "r.pdf", title="Reply", kind="official")
    services.process_pending_files()
    component = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="cctv"
    )
    citation = atlas_services.cite_passage(
        source,
        component,
        quote="The Ministry installed 335 CCTV cameras in the city centre.",
        field_name="quantity",
        locator="p. 1",
        by=INTERNAL,
    )
    response = client.get(citation.get_absolute_url())
    assert citation.get_absolute_url() == f"/sources/{source.key}/text/#{citation.anchor}"
    assert re.fullmatch(r"quote-[0-9a-f]{12}", citation.anchor)  # opaque: not its number
    html = client.get(f"/sources/{source.key}/text/").content.decode()
    assert f'<mark id="{citation.anchor}"' in html
    assert ">The Ministry installed 335 CCTV cameras in the city centre.</mark>" in html
    assert 'id="page-2"' in html
    assert response.status_code == 200
    assert 'name="quote"' not in html  # no citing form for the public
    assert "<script>" not in html and " style=" not in html


def test_staff_cites_a_selected_passage_with_its_page(demo, staff_client, media):
    source = services.add_document(
        make_pdf(FOI_REPLY), "r.pdf", title="Reply", kind="official", owner_team=editors()
    )
    services.process_pending_files()
    page = staff_client.get(f"/sources/{source.key}/text/?deployment=naypyidaw-safe-city")
    html = page.content.decode()
    assert 'name="quote"' in html
    assert "research/cite.js" in html
    component = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="cctv"
    )
    from django.contrib.contenttypes.models import ContentType

    fact = fact_value(ContentType.objects.get_for_model(Component), component.pk, "quantity")
    assert fact in html
    # The text as a browser selection gives it: across a line break.
    quote = "Annex: the eLTE trunking\n network covers the police stations."
    response = staff_client.post(
        f"/sources/{source.key}/cite/",
        {"deployment": "naypyidaw-safe-city", "fact": fact, "quote": quote, "locator": "p. 2"},
    )
    citation = Citation.objects.get(source=source)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{citation.anchor}")
    assert citation.quote == "Annex: the eLTE trunking network covers the police stations."
    assert (citation.locator, citation.field_name, citation.target) == (
        "p. 2",
        "quantity",
        component,
    )


def test_a_quote_not_in_the_text_is_refused(demo, staff_client, media):
    source = services.add_document(
        make_pdf(FOI_REPLY), "r.pdf", title="Reply", kind="official", owner_team=editors()
    )
    services.process_pending_files()
    component = Component.objects.get(
        deployment__slug="naypyidaw-safe-city", technology__slug="cctv"
    )
    from django.contrib.contenttypes.models import ContentType

    fact = fact_value(ContentType.objects.get_for_model(Component), component.pk, "quantity")
    response = staff_client.post(
        f"/sources/{source.key}/cite/",
        {"deployment": "naypyidaw-safe-city", "fact": fact, "quote": "10,000 cameras were bought."},
    )
    assert response.status_code == 400
    assert "not in this source" in response.content.decode()
    assert not Citation.objects.filter(source=source).exists()


def test_done_when_upload_find_cite_verify(demo, staff_client, media):
    """A researcher uploads an FOI reply PDF, finds it later by a word inside it, cites a
    sentence from it for a deployment's camera count, and can prove the file is unchanged."""
    staff_client.post(
        "/sources/new/",
        {
            "title": "FOI reply on the Belgrade cameras",
            "kind": "foi_response",
            "upload": SimpleUploadedFile("reply.pdf", make_pdf(FOI_REPLY)),
        },
    )
    call_command("process_documents")
    source = Source.objects.get(title="FOI reply on the Belgrade cameras")

    # Private to the uploader's team: found by its members, not by the public.
    assert search("elte", kinds=["document"]).hits == []
    editor = source.owner_team.members.get()
    hits = search("elte", kinds=["document"], user=editor).hits
    assert [(hit.title, hit.page) for hit in hits] == [("FOI reply on the Belgrade cameras", 2)]
    assert "<mark>eLTE</mark>" in hits[0].snippet

    component = Component.objects.get(
        deployment__slug="belgrade-safe-city", technology__slug="cctv"
    )
    citation = atlas_services.cite_passage(
        source,
        component,
        quote="The Ministry installed 335 CCTV cameras in the city centre.",
        field_name="quantity",
        stated_value="335",
        locator="p. 1",
        by=INTERNAL,
    )
    page = staff_client.get("/deployments/belgrade-safe-city/").content.decode()
    assert "335" in page and "FOI reply on the Belgrade cameras" in page
    assert citation.pk

    call_command("verify_archive")  # raises CommandError on any mismatch
