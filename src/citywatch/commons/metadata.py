"""Strip identifying metadata from a tip's file, in memory, before anything reaches the disk.

A photo of a camera pole can carry the GPS position of the person who took it and the serial
number of their phone; a PDF or an office file can carry its author's name. A tip's file is
therefore checked by its content (never by its name or by what the browser claims), rebuilt
without metadata, checked again, and only then stored. Anything CityWatch cannot clean is
refused, with a message that says why.

What is kept:
- photos (JPEG, PNG, WebP): the pixels only, re-encoded, turned upright first; every EXIF tag
  (GPS, make, model, serial numbers, dates), XMP, ICC profile and text chunk is dropped;
  only the first frame of an animated image is kept;
- PDF: the pages and the document structure; the document information (Author, Creator,
  Producer, Title, Subject, Keywords, dates), XMP metadata streams anywhere in the file,
  application data (PieceInfo) and the author and date of annotations are removed;
- Word, Excel and PowerPoint files (docx, xlsx, pptx): the document; docProps/core.xml and
  docProps/app.xml are replaced by empty property sets, custom properties are emptied, the
  names of comment authors and of tracked changes are blanked, embedded photos are cleaned
  like photos, and every zip entry gets the same fixed date.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citywatch.evidence import documents

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024

JPEG = documents.JPEG
PNG = documents.PNG
WEBP = documents.WEBP
PDF = documents.PDF
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

EXTENSIONS = {
    JPEG: "jpg",
    PNG: "png",
    WEBP: "webp",
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
}
ALLOWED_TYPES = frozenset(EXTENSIONS)
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
OFFICE_TYPES = frozenset({DOCX, XLSX, PPTX})
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

# The part that tells which kind of office file a zip is.
OFFICE_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

EMPTY_CORE_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
EMPTY_APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>'
)
EMPTY_CUSTOM_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>'
)
REPLACED_PARTS = {
    "docProps/core.xml": EMPTY_CORE_PROPERTIES,
    "docProps/app.xml": EMPTY_APP_PROPERTIES,
    "docProps/custom.xml": EMPTY_CUSTOM_PROPERTIES,
}
# Attributes that name people in comments, tracked changes and co-authoring records
# (w:author, w15:person, x:threadedComment's person list, p:cmAuthor...).
PERSON_ATTRIBUTES = frozenset({"author", "initials", "userId", "providerId", "displayName"})
PERSON_MARKERS = (b"author", b"Author", b"initials", b"userId", b"providerId", b"displayName")

# PDF keys that hold metadata wherever they appear, and those of annotations.
PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
PDF_ANNOTATION_PERSON_KEYS = ("/T", "/M", "/CreationDate", "/RC")
PDF_INFO_MARKERS = (
    b"/Author",
    b"/Creator",
    b"/Producer",
    b"/Keywords",
    b"/Subject",
    b"/CreationDate",
    b"/ModDate",
    b"<x:xmpmeta",
    b"<?xpacket",
)


class RefusedFile(ValueError):
    """The file is not accepted; the message says why, in words a tipster understands."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]


def allowed_kinds_message() -> str:
    return _(
        "CityWatch accepts photos (JPEG, PNG, WebP), PDF documents and Word, Excel or "
        "PowerPoint files (docx, xlsx, pptx)."
    )


def too_large_message() -> str:
    return _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}


# ---------------------------------------------------------------- what kind of file


def office_kind(data: bytes) -> str | None:
    """docx, xlsx or pptx for an Office Open XML zip; None for any other zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in OFFICE_MAIN_PARTS.items():
        if part in names:
            return kind
    return None


def sniff_kind(data: bytes) -> str:
    """The file's type from its bytes; office files are told apart by their parts."""
    kind = documents.sniff_media_type(data[:8192])
    if kind == documents.ZIP:
        return office_kind(data) or kind
    return kind


# ---------------------------------------------------------------- photos


def strip_image(data: bytes, media_type: str) -> bytes:
    """Re-encode the pixels alone: no EXIF, XMP, ICC profile or text chunk survives."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as original:
            width, height = original.size
            if width * height > MAX_PIXELS:
                raise RefusedFile(_("The image is too large (more than 50 megapixels)."))
            original.load()
            upright = ImageOps.exif_transpose(original) or original
            pixels = plain_pixels(upright, media_type)
    except RefusedFile:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise RefusedFile(_("The image could not be read; it may be damaged.")) from error
    # A new image from raw pixel bytes carries no info dictionary at all.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    if media_type == JPEG:
        clean.save(output, "JPEG", quality=90)
    elif media_type == PNG:
        clean.save(output, "PNG", optimize=True)
    else:
        clean.save(output, "WEBP", quality=90)
    return output.getvalue()


def plain_pixels(image, media_type: str):
    """The image in a plain mode (L, RGB or RGBA) that the output format can hold."""
    has_alpha = image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info
    if media_type != JPEG and has_alpha:
        return image.convert("RGBA")
    if image.mode in {"L", "1", "I", "I;16", "I;16B", "I;16L", "F"} and not has_alpha:
        return image.convert("L")
    return image.convert("RGB")


def image_is_clean(data: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if len(image.getexif()):
            return False
        leftovers = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"}
        if leftovers & set(image.info):
            return False
        return not getattr(image, "text", {})


# ---------------------------------------------------------------- PDF


def strip_pdf(data: bytes) -> bytes:
    """Rewrite the PDF without its document information, XMP and annotation authors."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise RefusedFile(
                _(
                    "Password-protected PDFs cannot be cleaned of identifying data: please send "
                    "the document without a password."
                )
            )
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        remove_pdf_metadata(writer.root_object)
        # Objects no longer referenced (the XMP streams just unlinked) are not written.
        drop_unreferenced_objects(writer)
        output = io.BytesIO()
        writer.write(output)
    except RefusedFile:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as error:
        raise RefusedFile(_("The PDF could not be read; it may be damaged.")) from error
    return output.getvalue()


def drop_unreferenced_objects(writer) -> None:
    try:
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    except TypeError:  # pypdf before 7 calls these remove_identicals and remove_orphans
        writer.compress_identical_objects(remove_identicals=False, remove_orphans=True)


def remove_pdf_metadata(root) -> None:
    """Walk every object reachable from the catalogue and drop metadata keys."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name in PDF_METADATA_KEYS:
                item.pop(NameObject(name), None)
            is_annotation = item.get("/Type") == "/Annot" or (
                "/Subtype" in item and "/Rect" in item
            )
            # Markup annotations name their author in /T; a form field's /T is its name.
            if is_annotation and item.get("/Subtype") != "/Widget":
                for name in PDF_ANNOTATION_PERSON_KEYS:
                    item.pop(NameObject(name), None)
            stack.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def pdf_is_clean(data: bytes) -> bool:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.metadata or "/Info" in reader.trailer or "/Metadata" in reader.root_object:
        return False
    return not any(marker in data for marker in PDF_INFO_MARKERS)


# ---------------------------------------------------------------- Word, Excel, PowerPoint


def strip_office(data: bytes, media_type: str, depth: int = 0) -> bytes:
    """Rebuild the zip: empty property parts, no person names, clean embedded photos."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise RefusedFile(_("The office file could not be read; it may be damaged.")) from error
    with source:
        entries = source.infolist()
        check_zip_size(entries)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in entries:
                if entry.is_dir():
                    continue
                content = clean_office_part(entry.filename, read_entry(source, entry), depth)
                info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, content)
    return output.getvalue()


def check_zip_size(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_UNCOMPRESSED:
        raise RefusedFile(_("The office file is too large once unpacked."))


def read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(entry)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as error:
        raise RefusedFile(_("The office file could not be read; it may be damaged.")) from error


def clean_office_part(name: str, content: bytes, depth: int) -> bytes:
    lower = name.lower()
    if lower.endswith(("vbaproject.bin", "vbadata.xml")) or lower.endswith(".bin"):
        raise RefusedFile(
            _(
                "Office files with macros or embedded objects are not accepted: please save the "
                "document without them (for example as PDF)."
            )
        )
    if name in REPLACED_PARTS:
        return REPLACED_PARTS[name]
    if lower.endswith((".xml", ".rels", ".vml")):
        return blank_person_names(content)
    kind = sniff_kind(content)
    if kind in IMAGE_TYPES:
        return strip_image(content, kind)
    if kind in OFFICE_TYPES:
        if depth >= 1:
            raise RefusedFile(_("The office file holds too many nested documents."))
        return strip_office(content, kind, depth + 1)
    return content


def safe_xml_parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def blank_person_names(content: bytes) -> bytes:
    """Blank every attribute or element that names a person (comment authors and the like)."""
    if not any(marker in content for marker in PERSON_MARKERS):
        return content
    from lxml import etree

    try:
        root = etree.fromstring(content, safe_xml_parser())
    except etree.XMLSyntaxError as error:
        raise RefusedFile(_("The office file could not be read; it may be damaged.")) from error
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local_name = etree.QName(element).localname
        for attribute in list(element.attrib):
            attribute_name = etree.QName(attribute).localname
            if attribute_name in PERSON_ATTRIBUTES or (
                local_name == "cmAuthor" and attribute_name == "name"
            ):
                element.set(attribute, "")
        if local_name == "author" and element.text:
            element.text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def office_is_clean(data: bytes) -> bool:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        for name, empty in REPLACED_PARTS.items():
            if name in names and archive.read(name) != empty:
                return False
        for name in names:
            if not name.lower().endswith((".xml", ".rels", ".vml")):
                continue
            content = archive.read(name)
            if not any(marker in content for marker in PERSON_MARKERS):
                continue
            root = etree.fromstring(content, safe_xml_parser())
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                if etree.QName(element).localname == "author" and element.text:
                    return False
                for attribute, value in element.attrib.items():
                    if value and etree.QName(attribute).localname in PERSON_ATTRIBUTES:
                        return False
    return True


# ---------------------------------------------------------------- the one entry point

STRIPPERS: dict[str, Callable[[bytes], bytes]] = {
    JPEG: lambda data: strip_image(data, JPEG),
    PNG: lambda data: strip_image(data, PNG),
    WEBP: lambda data: strip_image(data, WEBP),
    PDF: strip_pdf,
    DOCX: lambda data: strip_office(data, DOCX),
    XLSX: lambda data: strip_office(data, XLSX),
    PPTX: lambda data: strip_office(data, PPTX),
}
CHECKS: dict[str, Callable[[bytes], bool]] = {
    JPEG: image_is_clean,
    PNG: image_is_clean,
    WEBP: image_is_clean,
    PDF: pdf_is_clean,
    DOCX: office_is_clean,
    XLSX: office_is_clean,
    PPTX: office_is_clean,
}


def clean_upload(data: bytes) -> CleanFile:
    """Check a tip's file by its content and return it without identifying metadata.

    Raises RefusedFile (with a message for the tipster) when the file is too large, of a
    kind CityWatch does not take, damaged, or cannot be cleaned. Works on bytes only: the
    caller decides where the clean result is stored.
    """
    if len(data) > MAX_BYTES:
        raise RefusedFile(too_large_message())
    if not data:
        raise RefusedFile(_("The file is empty."))
    kind = sniff_kind(data)
    if kind not in ALLOWED_TYPES:
        raise RefusedFile(
            _("This file is not one CityWatch accepts, whatever its name says. ")
            + allowed_kinds_message()
        )
    try:
        cleaned = STRIPPERS[kind](data)
    except RefusedFile:
        raise
    except Exception as error:  # a parser's surprise is a refusal, never a half-clean file
        raise RefusedFile(_("The file could not be read; it may be damaged.")) from error
    try:
        clean = CHECKS[kind](cleaned) and sniff_kind(cleaned) == kind
    except Exception as error:  # any doubt about the result refuses the file
        raise RefusedFile(_("Identifying data could not be removed from this file.")) from error
    if not clean:
        raise RefusedFile(_("Identifying data could not be removed from this file."))
    return CleanFile(content=cleaned, media_type=kind)
