"""The dataset as CSV tables: `deployments.csv` (one row per deal, joined) and one table per
record type, all keyed by stable ids. The same column lists describe the Data Package.

Every CSV is safe to open in a spreadsheet: a cell whose text begins with =, +, -, @, a tab or
a carriage return (which Excel, LibreOffice and Google Sheets would run as a formula) gets a
leading apostrophe, the usual neutraliser; numbers such as -70.89 are left as they are. Our
imports take the apostrophe off again. JSON, GeoJSON and OCDS keep every value exact.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from citywatch.exchange import meta

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


def deployment_rows(dataset: dict[str, Any]) -> list[dict[str, str]]:
    organisations = {o["id"]: o for o in dataset["organisations"]}
    localities = {loc["id"]: loc for loc in dataset["localities"]}
    countries = {c["code"]: c["name"] for c in dataset["countries"]}
    technologies = {t["slug"]: t["name"] for t in dataset["technologies"]}
    sources = {s["id"]: s for s in dataset["sources"]}
    cited_by_deployment: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for deployment in dataset["deployments"]:
        owner[deployment["id"]] = deployment["id"]
        for part in ("parties", "components", "money", "events", "claims"):
            for record in deployment[part]:
                owner[record["id"]] = deployment["id"]
    for citation in dataset["citations"]:
        deployment_id = owner.get(citation["target"]["id"])
        if deployment_id:
            cited_by_deployment.setdefault(deployment_id, []).append(citation["source"])

    rows = []
    for deployment in dataset["deployments"]:
        locality = localities.get(deployment["locality"]) if deployment["locality"] else None

        def names(group: str, deployment: dict[str, Any] = deployment) -> str:
            return joined(
                [
                    organisations[p["organisation"]]["name"]
                    for p in deployment["parties"]
                    if party_group(p["role"], organisations[p["organisation"]]["kind"]) == group
                ]
            )

        components = deployment["components"]
        cited = [sources[s] for s in dict.fromkeys(cited_by_deployment.get(deployment["id"], []))]
        row = {
            "id": deployment["id"],
            "slug": deployment["slug"],
            "title": deployment["title"],
            "summary": deployment["summary"],
            "country": deployment["country"],
            "country_name": countries.get(deployment["country"], ""),
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
            "technology_names": joined([technologies[c["technology"]] for c in components]),
            "quantities": joined([quantity_text(c) for c in components]),
            "buyers": names("buyers"),
            "suppliers": names("suppliers"),
            "financiers": names("financiers"),
            "amounts": joined([money_text(m) for m in deployment["money"]]),
            "facial_recognition": capability(components, "facial_recognition"),
            "plate_recognition": capability(components, "plate_recognition"),
            "source_count": str(len(cited)),
            "source_urls": joined([s["url"] for s in cited]),
            "permalink": deployment["permalink"],
            "licence": meta.LICENCE_ID,
            "attribution": f"CityWatch, {deployment['permalink']}, CC BY 4.0",
        }
        rows.append(row)
    return rows


def table_rows(dataset: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Every per-record-type table, as rows of text."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    tables["sources"] = list(dataset["sources"])
    for organisation in dataset["organisations"]:
        aliases = [line.strip() for line in organisation["aliases"].splitlines()]
        tables["organisations"].append({**organisation, "aliases": joined(aliases)})
    tables["localities"] = list(dataset["localities"])
    tables["legal_entries"] = list(dataset["legal_entries"])
    for deployment in dataset["deployments"]:
        link = {"deployment": deployment["id"]}
        tables["parties"] += [{**p, **link} for p in deployment["parties"]]
        tables["components"] += [{**c, **link} for c in deployment["components"]]
        tables["money"] += [{**m, **link} for m in deployment["money"]]
        tables["events"] += [{**e, **link} for e in deployment["events"]]
        tables["vendor_claims"] += [{**c, **link} for c in deployment["claims"]]
    tables["vendor_claims"] += [{**c, "deployment": None} for c in dataset["vendor_claims"]]
    for citation in dataset["citations"]:
        tables["citations"].append(
            {
                **citation,
                "target_type": citation["target"]["type"],
                "target_id": citation["target"]["id"],
                "field": citation["field_name"],
            }
        )
    return {
        name: [{c.name: text(row.get(c.name)) for c in TABLE_COLUMNS[name]} for row in rows]
        for name, rows in tables.items()
    }


def to_csv(rows: list[dict[str, str]], columns: list[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.name for c in columns], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({name: spreadsheet_safe(cell) for name, cell in row.items()} for row in rows)
    return buffer.getvalue()


def all_csv_files(dataset: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text, for deployments.csv and every per-table CSV."""
    files = {"deployments.csv": to_csv(deployment_rows(dataset), DEPLOYMENT_COLUMNS)}
    for name, rows in table_rows(dataset).items():
        files[f"{name}.csv"] = to_csv(rows, TABLE_COLUMNS[name])
    return files
