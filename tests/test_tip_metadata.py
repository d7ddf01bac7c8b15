"""A tip's file loses what identifies its author before it is stored, and the original never
touches the disk: photos' GPS position and camera serial, documents' author fields."""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from citywatch.commons.models import Tip
from citywatch.evidence import cleaning

pytestmark = pytest.mark.django_db

AUTHOR = "Jovana Petrovic"
SERIAL = "SN-4455667788"
CAMERA_MODEL = "Canon EOS R5"
DOCUMENT_TEXT = "Contract for 1,000 cameras"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


# ---------------------------------------------------------------- files made by the tests


def exif_with_gps_and_serial() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Artist] = AUTHOR
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone turned: shown upright
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:01 14:03:22"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (44.0, 48.0, 56.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (20.0, 27.0, 33.1)
    return exif


def photo_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48), noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, random.Random(5).randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    handle = io.BytesIO()
    options = {"exif": exif_with_gps_and_serial()}
    if kind == "JPEG":
        options["comment"] = AUTHOR.encode()
    image.save(handle, kind, **options)
    return handle.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(612, 792)
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Creator": "CamScanner on Jovana's phone",
            "/Producer": "Acme PDF Library 9.1",
            "/Title": "Contract notes",
            "/Keywords": "surveillance, leak",
        }
    )
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
        + AUTHOR.encode()
        + b'</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    stream = DecodedStreamObject()
    stream.set_data(xmp)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    handle = io.BytesIO()
    writer.write(handle)
    return handle.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    ),
    "word/document.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>'
        f'{DOCUMENT_TEXT}</w:t></w:r><w:ins w:id="1" w:author="{AUTHOR}" '
        'w:date="2024-05-01T14:03:00Z"><w:r><w:t>, signed</w:t></w:r></w:ins>'
        "</w:p></w:body></w:document>"
    ),
    "word/comments.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments {W}><w:comment w:id="0" '
        f'w:author="{AUTHOR}" w:initials="JP"><w:p><w:r><w:t>check this</w:t></w:r></w:p>'
        "</w:comment></w:comments>"
    ),
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        f"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
        "<dc:title>Contract notes</dc:title><dcterms:created>2024-05-01T14:03:00Z"
        "</dcterms:created></cp:coreProperties>"
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>'
        "Ministry of Interior</Company><Manager>Jovana's boss</Manager><Template>"
        "C:\\Users\\jpetrovic\\Templates\\Normal.dotm</Template></Properties>"
    ),
    "docProps/custom.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/custom-properties"><property '
        f'name="Owner">{AUTHOR}</property></Properties>'
    ),
}


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 14, 3, 22)), text)
        archive.writestr("word/media/image1.jpeg", photo_bytes())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return handle.getvalue()


def upload(client: Client, content: bytes, name: str, **extra):
    handle = io.BytesIO(content)
    handle.name = name
    data = {"what": "Cameras on the bridge", "place": "Belgrade", "attachment": handle}
    data.update(extra)
    return client.post("/tips/new/", data)


def stored_bytes() -> bytes:
    tip = Tip.objects.get()
    with tip.attachment.open("rb") as handle:
        return handle.read()


# ---------------------------------------------------------------- uploads through the form


def test_a_photo_loses_its_gps_position_and_camera_serial(client):
    original = photo_bytes()
    # The photo really carries what must go.
    exif = Image.open(io.BytesIO(original)).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (44.0, 48.0, 56.5)
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == SERIAL
    assert SERIAL.encode() in original and CAMERA_MODEL.encode() in original

    assert upload(client, original, "IMG_0001.jpg").status_code == 302
    stored = stored_bytes()
    for leftover in [SERIAL, CAMERA_MODEL, "Canon", AUTHOR, "2024:05:01", "Exif", "GPS"]:
        assert leftover.encode() not in stored, leftover
    image = Image.open(io.BytesIO(stored))
    image.load()  # the image still opens
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert image.size == (48, 64)  # turned upright before the orientation tag was dropped
    assert Image.open(io.BytesIO(stored)).getpixel((10, 10))[0] > 150  # still red


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_photos_lose_their_exif_too(client, kind):
    original = photo_bytes(kind)
    assert SERIAL.encode() in original
    assert upload(client, original, f"photo.{kind.lower()}").status_code == 302
    stored = stored_bytes()
    assert SERIAL.encode() not in stored and CAMERA_MODEL.encode() not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == kind and len(image.getexif()) == 0


def test_a_pdf_loses_its_author_creator_producer_and_xmp(client):
    original = pdf_bytes()
    assert PdfReader(io.BytesIO(original)).metadata.author == AUTHOR
    assert original.count(AUTHOR.encode()) == 2  # document information and XMP

    assert upload(client, original, "contract.pdf").status_code == 302
    stored = stored_bytes()
    reader = PdfReader(io.BytesIO(stored))
    assert not reader.metadata
    assert "/Metadata" not in reader.root_object
    assert len(reader.pages) == 2
    for leftover in [AUTHOR, "CamScanner", "Acme PDF", "Contract notes", "xmpmeta", "/Author"]:
        assert leftover.encode() not in stored, leftover
    assert Tip.objects.get().attachment_type == "application/pdf"


def test_a_word_file_loses_its_author_company_and_comment_names(client):
    original = docx_bytes()
    assert upload(client, original, "notes.docx").status_code == 302
    tip = Tip.objects.get()
    assert tip.attachment_type == cleaning.DOCX
    assert tip.attachment.name.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(stored_bytes())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
        dates = {info.date_time for info in archive.infolist()}
    # mat2 drops the custom properties part altogether; every other part is kept.
    assert set(parts) == set(DOCX_PARTS) - {"docProps/custom.xml"} | {"word/media/image1.jpeg"}
    everything = b"".join(parts.values())
    for leftover in [AUTHOR, "jpetrovic", "Ministry of Interior", "Contract notes", "JP"]:
        assert leftover.encode() not in everything, leftover
    assert b"creator" not in parts["docProps/core.xml"]
    assert b"lastModifiedBy" not in parts["docProps/core.xml"]
    assert b"Company" not in parts["docProps/app.xml"]
    # The document itself is intact: mat2 accepts the tracked change (no author, no date).
    assert DOCUMENT_TEXT.encode() in parts["word/document.xml"]
    assert b", signed" in parts["word/document.xml"]
    assert b"w:ins" not in parts["word/document.xml"]
    assert b"check this" in parts["word/comments.xml"]
    # The photo inside the document is cleaned like any photo; entries carry no date.
    assert SERIAL.encode() not in parts["word/media/image1.jpeg"]
    assert len(Image.open(io.BytesIO(parts["word/media/image1.jpeg"])).getexif()) == 0
    assert dates == {cleaning.ZIP_DATE}


def test_office_files_with_macros_are_refused(client, media):
    original = docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    response = upload(client, original, "notes.docm")
    assert response.status_code == 400
    assert "macros" in response.content.decode()
    assert Tip.objects.count() == 0


def test_a_zip_that_is_not_an_office_file_is_refused():
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w") as archive:
        archive.writestr("evil.exe", b"MZ")
    with pytest.raises(cleaning.CannotClean, match="not one CityWatch accepts"):
        cleaning.clean_file(handle.getvalue())


def test_excel_and_powerpoint_files_are_told_apart_by_their_parts():
    def office(main_part: str) -> bytes:
        handle = io.BytesIO()
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr("[Content_Types].xml", DOCX_PARTS["[Content_Types].xml"])
            archive.writestr(main_part, "<x/>")
            archive.writestr("docProps/core.xml", DOCX_PARTS["docProps/core.xml"])
            archive.writestr(
                "xl/comments1.xml",
                '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<authors><author>{AUTHOR}</author></authors></comments>",
            )
        return handle.getvalue()

    for part, kind in [("xl/workbook.xml", cleaning.XLSX), ("ppt/presentation.xml", cleaning.PPTX)]:
        clean = cleaning.clean_file(office(part))
        assert clean.media_type == kind
        assert AUTHOR.encode() not in clean.content


def test_a_damaged_photo_is_refused_with_a_message():
    with pytest.raises(cleaning.CannotClean, match="could not be read"):
        cleaning.clean_file(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10)


# ---------------------------------------------------------------- never on disk


class FileWrites:
    """Every file Python opens for writing while recording (an audit hook: nothing mocked)."""

    def __init__(self) -> None:
        import os

        self.write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
        self.recording = False
        self.paths: list[str] = []
        sys.addaudithook(self.hook)

    def hook(self, event: str, args: tuple) -> None:
        if not self.recording or event != "open":
            return
        try:
            path, mode, flags = args
            writes = (mode is not None and any(c in mode for c in "wax+")) or (
                mode is None and flags & self.write_flags
            )
            # An int is a descriptor being wrapped: its file was recorded when it was opened.
            if writes and not isinstance(path, int):
                self.paths.append(str(path))
        except Exception:  # noqa: S110 - an audit hook must never break the call it observes
            pass

    def __enter__(self) -> FileWrites:
        self.paths = []
        self.recording = True
        return self

    def __exit__(self, *exc) -> None:
        self.recording = False


@pytest.fixture(scope="module")
def file_writes() -> FileWrites:
    return FileWrites()


def test_the_original_upload_is_never_written_to_disk(file_writes, settings, media, tmp_path):
    # Django spills uploads over FILE_UPLOAD_MAX_MEMORY_SIZE into a temporary file; make every
    # upload "large", and point temporary files at a folder we can watch.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads-tmp")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    original = photo_bytes(size=(400, 300), noise=True)
    assert len(original) > 10 * settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    # The control: with Django's default handlers, this very upload lands in a temporary file.
    handle = io.BytesIO(original)
    handle.name = "IMG_0002.jpg"
    request = RequestFactory().post("/anywhere/", {"attachment": handle})
    with file_writes:
        assert request.FILES["attachment"].size == len(original)
    assert any(path.startswith(settings.FILE_UPLOAD_TEMP_DIR) for path in file_writes.paths)
    request.FILES["attachment"].close()

    # The tip form, with the CSRF check enforced as in a browser.
    client = Client(enforce_csrf_checks=True)
    client.get("/tips/new/")
    token = client.cookies["csrftoken"].value
    with file_writes:
        response = upload(client, original, "IMG_0002.jpg", csrfmiddlewaretoken=token)
    assert response.status_code == 302
    tip = Tip.objects.get()
    # Two files are written: the upload, for mat2, in a private memory-backed folder that is
    # gone as soon as mat2 is done; then the cleaned file, in storage.
    private, stored = file_writes.paths
    assert stored == str(Path(media) / tip.attachment.name)
    assert Path(private).parent.name.startswith("citywatch-clean-")
    shm = "/dev/shm"  # noqa: S108 - where the private folder is made, in memory
    if Path(shm).is_dir():
        assert private.startswith(shm + "/")
    assert not Path(private).parent.exists()
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []
    assert SERIAL.encode() not in stored_bytes()


def test_the_tip_form_still_checks_the_csrf_token(media):
    client = Client(enforce_csrf_checks=True)
    response = upload(client, photo_bytes(), "IMG_0003.jpg")
    assert response.status_code == 403
    assert Tip.objects.count() == 0
    assert not (Path(media) / "tips").exists()
