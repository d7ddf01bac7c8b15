"""Adapter for the EFF Atlas of Surveillance CSV (https://atlasofsurveillance.org, CC BY 4.0).

Each row is one agency's use of one technology in the United States. It becomes a deployment:
the agency is the buying authority, the vendor (when named) the supplier, the technology a
component from our taxonomy, the city the locality (a county or state agency without a city is
placed at its county or state, marked approximate), and every link a source. Rows are matched
on later imports by their AOSNUMBER (scheme ``eff-atlas``), so importing a newer download
updates the same records. Every deployment also cites the Atlas itself, as its licence asks.
"""

from __future__ import annotations

import datetime as dt
import re

import pycountry
from django.utils.translation import gettext as _

from citywatch.evidence.models import SourceKind
from citywatch.exchange.imports.reading import read_csv
from citywatch.exchange.imports.rows import CellReader, DeploymentRow, RowImporter, SourceLink
from citywatch.exchange.imports.values import excel_serial_date

SCHEME = "eff-atlas"
ATLAS_URL = "https://atlasofsurveillance.org/"
LINK_COLUMNS = ["", " Snapshot", " Source", " Type", " Date"]
COLUMNS = [
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
    *[f"Link {n}{suffix}" for n in (1, 2, 3) for suffix in LINK_COLUMNS],
    "Other Links",
]

# The Atlas's technologies (by abbreviation and by name) mapped to our taxonomy's slugs.
TECHNOLOGY_BY_ABBREVIATION = {
    "ALPR": "licence-plate-recognition",
    "BWC": "body-worn-cameras",
    "DRONE": "drones",
    "DRONES": "drones",
    "UAV": "drones",
    "FR": "facial-recognition",
    "GSD": "iot-sensors",
    "RTCC": "command-centre",
    "FC": "command-centre",
    "VA": "video-analytics",
    "PP": "video-analytics",
    "SMM": "social-media-monitoring",
    "CR": "cctv",
    "RING": "cctv",
    "CAM": "cctv",
}
TECHNOLOGY_BY_WORDS = [
    # (words that must all appear in the Atlas's technology name, our slug)
    (("license", "plate"), "licence-plate-recognition"),
    (("licence", "plate"), "licence-plate-recognition"),
    (("body",), "body-worn-cameras"),
    (("drone",), "drones"),
    (("unmanned",), "drones"),
    (("face",), "facial-recognition"),
    (("facial",), "facial-recognition"),
    (("gunshot",), "iot-sensors"),
    (("real-time", "crime"), "command-centre"),
    (("real time", "crime"), "command-centre"),
    (("fusion",), "command-centre"),
    (("video", "analytics"), "video-analytics"),
    (("predictive",), "video-analytics"),
    (("social", "media"), "social-media-monitoring"),
    (("camera", "registry"), "cctv"),
    (("ring",), "cctv"),
    (("neighbors",), "cctv"),
    (("camera",), "cctv"),
    (("cctv",), "cctv"),
]
SOURCE_KINDS = [
    # (word in the link's type, our source kind)
    ("news", SourceKind.MEDIA),
    ("media", SourceKind.MEDIA),
    ("public record", SourceKind.FOI_RESPONSE),
    ("records request", SourceKind.FOI_RESPONSE),
    ("foia", SourceKind.FOI_RESPONSE),
    ("government", SourceKind.OFFICIAL),
    ("agency", SourceKind.OFFICIAL),
    ("official", SourceKind.OFFICIAL),
    ("vendor", SourceKind.VENDOR),
    ("press release", SourceKind.OFFICIAL),
    ("court", SourceKind.COURT),
    ("report", SourceKind.NGO_REPORT),
]
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y"]


def is_atlas_csv(header: list[str]) -> bool:
    return "AOSNUMBER" in {name.strip().upper() for name in header}


def taxonomy_slug(name: str, abbreviation: str) -> str | None:
    if abbreviation.strip().upper() in TECHNOLOGY_BY_ABBREVIATION:
        return TECHNOLOGY_BY_ABBREVIATION[abbreviation.strip().upper()]
    folded = name.casefold()
    for words, slug in TECHNOLOGY_BY_WORDS:
        if all(word in folded for word in words):
            return slug
    return None


def subdivision(state: str) -> str:
    """An ISO 3166-2 code (US-CA) from a state's abbreviation or name; empty if unknown."""
    state = state.strip()
    if not state:
        return ""
    code = f"US-{state.upper()}"
    if len(state) == 2 and pycountry.subdivisions.get(code=code):
        return code
    for entry in pycountry.subdivisions.get(country_code="US") or []:
        if entry.name.casefold() == state.casefold():
            return entry.code
    return ""


def partial_date(text: str) -> str:
    """An ISO date (or year) from the Atlas's link dates, including Excel date serials
    ("44197" is 2021-01-01); empty when it cannot be read."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    serial = excel_serial_date(text)
    if serial:
        return serial
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def county_place(county: str) -> str:
    """The county's name as places are called: "Maricopa County" from "Maricopa" or from
    "Maricopa County" (never "Maricopa County County"); parishes and boroughs keep theirs."""
    county = county.strip()
    if not county:
        return ""
    if re.search(r"\b(county|parish|borough|census area|municipality|city)$", county, re.I):
        return county
    return f"{county} County"


def source_kind(link_type: str) -> str:
    folded = link_type.casefold()
    for word, kind in SOURCE_KINDS:
        if word in folded:
            return kind
    return SourceKind.MEDIA


class AtlasImporter(RowImporter):
    format_name = "eff-atlas"

    def __init__(self, *args, **kwargs) -> None:
        kwargs["scheme"] = SCHEME
        super().__init__(*args, **kwargs)

    def run(self, text: str) -> None:
        header, rows, problems = read_csv(text)
        self.report.problems += problems
        present = {name.strip().casefold() for name in header}
        missing = [column for column in COLUMNS if column.casefold() not in present]
        if missing:
            self.report.problem(
                1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
            return
        for line, cells in rows:
            self.report.rows += 1
            self.row(
                line, "", lambda cells=cells, line=line: self.import_row(self.parse(line, cells))
            )

    def link_date(self, reader: CellReader, line: int, column: str) -> str:
        text = reader.text(column)
        if not text:
            return ""
        date = partial_date(text)
        if not date:
            self.report.warn(
                line,
                _("%(value)r is not a date: the source is kept without a date") % {"value": text},
                column=column,
            )
        elif excel_serial_date(text):
            self.report.warn(
                line,
                _("%(value)s read as an Excel date serial: %(date)s")
                % {"value": text, "date": date},
                column=column,
            )
        return date

    def place(self, reader: CellReader, line: int) -> tuple[str, str, str]:
        """(name, subdivision, column) of the row's place: the city; else the county, at
        county level; else the state itself, at state level."""
        state = reader.text("State")
        region = subdivision(state)
        if state and not region:
            reader.problem(
                "State",
                _("unknown state %(value)r: use its two-letter code, e.g. AZ") % {"value": state},
            )
        if reader.text("City"):
            return reader.text("City"), region, "City"
        if reader.text("County"):
            return county_place(reader.text("County")), region, "County"
        if region:
            entry = pycountry.subdivisions.get(code=region)
            return (entry.name if entry else state), region, "State"
        reader.problem(
            "City",
            _(
                "no City, County or State: CityWatch needs at least the state to place "
                "the deployment"
            ),
        )
        return "", "", "City"

    def parse(self, line: int, cells: dict[str, str]) -> DeploymentRow:
        reader = CellReader(cells)
        number = reader.text("AOSNUMBER")
        if not number:
            reader.problem("AOSNUMBER", _("AOSNUMBER is empty"))
        agency = reader.text("Agency")
        if not agency:
            reader.problem("Agency", _("Agency is empty"))
        technology = reader.text("Technology")
        slug = taxonomy_slug(technology, reader.text("TECH ABV"))
        if slug is None:
            self.report.warn(
                line,
                _("technology %(name)r has no match in CityWatch's taxonomy; imported without it")
                % {"name": technology},
            )
        name, region, column = self.place(reader, line)
        placement = self.read_place(reader, "US", name, region, column=column) if name else None
        details = [
            f"{label}: {value}"
            for label, value in (
                ("Type of LEA", reader.text("Type of LEA")),
                ("Type of jurisdiction", reader.text("Type of Juris")),
            )
            if value
        ]
        sources = [
            SourceLink(
                url=ATLAS_URL,
                title="Atlas of Surveillance",
                publisher="Electronic Frontier Foundation",
                kind=SourceKind.NGO_REPORT,
                locator=f"AOSNUMBER {number}",
            )
        ]
        for n in (1, 2, 3):
            url = reader.text(f"Link {n}")
            if not url:
                continue
            snapshot = reader.text(f"Link {n} Snapshot")
            sources.append(
                SourceLink(
                    url=url,
                    title=reader.text(f"Link {n} Source") or url,
                    publisher=reader.text(f"Link {n} Source"),
                    kind=source_kind(reader.text(f"Link {n} Type")),
                    published_on=self.link_date(reader, line, f"Link {n} Date"),
                    notes=f"Archived copy: {snapshot}" if snapshot else "",
                )
            )
        for url in re.split(r"[\s,;]+", reader.text("Other Links")):
            if url.startswith(("http://", "https://")):
                sources.append(SourceLink(url=url))
        title_technology = technology or reader.text("TECH ABV") or _("Surveillance technology")
        reader.finish()
        return DeploymentRow(
            line=line,
            external_id=number,
            title=f"{agency}: {title_technology}",
            summary=reader.text("Summary"),
            country="US",
            placement=placement,
            status="operational",
            certainty="reported",
            technologies=[self.technologies[slug]] if slug in self.technologies else [],
            buyers=[agency],
            suppliers=[reader.text("Vendor")] if reader.text("Vendor") else [],
            sources=sources,
            buyer_description="; ".join(details),
        )
