"""The EFF Atlas of Surveillance CSV adapter: agencies become authorities, technologies map to
our taxonomy, links become sources, and AOSNUMBER keeps a second import from duplicating."""

from __future__ import annotations

import csv
import io

import pytest

from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Citation, Source
from citywatch.exchange.imports import run_import
from citywatch.exchange.imports.eff_atlas import COLUMNS, partial_date, subdivision, taxonomy_slug

pytestmark = pytest.mark.django_db


def atlas_csv(*rows: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return buffer.getvalue().encode()


FRESNO = {
    "AOSNUMBER": "1001",
    "City": "Fresno",
    "County": "Fresno",
    "State": "CA",
    "Agency": "Fresno Police Department",
    "Type of LEA": "Police",
    "Summary": "The Fresno Police Department uses automated license plate readers.",
    "Type of Juris": "Municipal",
    "Technology": "Automated License Plate Readers",
    "TECH ABV": "ALPR",
    "Vendor": "Vigilant Solutions",
    "Link 1": "https://example.org/fresno-alpr",
    "Link 1 Snapshot": "https://archive.example.org/fresno-alpr",
    "Link 1 Source": "Fresno Bee",
    "Link 1 Type": "News",
    "Link 1 Date": "2019-05-13",
    "Other Links": "https://example.org/other-1 https://example.org/other-2",
}
AUSTIN_BWC = {
    "AOSNUMBER": "1002",
    "City": "Austin",
    "County": "Travis",
    "State": "Texas",
    "Agency": "Austin Police Department",
    "Type of LEA": "Police",
    "Summary": "Officers wear body cameras.",
    "Type of Juris": "Municipal",
    "Technology": "Body-worn Cameras",
    "TECH ABV": "BWC",
    "Vendor": "Axon",
    "Link 1": "https://example.org/austin-bwc",
    "Link 1 Source": "City of Austin",
    "Link 1 Type": "Government Document",
    "Link 1 Date": "03/02/2018",
}
AUSTIN_CSS = {
    **AUSTIN_BWC,
    "AOSNUMBER": "1003",
    "Technology": "Cell-site Simulator",
    "TECH ABV": "CSS",
    "Vendor": "",
    "Summary": "A cell-site simulator was bought.",
    "Link 1": "https://example.org/austin-css",
}


def test_the_adapter_knows_the_atlas_layout():
    assert len(COLUMNS) == 27
    assert COLUMNS[:11] == [
        "AOSNUMBER",
        "City",
        "County",
        "State",
        "Agency",
        "Type of LEA",
        "Summary",
        "Type of Juris",
        "Technology",
        "TECH ABV",
        "Vendor",
    ]
    assert "Link 3 Date" in COLUMNS and COLUMNS[-1] == "Other Links"
    assert taxonomy_slug("Automated License Plate Readers", "ALPR") == "licence-plate-recognition"
    assert taxonomy_slug("Face Recognition", "") == "facial-recognition"
    assert taxonomy_slug("Drones", "") == "drones"
    assert taxonomy_slug("Real-Time Crime Center", "") == "command-centre"
    assert taxonomy_slug("Cell-site Simulator", "CSS") is None
    assert (subdivision("CA"), subdivision("Texas"), subdivision("Atlantis")) == (
        "US-CA",
        "US-TX",
        "",
    )
    assert (partial_date("03/02/2018"), partial_date("2019"), partial_date("soon")) == (
        "2018-03-02",
        "2019",
        "",
    )


def test_atlas_rows_become_sourced_deployments(db):
    report = run_import(atlas_csv(FRESNO, AUSTIN_BWC, AUSTIN_CSS), "atlas.csv")
    assert report.ok, [str(p) for p in report.problems]
    assert report.format == "eff-atlas"
    fresno = Deployment.objects.get(locality__name="Fresno")
    assert fresno.title == "Fresno Police Department: Automated License Plate Readers"
    assert (fresno.country_id, fresno.locality.subdivision_code) == ("US", "US-CA")
    assert fresno.status == "operational" and fresno.certainty == "reported"
    assert list(fresno.components.values_list("technology__slug", flat=True)) == [
        "licence-plate-recognition"
    ]
    roles = {(p.organisation.name, p.role, p.organisation.kind) for p in fresno.parties.all()}
    assert roles == {
        ("Fresno Police Department", "buyer", "authority"),
        ("Vigilant Solutions", "supplier", "vendor"),
    }
    cited = Source.objects.filter(citations__deployment=fresno).distinct()
    urls = set(cited.values_list("url", flat=True))
    assert urls == {
        "https://atlasofsurveillance.org/",
        "https://example.org/fresno-alpr",
        "https://example.org/other-1",
        "https://example.org/other-2",
    }
    news = Source.objects.get(url="https://example.org/fresno-alpr")
    assert (news.publisher, news.kind, news.published_on) == ("Fresno Bee", "media", "2019-05-13")
    assert "archive.example.org" in news.notes
    atlas = Citation.objects.get(deployment=fresno, source__url="https://atlasofsurveillance.org/")
    assert atlas.locator == "AOSNUMBER 1001"

    austin = Deployment.objects.filter(locality__name="Austin")
    assert austin.count() == 2
    assert {d.parties.get(role="buyer").organisation_id for d in austin} == {
        austin[0].parties.get(role="buyer").organisation_id
    }, "one authority for both rows"
    assert Source.objects.get(url="https://example.org/austin-bwc").kind == "official"
    css = austin.get(parties__role="buyer", components__isnull=True)
    assert css.summary == "A cell-site simulator was bought."
    assert [w.line for w in report.warnings] == [4]
    assert "Cell-site Simulator" in report.warnings[0].message


def test_importing_the_atlas_twice_creates_nothing_new(db):
    data = atlas_csv(FRESNO, AUSTIN_BWC, AUSTIN_CSS)
    assert run_import(data, "atlas.csv").ok
    counts = (Deployment.objects.count(), Source.objects.count(), Citation.objects.count())
    again = run_import(data, "atlas.csv")
    assert (again.created, again.updated, again.rejected) == (0, 0, 0)
    assert (Deployment.objects.count(), Source.objects.count(), Citation.objects.count()) == counts
    newer = atlas_csv({**FRESNO, "Summary": "Fresno uses ALPR on patrol cars."}, AUSTIN_BWC)
    update = run_import(newer, "atlas.csv")
    assert (update.created, update.updated) == (0, 1)
    assert Deployment.objects.get(locality__name="Fresno").summary.startswith("Fresno uses ALPR")


def test_bad_atlas_rows_are_reported_and_nothing_is_saved(db):
    no_number = {**AUSTIN_BWC, "AOSNUMBER": ""}
    nowhere = {**FRESNO, "AOSNUMBER": "1009", "City": "", "County": "", "State": ""}
    report = run_import(atlas_csv(FRESNO, no_number, nowhere), "atlas.csv")
    assert {(p.line, p.column, p.message) for p in report.problems} == {
        (3, "AOSNUMBER", "AOSNUMBER is empty"),
        (
            4,
            "City",
            "no City, County or State: CityWatch needs at least the state to place the deployment",
        ),
    }
    assert Deployment.objects.count() == 0

    header_only = b'"AOSNUMBER","City","State"\n"1","Fresno","CA"\n'
    missing = run_import(header_only, "atlas.csv")
    assert missing.problems[0].line == 1
    assert "missing columns: County, Agency" in missing.problems[0].message


def test_a_whole_atlas_file_with_counties_small_towns_and_namesakes_imports(db):
    rows = [
        {
            **FRESNO,
            "AOSNUMBER": "2001",
            "City": "",
            "County": "Maricopa",
            "State": "AZ",
            "Agency": "Maricopa County Sheriff's Office",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2002",
            "City": "",
            "County": "",
            "State": "Texas",
            "Agency": "Texas Department of Public Safety",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2003",
            "City": "Woodstock",
            "County": "Shenandoah",
            "State": "VA",
            "Agency": "Woodstock Police Department",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2004",
            "City": "Woodstock",
            "State": "GA",
            "Agency": "Woodstock Police Department (GA)",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2005",
            "City": "Salem",
            "State": "OR",
            "Agency": "Salem Police Department",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2006",
            "City": "Salem",
            "State": "MA",
            "Agency": "Salem Police Department (MA)",
        },
        {
            **FRESNO,
            "AOSNUMBER": "2007",
            "City": "Hollowbrook Gap",
            "State": "VA",
            "Agency": "Hollowbrook Gap Police",
        },
    ]
    data = atlas_csv(*rows)
    report = run_import(data, "atlas.csv")
    assert report.ok, [str(p) for p in report.problems]
    places = {}
    for deployment in Deployment.objects.select_related("locality"):
        agency = deployment.parties.get(role="buyer").organisation.name
        place = deployment.locality
        places[agency] = (place.name, place.subdivision_code, place.approximate)
    assert places == {
        "Maricopa County Sheriff's Office": ("Maricopa County", "US-AZ", True),
        "Texas Department of Public Safety": ("Texas", "US-TX", True),
        "Woodstock Police Department": ("Woodstock", "US-VA", False),
        "Woodstock Police Department (GA)": ("Woodstock", "US-GA", False),
        "Salem Police Department": ("Salem", "US-OR", False),
        "Salem Police Department (MA)": ("Salem", "US-MA", False),
        "Hollowbrook Gap Police": ("Hollowbrook Gap", "US-VA", True),
    }
    assert sorted(p.name for p in report.approximate) == [
        "Hollowbrook Gap",
        "Maricopa County",
        "Texas",
    ]
    again = run_import(data, "atlas.csv")
    assert (again.created, again.updated, again.rejected) == (0, 0, 0)
