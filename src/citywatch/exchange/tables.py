"""The dataset as CSV tables: `deployments.csv` (one row per deal, joined) and one table per
record type, all keyed by stable ids. The same column lists describe the Data Package.

Every CSV is safe to open in a spreadsheet: a cell whose text begins with =, +, -, @, a tab or
a carriage return (which Excel, LibreOffice and Google Sheets would run as a formula) gets a
leading apostrophe, the usual neutraliser; numbers such as -70.89 are left as they are. Our
imports take the apostrophe off again. JSON, GeoJSON and OCDS keep every value exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import meta, records, streaming
from citywatch.places.models import LegalCardEntry, Locality

LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def spreadsheet_safe(cell: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would read it as a formula
    (OWASP's advice on CSV injection); plain numbers stay as they are."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # a Frictionless Table Schema type
    description: str = ""
    required: bool = False
    pattern: str = ""
    enum: tuple[str, ...] = ()


PARTIAL_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"


def id_column(description: str = "Stable id of the record.") -> Column:
    return Column("id", description=description, required=True)


def ref(name: str, description: str, required: bool = False) -> Column:
    return Column(name, description=description, required=required)


def date_column(name: str, description: str) -> Column:
    return Column(name, description=description, pattern=PARTIAL_DATE)


DEPLOYMENT_COLUMNS = [
    id_column("Stable id of the deployment (the same in every export)."),
    Column("slug", description="Short name used in the deployment's address.", required=True),
    Column("title", required=True),
    Column("summary"),
    Column("country", description="ISO 3166-1 alpha-2 code (XK for Kosovo).", required=True),
    Column("country_name", description="Country name in English."),
    Column("locality", description="City or region; empty for a country-wide deployment."),
    Column("locality_id", description="Stable id of the locality (see localities.csv)."),
    Column("subdivision", description="ISO 3166-2 code of the locality's subdivision."),
    Column("latitude", "number", "WGS 84 latitude of the locality (empty if country-wide)."),
    Column("longitude", "number", "WGS 84 longitude of the locality (empty if country-wide)."),
    Column("nationwide", "boolean", "True when the deployment covers the whole country."),
    Column(
        "approximate",
        "boolean",
        "True when the place is not in the place list: the point is its region's or country's.",
    ),
    Column("status", description="Stage of the deal.", required=True),
    Column("certainty", description="How well the deal is established.", required=True),
    Column("technologies", description="Technology slugs, separated by '; '."),
    Column("technology_names", description="Technology names, separated by '; '."),
    Column("quantities", description="What was supplied, e.g. '335 cameras', separated by '; '."),
    Column("buyers", description="Buying or receiving authorities, separated by '; '."),
    Column("suppliers", description="Vendors, donors, integrators and partners, by name."),
    Column("financiers", description="Lenders and financiers, by name."),
    Column("amounts", description="Amounts with currency and financing, separated by '; '."),
    Column("facial_recognition", description="Whether any component has facial recognition."),
    Column("plate_recognition", description="Whether any component reads number plates."),
    Column("source_count", "integer", "How many sources back facts of this deployment."),
    Column("source_urls", description="Addresses of the sources, separated by '; '."),
    Column("permalink", description="The deployment's page, with every fact and its source."),
    Column("licence", description="Licence of this row."),
    Column("attribution", description="How to credit this row."),
]

TABLE_COLUMNS: dict[str, list[Column]] = {
    "sources": [
        id_column(),
        Column("title", required=True),
        Column("url"),
        Column("publisher"),
        date_column("published_on", "Publication date: YYYY, YYYY-MM or YYYY-MM-DD."),
        Column("language", description="ISO 639-1 code."),
        Column("kind", required=True),
        Column("notes"),
    ],
    "organisations": [
        id_column(),
        Column("slug", required=True),
        Column("name", required=True),
        Column("kind", required=True),
        Column("country"),
        ref("parent", "Stable id of the parent organisation."),
        Column("aliases", description="Other names, separated by '; '."),
        Column("website"),
        Column("wikidata_id"),
        Column("email"),
        Column("postal_address"),
        Column("phone"),
        Column("description"),
    ],
    "localities": [
        id_column(),
        Column("name", required=True),
        Column("country", required=True),
        Column("subdivision_code"),
        Column("latitude", "number", required=True),
        Column("longitude", "number", required=True),
        Column("geonames_id", "integer"),
        Column(
            "approximate",
            "boolean",
            "True when the point is only that of the place's region or country.",
        ),
    ],
    "legal_entries": [
        id_column(),
        Column("country", required=True),
        Column("topic", required=True),
        Column("status", required=True),
        Column("name"),
        date_column("in_force_since", "YYYY, YYYY-MM or YYYY-MM-DD."),
        date_column("as_of", "When the entry was known to be true."),
        Column("summary"),
        Column("url"),
    ],
    "parties": [
        id_column(),
        ref("deployment", "Stable id of the deployment.", required=True),
        ref("organisation", "Stable id of the organisation.", required=True),
        Column("role", required=True),
        date_column("started_on", "YYYY, YYYY-MM or YYYY-MM-DD."),
        date_column("ended_on", "YYYY, YYYY-MM or YYYY-MM-DD."),
        Column("certainty", required=True),
        Column("note"),
    ],
    "components": [
        id_column(),
        ref("deployment", "Stable id of the deployment.", required=True),
        Column("technology", description="Technology slug.", required=True),
        Column("quantity", "integer", "How many (installed, when a planned figure is given)."),
        Column("quantity_qualifier"),
        Column("planned_quantity", "integer", "The planned figure, when a source gives one."),
        Column("unit"),
        Column("description"),
        Column("product_models"),
        ref("supplier", "Stable id of the supplying organisation."),
        Column("facial_recognition"),
        Column("plate_recognition"),
        Column("certainty", required=True),
    ],
    "money": [
        id_column(),
        ref("deployment", "Stable id of the deployment.", required=True),
        Column("amount", "number", "The amount, or the lower end of a range."),
        Column("amount_max", "number", "The upper end of a range."),
        Column("amount_qualifier", description="exactly, about, at_least, more_than, up_to."),
        Column("currency", description="ISO 4217 code."),
        date_column("dated", "When the amount applies."),
        Column("financing", required=True),
        Column("interest_rate", "number", "For a loan: percent a year."),
        Column("maturity_months", "integer", "For a loan: months until fully repaid."),
        Column("grace_period_months", "integer", "For a loan: months before repayments start."),
        ref("lender", "Stable id of the lending organisation."),
        Column("note"),
        Column("certainty", required=True),
    ],
    "events": [
        id_column(),
        ref("deployment", "Stable id of the deployment.", required=True),
        date_column("date", "YYYY, YYYY-MM or YYYY-MM-DD."),
        Column("kind", required=True),
        Column("title", required=True),
        Column("description"),
        Column("certainty", required=True),
    ],
    "vendor_claims": [
        id_column(),
        ref("vendor", "Stable id of the vendor.", required=True),
        ref("deployment", "Stable id of the deployment; empty for a claim about the vendor."),
        Column("statement", required=True),
        date_column("claimed_on", "YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
    "citations": [
        id_column(),
        ref("source", "Stable id of the source.", required=True),
        Column("target_type", description="Kind of record the source backs.", required=True),
        Column("target_id", description="Stable id of that record.", required=True),
        Column("field", description="The field backed; empty for the whole record."),
        Column("stated_value", description="The value this source gives, when it differs."),
        Column("quote", description="The sentence, word for word."),
        Column("language", description="Language of the quote, when not the source's."),
        Column("locator", description="Page or locator."),
        Column("note"),
    ],
}

VENDOR_ROLES = {"supplier", "donor", "integrator"}
BUYER_ROLES = {"buyer", "recipient", "operator"}
FINANCIER_ROLES = {"financier"}


def party_group(role: str, kind: str) -> str:
    """Which joined column names a party: buyers, suppliers or financiers.

    A partner to an agreement counts as a buyer when it is a public authority and as a
    supplier otherwise.
    """
    if role == "partner":
        return "buyers" if kind == "authority" else "suppliers"
    if role in BUYER_ROLES:
        return "buyers"
    if role in FINANCIER_ROLES:
        return "financiers"
    return "suppliers"


def joined(values: list[str]) -> str:
    unique: list[str] = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    return LIST_SEPARATOR.join(unique)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def capability(components: list[dict[str, Any]], name: str) -> str:
    values = {c[name] for c in components}
    for value in ("present", "not_in_use", "absent"):
        if value in values:
            return value
    return "unknown"


def qualifier_text(qualifier: str) -> str:
    return "" if qualifier in ("exactly", "") else qualifier.replace("_", " ")


def quantity_text(component: dict[str, Any]) -> str:
    """E.g. "about 1000 cameras", "1000 cameras (1500 planned)"; imports read it back."""
    if component["quantity"] is None:
        return ""
    qualifier = qualifier_text(component["quantity_qualifier"])
    text = " ".join(
        part for part in (qualifier, str(component["quantity"]), component["unit"]) if part
    )
    if component.get("planned_quantity") is not None:
        text += f" ({component['planned_quantity']} planned)"
    return text


def money_text(money: dict[str, Any]) -> str:
    """E.g. "about 2000000.00 EUR (donation, 2019)", "2000000.00–3000000.00 USD (loan)"."""
    amount = ""
    if money["amount"]:
        figure = money["amount"]
        if money.get("amount_max"):
            figure = f"{figure}–{money['amount_max']}"
        qualifier = qualifier_text(money.get("amount_qualifier", "exactly"))
        amount = " ".join(part for part in (qualifier, figure, money["currency"]) if part)
    details = ", ".join(part for part in (money["financing"], money["dated"]) if part)
    return f"{amount} ({details})".strip() if amount else details


@dataclass(frozen=True)
class Names:
    """Names of the small reference tables, read once per export."""

    countries: dict[str, str]
    technologies: dict[str, str]

    @classmethod
    def read(cls) -> Names:
        return cls(records.country_names(), records.technology_names())


def deployment_row(
    deployment: dict[str, Any], chunk: records.DeploymentChunk, names: Names
) -> dict[str, str]:
    """One row of deployments.csv: the deployment with its parts' names joined."""
    organisations = chunk.organisations
    locality = chunk.localities.get(deployment["locality"]) if deployment["locality"] else None

    def named(group: str) -> str:
        return joined(
            [
                organisations[p["organisation"]]["name"]
                for p in deployment["parties"]
                if party_group(p["role"], organisations[p["organisation"]]["kind"]) == group
            ]
        )

    components = deployment["components"]
    cited = chunk.cited.get(deployment["id"], [])
    return {
        "id": deployment["id"],
        "slug": deployment["slug"],
        "title": deployment["title"],
        "summary": deployment["summary"],
        "country": deployment["country"],
        "country_name": names.countries.get(deployment["country"], ""),
        "locality": locality["name"] if locality else "",
        "locality_id": locality["id"] if locality else "",
        "subdivision": locality["subdivision_code"] if locality else "",
        "latitude": text(locality["latitude"]) if locality else "",
        "longitude": text(locality["longitude"]) if locality else "",
        "nationwide": text(locality is None),
        "approximate": text(bool(locality and locality.get("approximate"))),
        "status": deployment["status"],
        "certainty": deployment["certainty"],
        "technologies": joined([c["technology"] for c in components]),
        "technology_names": joined([names.technologies[c["technology"]] for c in components]),
        "quantities": joined([quantity_text(c) for c in components]),
        "buyers": named("buyers"),
        "suppliers": named("suppliers"),
        "financiers": named("financiers"),
        "amounts": joined([money_text(m) for m in deployment["money"]]),
        "facial_recognition": capability(components, "facial_recognition"),
        "plate_recognition": capability(components, "plate_recognition"),
        "source_count": str(len(cited)),
        "source_urls": joined([s["url"] for s in cited]),
        "permalink": deployment["permalink"],
        "licence": meta.LICENCE_ID,
        "attribution": f"CityWatch, {deployment['permalink']}, CC BY 4.0",
    }


def deployment_rows() -> Iterator[dict[str, str]]:
    """The rows of deployments.csv, read chunk by chunk."""
    names = Names.read()
    for chunk in records.deployment_chunks():
        for deployment in chunk.deployments:
            yield deployment_row(deployment, chunk, names)


def organisation_rows() -> Iterator[dict[str, Any]]:
    for organisation in records.organisations():
        aliases = [line.strip() for line in organisation["aliases"].splitlines()]
        yield {**organisation, "aliases": joined(aliases)}


def vendor_claim_rows() -> Iterator[dict[str, Any]]:
    """Claims about deployments (in deployment order), then claims about a vendor at large."""
    yield from records.part_table(VendorClaim)
    for claim in records.vendor_claims_at_large():
        yield {**claim, "deployment": None}


def citation_rows() -> Iterator[dict[str, Any]]:
    for citation in records.citations():
        yield {
            **citation,
            "target_type": citation["target"]["type"],
            "target_id": citation["target"]["id"],
            "field": citation["field_name"],
        }


# Each table: what makes its records, and the kinds of record whose stable ids it names.
TABLE_RECORDS: dict[str, tuple[Callable[[], Iterable[dict[str, Any]]], tuple[type, ...]]] = {
    "sources": (records.sources, (Source,)),
    "organisations": (organisation_rows, (Organisation,)),
    "localities": (records.localities, (Locality,)),
    "legal_entries": (records.legal_entries, (LegalCardEntry,)),
    "parties": (lambda: records.part_table(Party), (Party, Deployment, Organisation)),
    "components": (
        lambda: records.part_table(Component),
        (Component, Deployment, Organisation),
    ),
    "money": (lambda: records.part_table(Money), (Money, Deployment, Organisation)),
    "events": (lambda: records.part_table(Event), (Event, Deployment)),
    "vendor_claims": (vendor_claim_rows, (VendorClaim, Deployment, Organisation)),
    "citations": (citation_rows, (Citation, Source, *records.TARGET_TYPES)),
}
# A deployment with its parts names all of these (parts are sorted by their ids).
DEPLOYMENT_TABLE_NAMES = (
    Deployment,
    Party,
    Component,
    Money,
    Event,
    VendorClaim,
    Organisation,
    Locality,
    Source,
)


def table_rows(name: str) -> Iterator[dict[str, str]]:
    """One per-record-type table (``TABLE_COLUMNS``), as rows of text."""
    make, _named = TABLE_RECORDS[name]
    columns = TABLE_COLUMNS[name]
    for row in make():
        yield {c.name: text(row.get(c.name)) for c in columns}


def csv_pieces(rows: Iterable[dict[str, str]], columns: list[Column]) -> Iterator[str]:
    """A CSV file, piece by piece, every cell safe to open in a spreadsheet."""
    safe = ({name: spreadsheet_safe(cell) for name, cell in row.items()} for row in rows)
    return streaming.csv_pieces(safe, [c.name for c in columns])


def to_csv(rows: Iterable[dict[str, str]], columns: list[Column]) -> str:
    return "".join(csv_pieces(rows, columns))


def csv_file_pieces(filename: str) -> Iterator[str]:
    """deployments.csv or one table's CSV (``<table>.csv``), piece by piece: the header
    first, then a row at a time. Raises KeyError for another name."""
    if filename == "deployments.csv":
        named: tuple[type, ...] = DEPLOYMENT_TABLE_NAMES
        columns, rows = DEPLOYMENT_COLUMNS, deployment_rows
    else:
        name = filename.removesuffix(".csv")
        _make, named = TABLE_RECORDS[name]
        columns, rows = TABLE_COLUMNS[name], (lambda: table_rows(name))
    yield from csv_pieces(_later(rows, named), columns)


def _later(
    make: Callable[[], Iterable[dict[str, str]]], named: tuple[type, ...]
) -> Iterator[dict[str, str]]:
    """The rows of ``make()``, the stable ids they name minted first; nothing is read before
    the first row is asked for (the header leaves before any query)."""
    records.ensure_stable_ids(named)
    yield from make()
