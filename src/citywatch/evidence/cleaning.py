"""Remove what identifies a file's author before the file is kept: mat2 first, then our checks.

A photo of a camera pole can carry the GPS position of the person who took it and the model of
their phone; a PDF or an office file can carry its author's name, the folder it was saved in
(``C:\\Users\\ana.petrovic\\…``) or the path of a template in that folder. Tips, uploaded
documents and FOI replies are cleaned here before anything keeps them.

How a file is cleaned:

1. its kind is read from its content (never from its name or from what a browser claims);
2. ``mat2`` (the metadata anonymisation toolkit that Tails ships; Debian package ``mat2``,
   LGPL-3.0) cleans every kind it supports: JPEG and PNG photos, PDF (re-rendered page by
   page), Word/Excel/PowerPoint (docx, xlsx, pptx) and OpenDocument (odt, ods, odp) files;
3. CityWatch's own pass then removes what mat2 0.13 leaves behind, each found by trying it:
   the folder path in ``x15ac:absPath`` (Excel), the attached-template path (Word), the names
   in ``ppt/authors.xml`` and other co-authoring parts (PowerPoint, Excel), ``file:`` links and
   local paths in any attribute, EXIF left in JPEG streams inside a PDF; it also puts back
   the relationship parts mat2 drops (``xl/_rels/workbook.xml.rels``,
   ``ppt/_rels/presentation.xml.rels``: without them the sheets and slides are lost),
   keeping only relationships whose target is inside the file or a web address;
4. WebP photos, which mat2 0.13 does not support, are cleaned by CityWatch alone: the pixels
   are re-encoded and nothing else is kept;
5. the result is checked again; anything that still looks identifying is refused.

mat2 needs a file path: the file is written to a private folder (mode 0700, in memory-backed
``/dev/shm`` where the system has it) that is removed as soon as mat2 is done, whatever happens.
Nothing else is written. When mat2 is not installed, files that need it are refused with a
message (``citywatch check`` warns about it), never kept uncleaned.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from citywatch.evidence import documents

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAT2_TIMEOUT_SECONDS = 180

JPEG = documents.JPEG
PNG = documents.PNG
WEBP = documents.WEBP
PDF = documents.PDF
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

EXTENSIONS = {
    JPEG: "jpg",
    PNG: "png",
    WEBP: "webp",
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
}
ALLOWED_TYPES = frozenset(EXTENSIONS)
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
OFFICE_TYPES = frozenset({DOCX, XLSX, PPTX})
OPENDOCUMENT_TYPES = frozenset({ODT, ODS, ODP})
# What mat2 0.13.3 cleans (``mat2 --list``); WebP is not among them.
MAT2_TYPES = frozenset({JPEG, PNG, PDF}) | OFFICE_TYPES | OPENDOCUMENT_TYPES

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
    b'core-properties"/>'
)
EMPTY_APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
REPLACED_PARTS = {
    "docProps/core.xml": EMPTY_CORE_PROPERTIES,
    "docProps/app.xml": EMPTY_APP_PROPERTIES,
}
# Parts that hold nothing but who wrote or edited the file, or the history of its changes.
DROPPED_PARTS = ("docProps/custom.xml", "meta.xml", "word/people.xml")
DROPPED_FOLDERS = (
    "customXml/",
    "Thumbnails/",
    "docProps/thumbnail",
    "xl/revisions/",  # shared-workbook change history: userNames.xml, revisionHeaders.xml...
)

# Local names (compared in lower case, whatever the namespace) of attributes that name a
# person: w:author, userInfo's userName, p188:author's initials, x:person's displayName,
# lastModifiedBy... Identifiers such as ``authorId`` are numbers and are kept.
PERSON_ATTRIBUTE = re.compile(
    r"(?i)^(\w*author|\w*authors|\w*initials?|\w*username|\w*userid|\w*user|\w*displayname"
    r"|providerid|\w*creator|\w*modifiedby|\w*createdby|\w*savedby|\w*printedby|printed-by"
    r"|\w*editor|\w*reviewer|\w*owner|person|\w*personname|\w*email|\w*e-mail|ed)$"
)
# Elements whose ``name`` attribute is a person's name (p188:author, p:cmAuthor, w15:person,
# xl/revisions userInfo...).
PERSON_ELEMENTS = frozenset(
    {"author", "cmauthor", "person", "userinfo", "user", "creator", "reviewer", "editor"}
)
# Elements whose text is a person's name (x:author in comments, ODF dc:creator, cp:lastModifiedBy,
# meta:printed-by...).
PERSON_TEXT_ELEMENTS = frozenset(
    {
        "author",
        "creator",
        "initial-creator",
        "creator-initials",
        "lastmodifiedby",
        "printed-by",
        "manager",
        "username",
        "displayname",
        "initials",
        "person",
        "editor",
        "reviewer",
    }
)
# Elements that only point into the author's own folders: removed with what they hold.
PATH_ELEMENTS = frozenset({"abspath", "attachedtemplate"})
# OpenDocument settings that name the author's printer.
PRINTER_SETTINGS = frozenset({"PrinterName", "PrinterSetup", "PrinterPaperFromSetup"})
# A file-system path or file URL that shows a user's or a machine's folders, anywhere in a
# value or a text: file: URLs, drive paths (C:\…, D:/…), UNC paths (\\server\share,
# //server/share), home folders (/home/…, /Users/…, /Volumes/…, ~/…, ``Documents and
# Settings``), also relative ones (../../Users/…).
_PATH_CHARS = r"""[^\s"'<>|]*"""
LOCAL_PATH = re.compile(
    r"(?i)("
    r"file:[^\s\"'<>]*"
    rf"|(?<![a-z0-9])[a-z]:[\\/]+(?:documents and settings[\\/])?{_PATH_CHARS}"
    rf"|\\\\[^\s\\\"'<>|]+[\\]{_PATH_CHARS}"
    rf"|(?<![\w:/.+=-])//[a-z0-9][\w.$-]*/{_PATH_CHARS}"
    rf"|(?<![\w.+=-])(?:(?:\.{{1,2}}[\\/])+|[\\/])(?:users|home|volumes|documents and settings)"
    rf"[\\/]{_PATH_CHARS}"
    rf"|(?<![\w.+=-])~[\\/]{_PATH_CHARS}"
    r")"
)
# A quoted string in text (a field code's argument): removed whole when it holds a local path,
# so that a path with spaces ("/Volumes/Ana's Disk/…") goes with all its words.
QUOTED = re.compile(r'"[^"<>]*"|\u201c[^\u201d]*\u201d')
WEB_SCHEMES = ("http://", "https://", "mailto:")
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

# PDF keys that hold metadata wherever they appear, and those of annotations.
PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
PDF_ANNOTATION_PERSON_KEYS = ("/T", "/M", "/CreationDate", "/RC")
PDF_LEFTOVER_MARKERS = (
    b"/Author",
    b"/Creator",
    b"/Keywords",
    b"/Subject",
    b"<x:xmpmeta",
    b"<?xpacket",
    b"Exif\x00",
)


class CannotClean(ValueError):
    """The file is not accepted; the message says why, in words the sender understands."""


@dataclass(frozen=True)
class CleanedFile:
    """A file with nothing identifying left: its bytes and its type (read from its content)."""

    content: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]


def allowed_kinds_message() -> str:
    return _(
        "CityWatch accepts photos (JPEG, PNG, WebP), PDF documents, Word, Excel or PowerPoint "
        "files (docx, xlsx, pptx) and OpenDocument files (odt, ods, odp)."
    )


def too_large_message() -> str:
    return _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}


def cannot_clean_message() -> str:
    return _(
        "Identifying data could not be removed from this file, so it was not kept. You can "
        "send your tip without the file, or save it in another format (for example as PDF)."
    )


# ---------------------------------------------------------------- mat2


def mat2_command() -> str | None:
    """The mat2 program's path, or None when it is not installed.

    ``CITYWATCH_MAT2`` names another program or path (the default is ``mat2`` on PATH).
    """
    return shutil.which(getattr(settings, "CITYWATCH_MAT2", "mat2") or "mat2")


def mat2_available() -> bool:
    return mat2_command() is not None


def private_folder_root() -> str | None:
    """Memory-backed /dev/shm when the system has it, else the system's temporary folder."""
    shm = Path("/dev/shm")  # noqa: S108 - only a root for mkdtemp's own private folder
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return str(shm)
    return None


@contextmanager
def private_folder() -> Iterator[Path]:
    """A folder only this process's user can read (0700), removed on leaving, whatever happens."""
    folder = tempfile.mkdtemp(prefix="citywatch-clean-", dir=private_folder_root())
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_mat2(data: bytes, media_type: str, *, lightweight: bool = False) -> bytes:
    """Clean ``data`` with ``mat2 --inplace`` in a private folder; return the cleaned bytes.

    The file is named by its kind (``file.pdf``), never by the sender's file name. mat2's own
    temporary files go to the same folder (TMPDIR). Unknown parts of zip-based files are kept
    for CityWatch's own pass to clean or refuse.

    Raises:
        CannotClean: mat2 is not installed, fails, or takes longer than MAT2_TIMEOUT_SECONDS.
    """
    command = mat2_command()
    if command is None:
        raise CannotClean(
            _(
                "This server cannot remove identifying data from this kind of file at the "
                "moment, so the file was not kept. You can send your tip without the file."
            )
        )
    with private_folder() as folder:
        path = folder / f"file.{EXTENSIONS[media_type]}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        arguments = [command, "--inplace", "--unknown-members", "keep"]
        if lightweight:
            arguments.append("--lightweight")
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TMPDIR": str(folder),
            "HOME": str(folder),
            "LANG": "C.UTF-8",
        }
        try:
            result = subprocess.run(
                [*arguments, "--", str(path)],
                cwd=folder,
                env=environment,
                capture_output=True,
                timeout=MAT2_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CannotClean(cannot_clean_message()) from error
        if result.returncode != 0 or not path.exists():
            raise CannotClean(cannot_clean_message())
        return path.read_bytes()


# ---------------------------------------------------------------- what kind of file


def zip_kind(data: bytes) -> str | None:
    """The office or OpenDocument type of a zip, told by its parts; None for any other zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in OPENDOCUMENT_TYPES else None
    except (zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in OFFICE_MAIN_PARTS.items():
        if part in names:
            return kind
    return None


def sniff_kind(data: bytes) -> str:
    """The file's type from its bytes; zip-based documents are told apart by their parts."""
    kind = documents.sniff_media_type(data[:8192])
    if kind == documents.ZIP:
        return zip_kind(data) or kind
    return kind


# ---------------------------------------------------------------- photos


def open_image(data: bytes):
    """The image, opened and checked for size.

    Raises:
        CannotClean: damaged, or more than MAX_PIXELS pixels.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise CannotClean(_("The image is too large (more than 50 megapixels)."))
        image.load()
    except CannotClean:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise CannotClean(_("The image could not be read; it may be damaged.")) from error
    return image


def reencode_image(data: bytes, media_type: str) -> bytes:
    """The pixels alone, turned upright first: no EXIF, XMP, ICC profile or text chunk."""
    from PIL import Image, ImageOps

    original = open_image(data)
    upright = ImageOps.exif_transpose(original) or original
    pixels = plain_pixels(upright, media_type)
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


def needs_turning(data: bytes) -> bool:
    """True when the photo is stored sideways and only its EXIF orientation says so."""
    image = open_image(data)
    return image.getexif().get(0x0112, 1) not in (0, 1)


def clean_photo(data: bytes, media_type: str) -> bytes:
    """mat2 for JPEG and PNG (turned upright first, as mat2 drops the orientation tag), our
    own re-encoding for WebP."""
    if media_type not in MAT2_TYPES:
        return reencode_image(data, media_type)
    if needs_turning(data):
        data = reencode_image(data, media_type)
    return run_mat2(data, media_type)


def image_is_clean(data: bytes) -> bool:
    image = open_image(data)
    if len(image.getexif()):
        return False
    leftovers = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"}
    if leftovers & set(image.info):
        return False
    return not getattr(image, "text", {})


def strip_jpeg_segments(data: bytes) -> bytes:
    """A JPEG stream without its APP1-APP15 and comment segments (EXIF, XMP, IPTC, ICC...).

    The compressed picture is copied as it is: nothing is re-encoded. APP0 (JFIF) and APP14
    (Adobe, which tells how colours are stored) are kept. Source: ITU T.81 annex B (markers).

    Raises:
        CannotClean: the stream's segments cannot be followed.
    """
    if not data.startswith(b"\xff\xd8"):
        return data
    output = bytearray(b"\xff\xd8")
    index = 2
    while index < len(data):
        if data[index] != 0xFF:
            raise CannotClean(_("An image in the file could not be read; it may be damaged."))
        marker = data[index + 1] if index + 1 < len(data) else 0xD9
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker == 0xDA:  # start of scan: the picture itself, up to the end-of-image marker
            end = data.rfind(b"\xff\xd9")
            output += data[index : end + 2] if end > index else data[index:]
            break
        if marker in (0xD8, 0xD9, 0x01) or 0xD0 <= marker <= 0xD7:
            output += data[index : index + 2]
            index += 2
            continue
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        segment = data[index : index + 2 + length]
        if is_kept_segment(marker, segment):
            output += segment
        index += 2 + length
    return bytes(output)


def is_kept_segment(marker: int, segment: bytes) -> bool:
    if marker == 0xE0:
        return segment[4:9] == b"JFIF\x00"
    if marker == 0xEE:
        return segment[4:9] == b"Adobe"
    return not (0xE1 <= marker <= 0xEF or marker == 0xFE)


# ---------------------------------------------------------------- PDF


def clean_pdf(data: bytes, *, keep_text: bool = False) -> bytes:
    """mat2, then our pass: document information, XMP, annotation authors and EXIF in
    embedded JPEG streams removed.

    By default mat2 re-renders every page as an image (what Tails does: nothing hidden in the
    document survives, but its text can no longer be selected or searched). With
    ``keep_text=True`` (for long official documents such as FOI replies) mat2's lightweight
    mode redraws the pages keeping text and vector graphics; it leaves the photos' own
    metadata, which our pass then removes.
    """
    refuse_encrypted(data)
    rendered = run_mat2(data, PDF, lightweight=keep_text)
    return strip_pdf(rendered)


def refuse_encrypted(data: bytes) -> None:
    """Refuse a PDF that cannot be opened without a password (the empty password is tried).

    Raises:
        CannotClean: when pypdf cannot read the PDF, or it is password-protected.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted and not reader.decrypt("")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise CannotClean(_("The PDF could not be read; it may be damaged.")) from error
    if encrypted:
        raise CannotClean(
            _(
                "Password-protected PDFs cannot be cleaned of identifying data: please send "
                "the document without a password."
            )
        )


def strip_pdf(data: bytes) -> bytes:
    """Rewrite the PDF without its document information, XMP, annotation authors and the
    metadata segments of its JPEG images.

    Raises:
        CannotClean: when the PDF (or an image in it) cannot be read or rewritten.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        remove_pdf_metadata(writer.root_object)
        # Objects no longer referenced (the XMP streams just unlinked) are not written.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        output = io.BytesIO()
        writer.write(output)
    except CannotClean:
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
        raise CannotClean(_("The PDF could not be read; it may be damaged.")) from error
    return output.getvalue()


def remove_pdf_metadata(root) -> None:
    """Walk every object reachable from the catalogue: drop metadata keys and strip the
    metadata segments of JPEG (DCTDecode) image streams."""
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
            if is_jpeg_stream(item):
                item._data = strip_jpeg_segments(item._data)
            stack.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def is_jpeg_stream(item) -> bool:
    filters = item.get("/Filter")
    if filters is None or not hasattr(item, "_data"):
        return False
    names = list(filters) if isinstance(filters, list) else [filters]
    # Only a stream whose last (innermost) filter is DCTDecode holds JPEG bytes as stored.
    return len(names) == 1 and names[0] == "/DCTDecode"


def pdf_streams(reader) -> Iterator[bytes]:
    """Every stream's bytes, decoded where pypdf can (JPEG streams as stored)."""
    for number in range(1, int(reader.trailer.get("/Size", 0))):
        try:
            item = reader.get_object(number)
        except Exception:  # noqa: S112 - a free object number is not an error here
            continue
        if item is None or not hasattr(item, "get_data"):
            continue
        try:
            yield item.get_data()
        except Exception:
            yield getattr(item, "_data", b"")


def pdf_is_clean(data: bytes) -> bool:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.metadata or "/Metadata" in reader.root_object:
        return False
    if any(marker in data for marker in PDF_LEFTOVER_MARKERS):
        return False
    return not any(
        marker in stream for stream in pdf_streams(reader) for marker in PDF_LEFTOVER_MARKERS
    )


# ---------------------------------------------------------------- zip-based documents


def read_zip(data: bytes) -> dict[str, bytes]:
    """Every file of a zip, in order, within size limits.

    Raises:
        CannotClean: damaged, too many parts or too large once unpacked.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
            total = sum(entry.file_size for entry in entries)
            if len(entries) > MAX_ZIP_ENTRIES or total > MAX_ZIP_UNCOMPRESSED:
                raise CannotClean(_("The document is too large once unpacked."))
            return {entry.filename: archive.read(entry) for entry in entries}
    except CannotClean:
        raise
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as error:
        raise CannotClean(_("The document could not be read; it may be damaged.")) from error


def write_zip(parts: dict[str, bytes]) -> bytes:
    """A zip with every entry dated 1 January 1980; an OpenDocument ``mimetype`` first and
    uncompressed, as the format requires."""
    output = io.BytesIO()
    names = sorted(parts, key=lambda name: (name != "mimetype", name != "[Content_Types].xml"))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, parts[name])
    return output.getvalue()


def clean_zip_document(data: bytes, media_type: str) -> bytes:
    """mat2, then our pass over every part (see the module's docstring)."""
    original = read_zip(data)
    refuse_macros(original)
    cleaned = read_zip(run_mat2(data, media_type))
    if media_type in OFFICE_TYPES:
        restore_relationship_parts(original, cleaned)
    parts = {name: content for name, content in cleaned.items() if not is_dropped(name)}
    for name, content in list(parts.items()):
        parts[name] = clean_part(name, content)
    if media_type in OFFICE_TYPES:
        parts = drop_dangling_references(parts)
    else:
        parts = drop_missing_manifest_entries(parts)
    return write_zip(parts)


def is_dropped(name: str) -> bool:
    """Whether a part is one that only names people or records changes (package part names
    are compared without regard to case, as OPC part names are: ECMA-376 part 2)."""
    lower = name.lower()
    return lower in {part.lower() for part in DROPPED_PARTS} or lower.startswith(
        tuple(folder.lower() for folder in DROPPED_FOLDERS)
    )


def refuse_macros(parts: dict[str, bytes]) -> None:
    """Refuse a zip-based document whose parts (by name) hold macros or embedded objects
    (``*.bin``, ``vbaData.xml``, OpenDocument's ``Basic/``).

    Raises:
        CannotClean: when such a part is there.
    """
    for name in parts:
        lower = name.lower()
        if lower.endswith((".bin", "vbadata.xml")) or lower.startswith("basic/"):
            raise CannotClean(
                _(
                    "Documents with macros or embedded objects are not accepted: please save the "
                    "document without them (for example as PDF)."
                )
            )


def relationship_source(rels_name: str) -> str:
    """``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``; ``_rels/.rels`` → ``""``."""
    folder, file_name = posixpath.split(rels_name)
    parent = posixpath.dirname(folder)
    return posixpath.join(parent, file_name[: -len(".rels")]) if file_name != ".rels" else ""


def restore_relationship_parts(original: dict[str, bytes], cleaned: dict[str, bytes]) -> None:
    """Put back the relationship parts mat2 dropped while keeping the part they belong to
    (mat2 0.13.3 drops ``xl/_rels/workbook.xml.rels``, ``ppt/_rels/presentation.xml.rels``
    and ``word/_rels/settings.xml.rels``). They are filtered by ``drop_dangling_references``."""
    for name, content in original.items():
        if not name.endswith(".rels") or name in cleaned:
            continue
        source = relationship_source(name)
        if source == "" or source in cleaned:
            cleaned[name] = content


def clean_part(name: str, content: bytes) -> bytes:
    """One part of a zip-based document, cleaned by what it is.

    Raises:
        CannotClean: when an XML part cannot be parsed, or an image part keeps metadata and is of
            a kind CityWatch cannot re-encode (or cannot be opened).
    """
    if name in REPLACED_PARTS:
        return REPLACED_PARTS[name]
    lower = name.lower()
    if lower.endswith((".xml", ".rels", ".vml", ".rdf")):
        return clean_xml(content)
    kind = documents.sniff_media_type(content[:8192])
    if kind not in documents.IMAGE_TYPES:
        return content
    if kind == JPEG:
        content = strip_jpeg_segments(content)
    if image_is_clean(content):  # as mat2 left it (it cleans GIF and TIFF too)
        return content
    if kind in IMAGE_TYPES:
        return reencode_image(content, kind)
    raise CannotClean(cannot_clean_message())


def safe_xml_parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(content: bytes):
    """The XML element tree, parsed without entities, DTDs or network access.

    Raises:
        CannotClean: when the content is not well-formed XML.
    """
    from lxml import etree

    try:
        return etree.fromstring(content, safe_xml_parser())
    except etree.XMLSyntaxError as error:
        raise CannotClean(_("The document could not be read; it may be damaged.")) from error


def clean_xml(content: bytes) -> bytes:
    """Blank the names of people, remove folder paths (in values and in text) and the author's
    printer."""
    from lxml import etree

    root = parse_xml(content)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            scrub_text(element)  # comments and processing instructions
            continue
        local_name = etree.QName(element).localname.lower()
        if local_name in PATH_ELEMENTS:
            remove_with_empty_wrappers(element)
            continue
        if local_name == "config-item" and element_name(element) in PRINTER_SETTINGS:
            element.getparent().remove(element)
            continue
        for attribute, value in list(element.attrib.items()):
            if names_a_person(local_name, attribute) or LOCAL_PATH.search(value):
                element.set(attribute, "")
        if local_name in PERSON_TEXT_ELEMENTS and element.text and not len(element):
            element.text = ""
        scrub_text(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def names_a_person(element_local_name: str, attribute: str) -> bool:
    """Whether an attribute (qualified name, ``{namespace}local``) of an element (local name in
    lower case) holds a person's name, by local names in any namespace and any case."""
    from lxml import etree

    attribute_name = etree.QName(attribute).localname
    if PERSON_ATTRIBUTE.match(attribute_name):
        return True
    return element_local_name in PERSON_ELEMENTS and attribute_name.lower() == "name"


def scrub_text(node) -> None:
    """Remove local paths from a node's text and from the text that follows it (tail): field
    codes such as ``INCLUDEPICTURE "C:\\Users\\…"`` live in element text."""
    if node.text and LOCAL_PATH.search(node.text):
        node.text = without_paths(node.text)
    if node.tail and LOCAL_PATH.search(node.tail):
        node.tail = without_paths(node.tail)


def without_paths(text: str) -> str:
    """``text`` without local paths: a quoted string holding one goes whole (``""`` stays)."""
    text = QUOTED.sub(lambda quoted: '""' if LOCAL_PATH.search(quoted[0]) else quoted[0], text)
    return LOCAL_PATH.sub("", text)


def xml_names_or_paths(root) -> bool:
    """Whether any element of the tree still names a person, holds a folder-path element, or a
    local path in an attribute value or in text."""
    from lxml import etree

    for element in root.iter():
        texts = [element.text or "", element.tail or ""]
        if not isinstance(element.tag, str):
            if any(LOCAL_PATH.search(text) for text in texts):
                return True
            continue
        local_name = etree.QName(element).localname.lower()
        if local_name in PATH_ELEMENTS:
            return True
        if local_name in PERSON_TEXT_ELEMENTS and (element.text or "").strip():
            return True
        if any(LOCAL_PATH.search(text) for text in texts):
            return True
        for attribute, value in element.attrib.items():
            if value and (names_a_person(local_name, attribute) or LOCAL_PATH.search(value)):
                return True
    return False


def element_name(element) -> str:
    for attribute, value in element.attrib.items():
        if attribute.endswith("}name") or attribute == "name":
            return value
    return ""


def remove_with_empty_wrappers(element) -> None:
    """Remove an element, and the markup-compatibility wrappers it leaves empty."""
    from lxml import etree

    parent = element.getparent()
    if parent is None:
        return
    parent.remove(element)
    while parent is not None and len(parent) == 0 and not (parent.text or "").strip():
        name = etree.QName(parent).localname
        if name not in {"Choice", "Fallback", "AlternateContent"}:
            break
        grandparent = parent.getparent()
        if grandparent is None:
            break
        grandparent.remove(parent)
        parent = grandparent


def relationship_target(rels_name: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    base = posixpath.dirname(relationship_source(rels_name))
    return posixpath.normpath(posixpath.join(base, target))


def drop_dangling_references(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Keep only relationships to parts that exist, or to web addresses; and only content
    types of parts that exist."""
    from lxml import etree

    for name in [n for n in parts if n.endswith(".rels")]:
        root = parse_xml(parts[name])
        for relationship in list(root):
            target = relationship.get("Target", "")
            if relationship.get("TargetMode") == "External":
                keep = target.lower().startswith(WEB_SCHEMES)
            else:
                keep = relationship_target(name, target) in parts
            if not keep:
                root.remove(relationship)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if "[Content_Types].xml" in parts:
        root = parse_xml(parts["[Content_Types].xml"])
        for entry in list(root):
            part_name = entry.get("PartName")
            if part_name and part_name.lstrip("/") not in parts:
                root.remove(entry)
        parts["[Content_Types].xml"] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    return parts


def drop_missing_manifest_entries(parts: dict[str, bytes]) -> dict[str, bytes]:
    """An OpenDocument manifest lists only files that are still there (meta.xml is gone)."""
    from lxml import etree

    name = "META-INF/manifest.xml"
    if name not in parts:
        return parts
    root = parse_xml(parts[name])
    for entry in list(root):
        path = entry.get(f"{{{MANIFEST_NS}}}full-path", "")
        if path and path != "/" and not path.endswith("/") and path not in parts:
            root.remove(entry)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts


def zip_document_is_clean(data: bytes) -> bool:
    """Nothing that names a person or a folder in any part; no property parts left filled."""
    parts = read_zip(data)
    if any(is_dropped(name) for name in parts):
        return False
    for name, empty in REPLACED_PARTS.items():
        if name in parts and parts[name] != empty:
            return False
    for name, content in parts.items():
        if not name.lower().endswith((".xml", ".rels", ".vml", ".rdf")):
            kind = documents.sniff_media_type(content[:8192])
            if kind in documents.IMAGE_TYPES and not image_is_clean(content):
                return False
            continue
        if xml_names_or_paths(parse_xml(content)):
            return False
    return True


# ---------------------------------------------------------------- the one entry point


def kind_of(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The accepted type of ``data``.

    Raises:
        CannotClean: empty, larger than ``max_bytes``, or of a kind CityWatch does not take.
    """
    if len(data) > max_bytes:
        raise CannotClean(too_large_message())
    if not data:
        raise CannotClean(_("The file is empty."))
    kind = sniff_kind(data)
    if kind not in ALLOWED_TYPES:
        raise CannotClean(
            _("This file is not one CityWatch accepts, whatever its name says. ")
            + allowed_kinds_message()
        )
    return kind


def clean_file(
    data: bytes, *, keep_pdf_text: bool = False, max_bytes: int = MAX_BYTES
) -> CleanedFile:
    """Return the file without identifying metadata, checked again after cleaning.

    Args:
        data: the file's bytes, as received (never written anywhere but a private folder
            that is removed at once).
        keep_pdf_text: for PDFs, keep text and vector graphics (mat2's lightweight mode plus
            our pass) instead of re-rendering each page as an image.

    Returns:
        CleanedFile: the cleaned bytes and their type, read from the content.

    Raises:
        CannotClean: with a message for the sender, when the file is too large, empty, of a
            kind CityWatch does not take, damaged, password-protected, holds macros, needs
            mat2 and mat2 is not installed, or still looks identifying after cleaning.
    """
    kind = kind_of(data, max_bytes)
    try:
        if kind in IMAGE_TYPES:
            cleaned = clean_photo(data, kind)
        elif kind == PDF:
            cleaned = clean_pdf(data, keep_text=keep_pdf_text)
        else:
            cleaned = clean_zip_document(data, kind)
    except CannotClean:
        raise
    except Exception as error:  # a parser's surprise is a refusal, never a half-clean file
        raise CannotClean(_("The file could not be read; it may be damaged.")) from error
    if not is_clean(cleaned, kind):
        raise CannotClean(cannot_clean_message())
    return CleanedFile(content=cleaned, media_type=kind)


def is_clean(data: bytes, kind: str) -> bool:
    """Whether cleaned bytes are of the expected kind and carry nothing identifying."""
    try:
        if sniff_kind(data) != kind:
            return False
        if kind in IMAGE_TYPES:
            return image_is_clean(data)
        if kind == PDF:
            return pdf_is_clean(data)
        return zip_document_is_clean(data)
    except Exception:  # any doubt about the result refuses the file
        return False


# ---------------------------------------------------------------- system check


def check_mat2(app_configs=None, **kwargs) -> list:
    """A Django system check (``citywatch check``): warn when mat2 is not installed."""
    from django.core.checks import Warning

    if mat2_available():
        return []
    return [
        Warning(
            _(
                "mat2 is not installed: files sent with tips (except WebP photos) are refused "
                "until it is, because they cannot be cleaned of identifying data."
            ),
            hint=_("On Debian or Ubuntu: apt-get install mat2"),
            id="citywatch.W001",
        )
    ]


def clean_document(data: bytes, max_bytes: int) -> bytes:
    """A document uploaded as evidence, without what identifies its author.

    Photos, PDFs (their text kept: ``keep_pdf_text``) and office files are cleaned as tips are;
    web pages and plain text, which carry no file metadata, are kept as they are (a stored web
    page is someone else's page, evidence in itself).

    Raises:
        CannotClean: a photo, PDF or office file that cannot be cleaned (the message says why).
    """
    if sniff_kind(data) not in ALLOWED_TYPES:
        return data
    return clean_file(data, keep_pdf_text=True, max_bytes=max_bytes).content
