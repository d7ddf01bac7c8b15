"""Reading the text out of stored files: PDF, HTML, plain text; images are kept unread.

PDF text comes from pypdf; when pypdf gets little or nothing (or cannot open the file),
pdfminer.six tries too and the longer text wins. HTML gives its main text through
trafilatura (boilerplate such as menus left out), or all visible text when trafilatura finds
no main part. Text is normalised to NFC and pages are joined with form feeds ("\\f").

Extraction never raises: a file whose text cannot be read gets a status and a reason.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from citywatch.evidence import documents

logger = logging.getLogger(__name__)

# Below this many letters per page, pypdf's result is thought too thin and pdfminer is tried.
THIN_TEXT_PER_PAGE = 40
MAX_PAGES = 5000


@dataclass
class Extracted:
    pages: list[str] = field(default_factory=list)
    extractor: str = ""
    error: str = ""

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    @property
    def letters(self) -> int:
        return sum(1 for page in self.pages for char in page if char.isalnum())


class NotReadable(Exception):
    """The file was read, but holds no text CityWatch can get at."""


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def pdf_pages_pypdf(data: bytes) -> list[str]:
    """The text of each page, read by pypdf (the empty password is tried on an encrypted PDF).

    Raises:
        NotReadable: when the PDF has more than MAX_PAGES pages.
        PyPdfError: (or another error) when pypdf cannot read a damaged PDF; ``extract_pdf``
            then tries pdfminer.six.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    if len(reader.pages) > MAX_PAGES:
        raise NotReadable(_("The PDF has more than %(max)d pages.") % {"max": MAX_PAGES})
    return [page.extract_text() or "" for page in reader.pages]


def pdf_pages_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(data), maxpages=MAX_PAGES)
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdfminer ends every page, the last one too, with a form feed
    return pages


def extract_pdf(data: bytes) -> Extracted:
    """The text of a PDF by page, from pypdf or, when pypdf fails or finds fewer than
    THIN_TEXT_PER_PAGE letters a page, pdfminer.six: whichever reads more letters.

    Raises:
        NotReadable: when the PDF has more than MAX_PAGES pages, or no letters at all (no text
            layer: a scan).
        ValueError: when neither extractor can read it (the message gives both errors).
    """
    attempts: list[tuple[str, Callable[[bytes], list[str]]]] = [
        ("pypdf", pdf_pages_pypdf),
        ("pdfminer.six", pdf_pages_pdfminer),
    ]
    best = Extracted()
    errors = []
    for name, read_pages in attempts:
        try:
            result = Extracted([normalise(page) for page in read_pages(data)], name)
        except NotReadable:
            raise
        except Exception as error:  # a damaged or hostile PDF may raise anything
            logger.info("%s could not read a PDF: %s", name, error)
            errors.append(f"{name}: {error}")
            continue
        if not best.extractor or result.letters > best.letters:
            best = result
        if best.pages and best.letters >= THIN_TEXT_PER_PAGE * len(best.pages):
            break
    if not best.extractor:
        raise ValueError("; ".join(errors))
    if best.letters == 0:
        raise NotReadable(
            _("The PDF has no text layer; it may be a scan (CityWatch does not run OCR).")
        )
    return best


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        return str(match) if match is not None else data.decode("cp1252", errors="replace")


def extract_html(data: bytes) -> Extracted:
    """The main text of a web page (trafilatura), else all its visible text (lxml).

    Raises:
        NotReadable: when the page has no readable text.
    """
    import trafilatura

    text = trafilatura.extract(
        data, output_format="txt", include_comments=False, include_tables=True
    )
    if text and text.strip():
        return Extracted([normalise(text)], "trafilatura")
    text = visible_html_text(data)
    if not text.strip():
        raise NotReadable(_("The web page has no readable text."))
    return Extracted([normalise(text)], "lxml")


def visible_html_text(data: bytes) -> str:
    """All text of the page's body, scripts and styles left out."""
    from lxml import html

    tree = html.fromstring(data)
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    body = tree.find("body")
    return (body if body is not None else tree).text_content()


def extract(data: bytes, media_type: str) -> Extracted:
    """The text of a file of this media type (``documents.PDF``, ``HTML``, ``TEXT``, ``XML``).

    Raises:
        NotReadable: when there is no text to read: an empty file, a PDF without text layer or
            over MAX_PAGES pages, an image, or a kind of file CityWatch does not read.
        ValueError: when no extractor can read a PDF; other errors of a failing extractor
            (a damaged file) pass through.
    """
    if media_type == documents.PDF:
        return extract_pdf(data)
    if media_type == documents.HTML:
        return extract_html(data)
    if media_type in (documents.TEXT, documents.XML):
        text = normalise(decode_text(data))
        if not text.strip():
            raise NotReadable(_("The file is empty."))
        return Extracted(text.split("\f"), "plain text")
    if media_type in documents.IMAGE_TYPES:
        raise NotReadable(_("Images are kept but not read: CityWatch does not run OCR."))
    raise NotReadable(
        _("CityWatch cannot read text from this kind of file (%(type)s).") % {"type": media_type}
    )
