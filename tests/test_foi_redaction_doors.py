"""Every public door shows an FOI request's letters and documents in their public view: the
requester's people and addresses hidden (review findings F5 and F6). The index serves every
visitor, so it holds the redacted text; the team still reads the originals on the page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from test_foi_inbound import desk, eml, pipe, sent_request, team_client  # noqa: F401

from citywatch.exchange import exports
from citywatch.foi.mail.redaction import Redactor
from citywatch.research.search import rebuild_index

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]

# Searched as people type them: with and without accents, the address, the surname alone.
LOOKED_FOR = ("Petrović", "Petrovic", "ana.petrovic@private.example", "Ana Petrovic")
SHOWN = ("Petrović", "Petrovic", "ana.petrovic", "Петровић")


def published_request(desk):  # noqa: F811
    """A public request whose reply names the requester and whose document is called
    ``odgovor-Ana-Petrovic.pdf``, published by its team."""
    request = sent_request(desk)
    pipe(eml("names.eml", request))
    pipe(eml("multipart-pdf.eml", request, Resolucion_123_2024=b"odgovor-Ana-Petrovic"))
    attachment = request.messages.get(attachments__isnull=False).attachments.get()
    assert attachment.filename == "odgovor-Ana-Petrovic.pdf"
    response = team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(attachment.source.key)}
    )
    assert response.status_code == 302
    attachment.source.refresh_from_db()
    rebuild_index()
    return request, attachment


def public_pages(request, attachment) -> dict[str, str]:
    anonymous = Client()
    pages = {}
    for term in LOOKED_FOR:
        pages[f"/search/?q={term}"] = f"/search/?q={quote(term)}"
        pages[f"/api/search?q={term}"] = f"/api/search?q={quote(term)}"
    pages["request"] = f"/foi/{request.key}/"
    pages["source"] = attachment.source.get_absolute_url()
    pages["api sources"] = "/api/sources"
    pages["feed"] = "/feeds/deployments.atom"
    shown = {}
    for name, url in pages.items():
        response = anonymous.get(url, follow=True)
        assert response.status_code == 200, (name, response.status_code)
        shown[name] = response.content.decode()
    for filename in ("citywatch.json", "sources.csv"):
        if filename in exports.FILENAMES:
            shown[filename] = b"".join(exports.export(filename).blocks()).decode()
    return shown


def test_no_public_door_names_the_requester(desk):  # noqa: F811
    request, attachment = published_request(desk)
    # The document is found, under a neutral title: not its file name (review R5).
    title = "Reply of June 19, 2024 from Ayuntamiento de Rivas-Vaciamadrid"
    assert attachment.source.title == title
    found = Client().get("/api/search?q=reply+rivas").json()
    assert title in [hit["title"] for hit in found["results"]]
    assert not Client().get("/api/search?q=odgovor").json().get("results")
    # Searching the letters' words finds the request, with a redacted snippet.
    found = Client().get(f"/api/search?q={quote('Estimada')}").content.decode()
    assert f"/foi/{request.key}/" in found
    source_url = attachment.source.get_absolute_url()
    for door, text in public_pages(request, attachment).items():
        if "?q=" in door:  # the query is echoed; what it finds must not be the request
            assert f"/foi/{request.key}/" not in text and source_url not in text, door
            assert "<mark>" not in text, door
            continue
        for hidden in SHOWN:
            assert hidden not in text, (door, hidden)
    # Searching for the person finds nothing of the request.
    for term in LOOKED_FOR:
        found = Client().get(f"/api/search?q={quote(term)}").json()
        assert not found.get("results"), (term, found)
    # The team still reads the letters and keeps the file name as received.
    own = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    assert "Estimada Sra. Ana Petrović:" in own
    attachment.refresh_from_db()
    assert attachment.filename == "odgovor-Ana-Petrovic.pdf"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("odgovor-Ana-Petrovic.pdf", "odgovor-[name removed].pdf"),
        ("ana_petrovic.docx", "[name removed].docx"),
        ("Поздрав, Ана Петровић", "Поздрав, [name removed]"),
        ("Đorđević, Djordjevic, Dordevic", "[name removed], [name removed], [name removed]"),
        ("a rose, Rose", "a rose, [name removed]"),  # one word: matched with its case
        ("Petrovićeva ulica", "Petrovićeva ulica"),  # only whole words
    ],
)
def test_names_are_hidden_as_search_would_find_them(text, shown):
    hide = Redactor(addresses=(), names=("Ana Petrović", "Petrović", "Đorđević", "Rose"))
    assert hide(text) == shown
