"""Office and OpenDocument files lose every person's name and every local folder path.

The review's cases (issue 10 item 5): a shared workbook's change history names its editors in
``xl/revisions/``; a Word field code (``INCLUDEPICTURE "C:\\Users\\…"``) keeps a user folder in
element text, not in an attribute. Here each format CityWatch cleans gets the same kinds of
leak: person names under attribute and element names of any namespace and case, and paths of
every form (drive, UNC, ``//server``, ``/Volumes``, ``/home``, ``~``, relative ``../Users``,
``file:`` URLs) in values and in text. Each file goes through the public tip form and through
``cleaning.clean_file``; every part of the stored zip is searched, decompressed.
"""

from __future__ import annotations

import pytest
from django.test import Client

from citywatch.commons.models import Tip
from citywatch.evidence import cleaning
from tests.test_tip_cleaning import (  # noqa: F401 (media is an autouse fixture)
    CONTENT_TYPES,
    ODF_NS,
    OFFICE_REL,
    RELS,
    every_byte,
    media,
    root_rels,
    send,
    stored_bytes,
    zip_of,
    zip_parts,
)

pytestmark = pytest.mark.django_db

# What must not survive anywhere: the person's name in its spellings, and the folder words.
FORBIDDEN = [
    "Ana Petrovic",
    "Ana Petrović",
    "ana.petrovic",
    "Petrovic",
    "Petrović",
    "A.P.",
    "Users",
    "Volumes",
    "/home/",
    "~/",
    "nas-ured",
    "file:",
    "Documents and Settings",
]
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W15_NS = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'


def override(part: str, kind: str) -> str:
    return f'<Override PartName="/{part}" ContentType="{kind}"/>'


def xlsx_with_revisions() -> bytes:
    """The review's F1, plus a file-sharing user and an unlisted attribute in another part."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    revisions = "application/vnd.openxmlformats-officedocument.spreadsheetml.revisionHeaders+xml"
    users = "application/vnd.openxmlformats-officedocument.spreadsheetml.userNames+xml"
    strings = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=override("xl/workbook.xml", main)
                + override("xl/revisions/revisionHeaders.xml", revisions)
                + override("xl/revisions/userNames.xml", users)
                + override("xl/sharedStrings.xml", strings)
            ),
            "_rels/.rels": root_rels("xl/workbook.xml"),
            "xl/workbook.xml": (
                f'{XML}<workbook xmlns="{S_NS}" xmlns:r="{OFFICE_REL}" xmlns:z="urn:example:z">'
                '<fileSharing userName="Ana Petrovic" readOnlyRecommended="1"/>'
                '<z:track LastModifiedBy="Ana Petrović" z:CREATEDBY="A.P."/>'
                '<sheets><sheet name="Ugovori" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/worksheet" '
                'Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{OFFICE_REL}/revisionHeaders" '
                'Target="revisions/revisionHeaders.xml"/>'
                f'<Relationship Id="rId3" Type="{OFFICE_REL}/usernames" '
                'Target="revisions/userNames.xml"/>'
                f'<Relationship Id="rId4" Type="{OFFICE_REL}/sharedStrings" '
                'Target="sharedStrings.xml"/>'
                f'<Relationship Id="rId5" Type="{OFFICE_REL}/externalLinkPath" '
                'TargetMode="External" Target="\\\\nas-ured\\ana.petrovic\\budzet.xlsx"/>'
            ),
            "xl/worksheets/sheet1.xml": (
                f'{XML}<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="s">'
                "<v>0</v></c></row></sheetData></worksheet>"
            ),
            "xl/sharedStrings.xml": (
                f'{XML}<sst xmlns="{S_NS}" count="2" uniqueCount="2"><si><t>Ugovor</t></si>'
                "<si><t>Izvor: D:\\Documents and Settings\\ana.petrovic\\ugovor.pdf</t></si>"
                "</sst>"
            ),
            "xl/revisions/revisionHeaders.xml": (
                f'{XML}<headers xmlns="{S_NS}" guid="{{00000000-0000-0000-0000-000000000001}}">'
                '<header guid="{00000000-0000-0000-0000-000000000002}" dateTime="2024-05-01T10:'
                '00:00" maxSheetId="2" userName="Ana Petrovic" r:id="rId1" xmlns:r="'
                f'{OFFICE_REL}"/></headers>'
            ),
            "xl/revisions/userNames.xml": (
                f'{XML}<users xmlns="{S_NS}" count="1"><userInfo guid="{{00000000-0000-0000-'
                '0000-000000000003}" name="Ana Petrovic" id="1" dateTime="2024-05-01T10:00:00"'
                "/></users>"
            ),
        }
    )


FIELD_PATHS = [
    'INCLUDEPICTURE "C:\\\\Users\\\\ana.petrovic\\\\Pictures\\\\kamera.jpg" \\* MERGEFORMAT',
    'INCLUDETEXT "/Volumes/Ana Petrovic Disk/izvor.docx"',
    'INCLUDETEXT "\\\\\\\\nas-ured\\\\deljeno\\\\ugovor.docx"',
    'INCLUDEPICTURE "//nas-ured/deljeno/most.jpg"',
    'INCLUDETEXT "../../Users/ana.petrovic/izvor.docx"',
    "INCLUDETEXT /home/ana.petrovic/izvor.docx",
    "INCLUDETEXT ~/izvor.docx",
]


def docx_with_field_paths_and_people() -> bytes:
    """The review's F2 and its kin, plus people.xml, tracked changes, comments, a permission."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    people = "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"
    comments = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
    runs = "".join(
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        f' {code} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        for code in FIELD_PATHS
    )
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=override("word/document.xml", main)
                + override("word/people.xml", people)
                + override("word/comments.xml", comments)
            ),
            "_rels/.rels": root_rels("word/document.xml"),
            "word/document.xml": (
                f"{XML}<w:document {W_NS}><w:body><w:p><w:r><w:t>Ugovor o kamerama</w:t>"
                f"</w:r>{runs}"
                '<w:fldSimple w:instr=" HYPERLINK &quot;file:///Users/ana.petrovic/a.pdf&quot; '
                '"><w:r><w:t>prilog</w:t></w:r></w:fldSimple>'
                '<w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/ugovor&quot; ">'
                "<w:r><w:t>web</w:t></w:r></w:fldSimple>"
                '<w:ins w:id="1" w:author="Ana Petrović" w:date="2024-05-01T10:00:00Z"><w:r>'
                "<w:t>dodato</w:t></w:r></w:ins>"
                '<w:permStart w:id="2" w:ed="URED\\ana.petrovic"/><w:permEnd w:id="2"/>'
                "</w:p></w:body></w:document>"
            ),
            "word/_rels/document.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/comments" '
                'Target="comments.xml"/><Relationship Id="rId2" Type="http://schemas.'
                'microsoft.com/office/2011/relationships/people" Target="people.xml"/>'
            ),
            "word/comments.xml": (
                f'{XML}<w:comments {W_NS}><w:comment w:id="0" w:author="Ana Petrovic" '
                'w:initials="A.P."><w:p><w:r><w:t>provjeri</w:t></w:r></w:p></w:comment>'
                "</w:comments>"
            ),
            "word/people.xml": (
                f'{XML}<w15:people {W15_NS}><w15:person w15:author="Ana Petrović">'
                '<w15:presenceInfo w15:providerId="AD" w15:userId="S::ana.petrovic@ured.rs"/>'
                "</w15:person></w15:people>"
            ),
        }
    )


def pptx_with_paths_in_text_and_links() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    slide = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
    p_ns = (
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{OFFICE_REL}"'
    )
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(
                overrides=override("ppt/presentation.xml", main)
                + override("ppt/slides/slide1.xml", slide)
            ),
            "_rels/.rels": root_rels("ppt/presentation.xml"),
            "ppt/presentation.xml": (
                f'{XML}<p:presentation {p_ns}><p:sldIdLst><p:sldId id="256" r:id="rId2"/>'
                "</p:sldIdLst></p:presentation>"
            ),
            "ppt/_rels/presentation.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId2" Type="{OFFICE_REL}/slide" '
                'Target="slides/slide1.xml"/>'
            ),
            "ppt/slides/slide1.xml": (
                f"{XML}<p:sld {p_ns}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>"
                "Kamere na mostu</a:t></a:r><a:r><a:t> (snimak: /Volumes/ana.petrovic/"
                'most.mov)</a:t></a:r></a:p></p:txBody></p:sp><p:cm authorId="0" '
                'userName="Ana Petrovic"/></p:spTree></p:cSld></p:sld>'
            ),
            "ppt/slides/_rels/slide1.xml.rels": RELS.format(
                rels=f'<Relationship Id="rId1" Type="{OFFICE_REL}/video" TargetMode="External" '
                'Target="../../Users/ana.petrovic/Movies/most.mov"/>'
            ),
        }
    )


def opendocument(kind: str, body: str) -> bytes:
    """An OpenDocument file of ``kind`` (text, spreadsheet, presentation) with ``body``."""
    media_type = f"application/vnd.oasis.opendocument.{kind}"
    return zip_of(
        {
            "mimetype": media_type,
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                f'"{media_type}"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>'
            ),
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">'
                f"<office:body>{body}</office:body></office:document-content>"
            ),
        },
        first="mimetype",
    )


ODF_CHANGES = (
    '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
    "<office:change-info><dc:creator>Ana Petrović</dc:creator><dc:date>2024-05-01T10:00:00"
    "</dc:date></office:change-info></text:insertion></text:changed-region>"
    "</text:tracked-changes>"
)


def odt_with_changes_and_paths() -> bytes:
    return opendocument(
        "text",
        f"<office:text>{ODF_CHANGES}<text:p>Kamere na mostu <text:a xlink:href="
        '"/Volumes/ana.petrovic/izvor.odt">izvor</text:a> i \\\\nas-ured\\deljeno\\a.odt'
        '</text:p><text:p><text:a xlink:href="https://example.org/ugovor">web</text:a>'
        "</text:p></office:text>",
    )


def ods_with_paths_in_cells() -> bytes:
    return opendocument(
        "spreadsheet",
        '<office:spreadsheet><table:table table:name="Ugovori"><table:table-row>'
        "<table:table-cell><text:p>Kamere na mostu</text:p></table:table-cell>"
        "<table:table-cell><text:p>file:///home/ana.petrovic/ugovor.ods</text:p>"
        "<office:annotation><dc:creator>Ana Petrovic</dc:creator><meta:creator-initials>"
        "A.P.</meta:creator-initials><text:p>vidi</text:p></office:annotation>"
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>",
    )


def odp_with_linked_picture() -> bytes:
    return opendocument(
        "presentation",
        '<office:presentation><draw:page draw:name="1"><draw:frame><draw:image xlink:href='
        '"../../Users/ana.petrovic/Pictures/most.jpg"/></draw:frame><draw:frame>'
        "<draw:text-box><text:p>Kamere na mostu, C:/Users/ana.petrovic/most.jpg</text:p>"
        "</draw:text-box></draw:frame></draw:page></office:presentation>",
    )


MADE = {
    "revisions.xlsx": xlsx_with_revisions,
    "fields.docx": docx_with_field_paths_and_people,
    "slides.pptx": pptx_with_paths_in_text_and_links,
    "changes.odt": odt_with_changes_and_paths,
    "cells.ods": ods_with_paths_in_cells,
    "picture.odp": odp_with_linked_picture,
}


def assert_no_person_or_path(data: bytes) -> None:
    everything = every_byte(data)
    for word in FORBIDDEN:
        assert word.encode() not in everything, word


@pytest.mark.parametrize("name", sorted(MADE))
def test_every_office_format_loses_names_and_paths_through_the_tip_form(client: Client, name):
    original = MADE[name]()
    leaks = [word for word in FORBIDDEN if word.encode() in every_byte(original)]
    assert "ana.petrovic" in leaks or "Ana Petrovic" in leaks  # the control
    response = send(client, original, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = stored_bytes()
    assert_no_person_or_path(stored)
    assert Tip.objects.get().attachment.name.endswith("." + name.rsplit(".", 1)[1])
    # What the file says is kept.
    assert b"Kamere na mostu" in every_byte(stored) or b"Ugovor" in every_byte(stored)


@pytest.mark.parametrize("name", sorted(MADE))
def test_the_cleaning_function_itself_leaves_no_name_or_path(name):
    cleaned = cleaning.clean_file(MADE[name]())
    assert cleaning.is_clean(cleaned.content, cleaned.media_type)
    assert_no_person_or_path(cleaned.content)


def test_the_shared_workbook_history_is_dropped_and_the_sheet_kept(client: Client):
    assert send(client, xlsx_with_revisions(), "r.xlsx").status_code == 302
    parts = zip_parts(stored_bytes())
    assert not [name for name in parts if name.lower().startswith("xl/revisions/")]
    assert b"revisions/" not in parts["xl/_rels/workbook.xml.rels"]
    assert b"revisions/" not in parts["[Content_Types].xml"]
    assert b"Ugovor" in parts["xl/sharedStrings.xml"]
    assert b'name="Ugovori"' in parts["xl/workbook.xml"]


def test_field_codes_lose_the_path_but_keep_the_field_and_web_links(client: Client):
    assert send(client, docx_with_field_paths_and_people(), "f.docx").status_code == 302
    parts = zip_parts(stored_bytes())
    document = parts["word/document.xml"]
    assert b"INCLUDEPICTURE" in document
    assert b"https://example.org/ugovor" in document
    assert b"Ugovor o kamerama" in document
    assert "word/people.xml" not in parts


def test_a_web_address_in_an_opendocument_link_is_kept(client: Client):
    assert send(client, odt_with_changes_and_paths(), "c.odt").status_code == 302
    content = zip_parts(stored_bytes())["content.xml"]
    assert b"https://example.org/ugovor" in content
    assert b"Kamere na mostu" in content


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('HYPERLINK "/Volumes/Ana Petrovic Disk/x.pdf" \\o "x"', 'HYPERLINK "" \\o "x"'),
        ("see https://example.org/users/ana", "see https://example.org/users/ana"),
        ("work/home/life", "work/home/life"),
        ("in ..\\..\\Users\\ana\\x.doc now", "in  now"),
        ("at \\\\srv\\share\\x and //srv/share/y", "at  and "),
        ("a ~/x b /home/ana/c d", "a  b  d"),
        ("E:\\Projekti\\x.docx", ""),
    ],
)
def test_local_paths_in_text_are_removed_and_web_addresses_kept(text, kept):
    assert cleaning.without_paths(text) == kept
