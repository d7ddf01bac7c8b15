"""Files sent with tips come out with nothing that identifies their sender, or are refused.

The five files in tests/data/tips/ are the cases found by trying CityWatch (a JPEG inside a
PDF, an Excel folder path, PowerPoint authors, a Word template path, a photo with GPS); the
others are made here, one for each way the same kind of leak reaches a file. Each goes through
the real public tip form; the stored bytes are then searched in every part, decompressed.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core import checks
from django.test import Client
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from citywatch.commons.models import Tip
from citywatch.evidence import cleaning

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "tips"
# What must not survive anywhere in a stored file: names, user folders, camera, GPS.
FORBIDDEN = [
    "ana.petrovic",
    "Ana Petrović",
    "Ana Petrovic",
    "Petrović",
    "C:\\Users",
    "C:/Users",
    "/home/",
    "file:///",
    "iPhone",
    "Apple",
    "Canon",
    "EOS R5",
    "Jovana",
    "GPSLatitude",
    "ana@share.example",
]
GPS_IFD = 0x8825
MAKE, MODEL = 0x010F, 0x0110


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def send(client: Client, content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(
        "/tips/new/", {"what": "Cameras on the square", "place": "Novi Sad", "attachment": handle}
    )


def stored_bytes() -> bytes:
    tip = Tip.objects.get()
    with tip.attachment.open("rb") as handle:
        return handle.read()


# ---------------------------------------------------------------- reading every byte


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of the PDF, decompressed where it is Flate-compressed, and as stored."""
    reader = PdfReader(io.BytesIO(data))
    streams = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            item = reader.get_object(number)
        except Exception:  # noqa: S112 - free object numbers
            continue
        if item is None or not hasattr(item, "get_data"):
            continue
        raw = getattr(item, "_data", b"")
        streams.append(raw)
        with contextlib.suppress(zlib.error):
            streams.append(zlib.decompress(raw))
    return streams


def pdf_images(data: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(data))
    images = []
    for page in reader.pages:
        for image in page.images:
            images.append(image.data)
    for stream in pdf_streams(data):
        if stream.startswith(b"\xff\xd8"):
            images.append(stream)
    return images


def every_byte(data: bytes) -> bytes:
    """The file and everything inside it, decompressed: zip parts, PDF streams."""
    pieces = [data]
    if data.startswith(b"PK"):
        for name, content in zip_parts(data).items():
            pieces += [name.encode(), content]
            if content.startswith(b"PK"):
                pieces.append(every_byte(content))
    elif data.startswith(b"%PDF"):
        pieces += pdf_streams(data)
    return b"\n".join(pieces)


def images_inside(data: bytes) -> list[bytes]:
    if data.startswith(b"PK"):
        signatures = (b"\xff\xd8", b"\x89PNG", b"GIF8")
        return [c for c in zip_parts(data).values() if c.startswith(signatures)]
    if data.startswith(b"%PDF"):
        return pdf_images(data)
    return [data]


def assert_nothing_identifying(data: bytes) -> None:
    everything = every_byte(data)
    for word in FORBIDDEN:
        for encoded in {word.encode(), word.encode("utf-16-le")}:
            assert encoded not in everything, word
    for image_bytes in images_inside(data):
        assert b"Exif\x00" not in image_bytes
        image = Image.open(io.BytesIO(image_bytes))
        exif = image.getexif()
        assert MAKE not in exif and MODEL not in exif
        assert exif.get_ifd(GPS_IFD) == {}
        assert not getattr(image, "text", {})


def assert_clean_or_refused(client: Client, content: bytes, name: str) -> str:
    response = send(client, content, name)
    if response.status_code == 400:
        assert Tip.objects.count() == 0
        page = response.content.decode()
        assert "not kept" in page or "not accepted" in page
        return "refused"
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_nothing_identifying(stored_bytes())
    return "clean"


# ---------------------------------------------------------------- the cases


CASES = {
    "gps.jpg": ["Apple", "iPhone"],
    "photo-in.pdf": ["Apple", "iPhone"],
    "abspath.xlsx": ["C:\\Users", "ana.petrovic"],
    "authors.pptx": ["Ana Petrović"],
    "template.docx": ["C:\\Users", "ana.petrovic"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_file_comes_out_clean(client, name):
    original = (DATA / name).read_bytes()
    # The control: the identifying data really is in the file as sent.
    for word in CASES[name]:
        assert word.encode() in every_byte(original), word
    assert assert_clean_or_refused(client, original, name) == "clean"
    tip = Tip.objects.get()
    assert tip.attachment.name.endswith("." + name.rsplit(".", 1)[1])
    assert name not in tip.attachment.name


def test_the_cleaned_spreadsheet_and_slides_keep_their_content(client):
    """mat2 0.13 drops the workbook's and the presentation's relationship parts: CityWatch
    puts them back, so the sheets and slides are still found."""
    assert send(client, (DATA / "abspath.xlsx").read_bytes(), "a.xlsx").status_code == 302
    parts = zip_parts(stored_bytes())
    assert b"Kamere na trgu" in parts["xl/worksheets/sheet1.xml"]
    assert b'Target="worksheets/sheet1.xml"' in parts["xl/_rels/workbook.xml.rels"]
    assert b"absPath" not in parts["xl/workbook.xml"]
    Tip.objects.all().delete()

    assert send(client, (DATA / "template.docx").read_bytes(), "t.docx").status_code == 302
    parts = zip_parts(stored_bytes())
    assert b"Kamere na trgu" in parts["word/document.xml"]
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"attachedTemplate" not in parts.get("word/_rels/settings.xml.rels", b"")


def test_the_photo_in_the_pdf_is_still_there(client):
    assert send(client, (DATA / "photo-in.pdf").read_bytes(), "p.pdf").status_code == 302
    reader = PdfReader(io.BytesIO(stored_bytes()))
    assert len(reader.pages) == 1
    assert reader.pages[0].images  # the page was redrawn, picture included


# ---------------------------------------------------------------- more of the same kinds


def jpeg_with_exif(make: str = "Canon", model: str = "EOS R5") -> bytes:
    exif = Image.Exif()
    exif[MAKE] = make
    exif[MODEL] = model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (45.0, 15.0, 1.0)
    handle = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(handle, "JPEG", exif=exif)
    return handle.getvalue()


def png_with_text_chunks() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ana Petrović")
    info.add_itxt("Comment", "saved in C:\\Users\\ana.petrovic\\Pictures")
    handle = io.BytesIO()
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    Image.new("RGB", (30, 20), (200, 0, 0)).save(handle, "PNG", pnginfo=info, exif=exif)
    return handle.getvalue()


def pdf_by_hand(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 is the catalogue), with a correct xref table."""
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        len(objects),
    )
    output += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(output)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_with_xmp_and_photo() -> bytes:
    photo = jpeg_with_exif("Apple", "iPhone 13 mini")
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ana Petrovi\xc4\x87'
        b"</dc:creator><pdf:Producer>C:\\Users\\ana.petrovic\\scan.exe</pdf:Producer>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    content = b"q 80 0 0 60 20 20 cm /Im1 Do Q"
    return pdf_by_hand(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 120 100] "
            b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 6 0 R "
            b"/Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /T (Ana Petrovic) "
            b"/Contents (check) >>] >>",
            stream(
                b"/Type /XObject /Subtype /Image /Width 40 /Height 30 /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /DCTDecode",
                photo,
            ),
            stream(b"/Type /Metadata /Subtype /XML", xmp),
            stream(b"", content),
            b"<< /Author (Ana Petrovic) /Creator (C:\\\\Users\\\\ana.petrovic\\\\scan.exe) >>",
        ]
    )


def zip_of(parts: dict[str, bytes | str], first: str | None = None) -> bytes:
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first), parts[first], zipfile.ZIP_STORED)
        for name, content in parts.items():
            if name != first:
                archive.writestr(name, content)
    return handle.getvalue()


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"'
)


def odt_with_creator() -> bytes:
    return zip_of(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type='
                '"text/xml"/><manifest:file-entry manifest:full-path="settings.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>'
            ),
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
                "<office:body><office:text><text:p>Kamere na mostu"
                "<office:annotation><dc:creator>Ana Petrović</dc:creator><dc:date>"
                "2024-05-01T10:00:00</dc:date><text:p>provjeri</text:p></office:annotation>"
                '</text:p><text:section text:name="S1"><text:section-source xlink:href='
                '"file:///home/ana.petrovic/Documents/izvor.odt"/></text:section>'
                "</office:text></office:body></office:document-content>"
            ),
            "meta.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS}>'
                "<office:meta><meta:initial-creator>Ana Petrović</meta:initial-creator>"
                "<dc:creator>Ana Petrović</dc:creator></office:meta></office:document-meta>"
            ),
            "settings.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ODF_NS}>'
                '<office:settings><config:config-item-set config:name="ooo:configuration-'
                'settings"><config:config-item config:name="PrinterName" config:type="string">'
                "HP at Ana Petrović's desk</config:config-item></config:config-item-set>"
                "</office:settings></office:document-settings>"
            ),
        },
        first="mimetype",
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
    "{overrides}</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
)
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def root_rels(main: str) -> str:
    return RELS.format(
        rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" Target="{main}"/>'
    )


def xlsx_with_unix_folder_and_persons() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
            ),
            "_rels/.rels": root_rels("xl/workbook.xml"),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http:'
                '//schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="'
                f'{OFFICE_REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-'
                'compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/'
                'spreadsheetml/2010/11/ac"><mc:AlternateContent><mc:Choice Requires="x15">'
                '<x15ac:absPath url="/home/ana.petrovic/Documents/"/></mc:Choice>'
                '</mc:AlternateContent><sheets><sheet name="A" sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/worksheet" '
                'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas'
                '.microsoft.com/office/2017/10/relationships/person" Target="persons/'
                'person.xml"/>'
            ),
            "xl/worksheets/sheet1.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="'
                'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row '
                'r="1"><c r="A1" t="inlineStr"><is><t>Ugovor</t></is></c></row></sheetData>'
                "</worksheet>"
            ),
            "xl/persons/person.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList xmlns="'
                'http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                '<person displayName="Ana Petrović" id="{00000000-0000-0000-0000-000000000001}"'
                ' userId="ana@share.example" providerId="AD"/></personList>'
            ),
        }
    )


def docx_with_linked_template_and_picture() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    settings_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
                f'<Override PartName="/word/settings.xml" ContentType="{settings_type}"/>'
            ),
            "_rels/.rels": root_rels("word/document.xml"),
            "word/document.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}>'
                "<w:body><w:p><w:r><w:t>Ugovor o kamerama</w:t></w:r></w:p></w:body>"
                "</w:document>"
            ),
            "word/_rels/document.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/settings" Target="settings'
                f'.xml"/><Relationship Id="rId2" Type="{OFFICE_REL}/image" Target="media/'
                'image1.jpeg"/><Relationship Id="rId3" Type="'
                f'{OFFICE_REL}/image" TargetMode="External" Target="file:///home/'
                'ana.petrovic/slike/most.jpg"/><Relationship Id="rId4" Type="'
                f'{OFFICE_REL}/hyperlink" TargetMode="External" Target="https://example.org/'
                'ugovor"/>'
            ),
            "word/settings.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {w} '
                f'xmlns:r="{OFFICE_REL}"><w:attachedTemplate r:id="rId1"/></w:settings>'
            ),
            "word/_rels/settings.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/attachedTemplate" '
                'TargetMode="External" Target="/home/ana.petrovic/Templates/Dopis.dotx"/>'
            ),
            "word/media/image1.jpeg": jpeg_with_exif(),
        }
    )


def pptx_with_modern_comment_authors() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=f'<Override PartName="/ppt/presentation.xml" ContentType="{main}"/>'
            ),
            "_rels/.rels": root_rels("ppt/presentation.xml"),
            "ppt/presentation.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation '
                'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
            ),
            "ppt/_rels/presentation.xml.rels": RELS.format(
                rels='<Relationship Id="rId7" Type="http://schemas.microsoft.com/office/2018/'
                '10/relationships/authors" Target="authors.xml"/>'
            ),
            "ppt/authors.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p188:authorLst '
                'xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
                '<p188:author id="{1}" name="Jovana Jović" initials="JJ" userId="S::ana.petrovic'
                '@share.example" providerId="AD"/></p188:authorLst>'
            ),
            "ppt/commentAuthors.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:cmAuthorLst '
                'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
                '<p:cmAuthor id="1" name="Ana Petrović" initials="AP" lastIdx="1" clrIdx="0"/>'
                "</p:cmAuthorLst>"
            ),
        }
    )


def docx_with_a_gif_comment() -> bytes:
    """A GIF's comment block names its maker; mat2 cleans GIFs inside documents too."""
    gif = io.BytesIO()
    Image.new("P", (10, 10)).save(gif, "GIF", comment="Ana Petrović, C:\\Users\\ana".encode())
    parts = zip_parts(docx_with_linked_template_and_picture())
    parts["word/media/image2.gif"] = gif.getvalue()
    return zip_of(parts)


MADE = {
    "gif-inside.docx": docx_with_a_gif_comment,
    "photo.png": png_with_text_chunks,
    "photo.jpg": jpeg_with_exif,
    "scan.pdf": pdf_with_xmp_and_photo,
    "notes.odt": odt_with_creator,
    "table.xlsx": xlsx_with_unix_folder_and_persons,
    "letter.docx": docx_with_linked_template_and_picture,
    "slides.pptx": pptx_with_modern_comment_authors,
}


@pytest.mark.parametrize("name", sorted(MADE))
def test_files_of_the_same_kinds_come_out_clean(client, name):
    original = MADE[name]()
    assert any(word.encode() in every_byte(original) for word in FORBIDDEN)  # the control
    assert assert_clean_or_refused(client, original, name) == "clean"


def test_a_web_link_in_a_word_file_is_kept_but_a_local_picture_link_is_not(client):
    assert send(client, docx_with_linked_template_and_picture(), "l.docx").status_code == 302
    rels = zip_parts(stored_bytes())["word/_rels/document.xml.rels"]
    assert b"https://example.org/ugovor" in rels
    assert b"ana.petrovic" not in rels
    assert b'Target="media/image1.jpeg"' in rels


def test_an_opendocument_file_keeps_its_text_and_loses_its_creator(client):
    assert send(client, odt_with_creator(), "notes.odt").status_code == 302
    tip = Tip.objects.get()
    assert tip.attachment_type == cleaning.ODT
    parts = zip_parts(stored_bytes())
    assert "meta.xml" not in parts
    assert b"Kamere na mostu" in parts["content.xml"]
    assert b"meta.xml" not in parts["META-INF/manifest.xml"]
    with zipfile.ZipFile(io.BytesIO(stored_bytes())) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_keeping_a_pdfs_text_still_removes_the_photos_exif():
    """The mode for long official documents (FOI replies): text kept, photos' EXIF gone."""
    cleaned = cleaning.clean_file(pdf_with_xmp_and_photo(), keep_pdf_text=True)
    assert_nothing_identifying(cleaned.content)
    assert PdfReader(io.BytesIO(cleaned.content)).pages[0].images


# ---------------------------------------------------------------- without mat2


def test_without_mat2_files_are_refused_not_kept_and_check_warns(client, settings, media):
    settings.CITYWATCH_MAT2 = "citywatch-no-such-mat2"
    assert any(message.id == "citywatch.W001" for message in checks.run_checks())
    for name in ["photo-in.pdf", "abspath.xlsx", "gps.jpg"]:
        response = send(client, (DATA / name).read_bytes(), name)
        assert response.status_code == 400
        assert "cannot remove identifying data" in response.content.decode()
    assert Tip.objects.count() == 0
    assert not Path(media, "tips").exists()
    # WebP photos are cleaned by CityWatch alone: still accepted.
    handle = io.BytesIO()
    Image.new("RGB", (20, 20)).save(handle, "WEBP", exif=Image.Exif())
    assert send(client, handle.getvalue(), "p.webp").status_code == 302


def test_with_mat2_the_check_is_quiet():
    assert cleaning.mat2_available()
    assert not [m for m in checks.run_checks() if m.id == "citywatch.W001"]


def test_the_checks_of_this_file_do_find_what_they_look_for():
    """The search itself is tested: on the files as sent, it finds the leaks."""
    for make in [MADE["letter.docx"], MADE["scan.pdf"], MADE["photo.png"]]:
        with pytest.raises(AssertionError):
            assert_nothing_identifying(make())
    with pytest.raises(AssertionError):
        assert_nothing_identifying((DATA / "photo-in.pdf").read_bytes())
