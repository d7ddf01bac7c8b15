"""Stored files: sniff their type from their bytes, keep each distinct file once.

A file is named in storage by its SHA-256 (``evidence/ab/abcdef….pdf``), so the same FOI reply
uploaded twice, or a page archived twice without change, is stored once. The type is read
from the content, never taken from the file name or from what a web server claims.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from citywatch.core.slugs import slug_text
from citywatch.evidence.models import StoredFile, TextStatus

CHUNK_SIZE = 1024 * 1024

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TIFF = "image/tiff"
ZIP = "application/zip"
XML = "application/xml"
UNKNOWN = "application/octet-stream"

EXTENSIONS = {
    PDF: "pdf",
    HTML: "html",
    TEXT: "txt",
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    TIFF: "tif",
    ZIP: "zip",
    XML: "xml",
    UNKNOWN: "bin",
}
IMAGE_TYPES = {PNG, JPEG, GIF, WEBP, TIFF}
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta ", b"<p>")


def sniff_media_type(head: bytes) -> str:
    """The type of a file from its first bytes (a few kilobytes are enough)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    text = _decode_head(head)
    if text is None:
        return UNKNOWN
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml"):
        return HTML if "<html" in start[:2048] else XML
    if start.startswith("<") and any(m.decode() in start[:4096] for m in HTML_MARKERS):
        return HTML
    return TEXT


def _decode_head(head: bytes) -> str | None:
    """The start of a text file as text, or None when it looks binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return None
    # A multi-byte character may be cut at the end of the sample: ignore the last 3 bytes.
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:
            return head[: error.start].decode("utf-8")
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    if controls > len(head) // 100:
        return None
    return head.decode("cp1252", errors="replace")


def storage_name(sha256: str, media_type: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256}.{EXTENSIONS.get(media_type, 'bin')}"


def hash_chunks(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK_SIZE):
        yield chunk


def file_name_for(title: str, media_type: str) -> str:
    """A neutral file name made from a title, with the extension of the file's type:
    ("Reply of 19 June 2024 from Rivas", "application/pdf") → "reply-of-19-june-2024-from-
    rivas.pdf" (at most 120 characters before the extension; "document" when the title has
    nothing readable). File names as received often name people; a name made from a title
    that someone chose, or that CityWatch wrote, does not."""
    stem = slug_text(title, max_length=120) or "document"
    return f"{stem}.{EXTENSIONS.get(media_type, 'bin')}"


def store_file(
    content: bytes | IO[bytes], name: str | Callable[[str], str] = ""
) -> tuple[StoredFile, bool]:
    """Keep a file once; returns the stored file and whether it is new.

    ``content`` is bytes or a binary file object (an upload, a temporary file). ``name`` is
    the name kept with a new file, or a function of the sniffed media type that gives it
    (e.g. ``lambda media: file_name_for(title, media)``). A file stored before keeps its
    name. A new file waits for text extraction (``citywatch process-documents``).
    """
    handle: IO[bytes] = io.BytesIO(content) if isinstance(content, bytes) else content
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    sha256, size = hash_chunks(read_chunks(handle))
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    media_type = sniff_media_type(head)
    if callable(name):
        name = name(media_type)
    handle.seek(0)
    saved_name = default_storage.save(storage_name(sha256, media_type), File(handle))
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                sha256=sha256,
                size=size,
                media_type=media_type,
                file=saved_name,
                original_name=os.path.basename(name)[:255],
                text_status=TextStatus.PENDING,
            )
    except IntegrityError:
        # Stored at the same moment by another process: keep theirs, drop our copy.
        default_storage.delete(saved_name)
        return StoredFile.objects.get(sha256=sha256), False
    return stored, True


def file_digest(stored: StoredFile) -> str:
    """SHA-256 of the bytes in storage now (raises FileNotFoundError when missing)."""
    with default_storage.open(stored.file.name, "rb") as handle:
        return hash_chunks(read_chunks(handle))[0]


def read_bytes(stored: StoredFile) -> bytes:
    with default_storage.open(stored.file.name, "rb") as handle:
        return handle.read()
