"""`ocds.json`: an Open Contracting Data Standard 1.1.5 release package.

One release per public deployment: the buying authority is the ``buyer``, vendors are
``suppliers`` of the award, lenders and donors are ``funder``s, components are items (classified
by CityWatch's technology taxonomy), exact amounts are values, and sources are documents. The
release id changes whenever the deployment's data changes, as OCDS asks.

It says only what the evidence says (documented in docs/exports-and-imports.md):

- a letter of intent or memorandum of understanding is not an award: such a deal is a
  ``planning`` release, with the agreement in the extension field ``planning.x_agreement``;
- a donation has no award value (nothing is paid); the recipient is the buyer, the donor a
  funder, and the donated amount is in ``x_citywatchMoney``;
- approximate amounts and ranges are no OCDS value either: every amount, with its qualifier,
  range and loan terms, is in ``x_citywatchMoney``;
- a date known only to the year or month is never padded to a day: it goes into an extension
  field beside the OCDS one (``x_datePartial``, ``x_dateSignedPartial``,
  ``x_datePublishedPartial``), as ``YYYY`` or ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from citywatch.core.partial_dates import PartialDate
from citywatch.exchange import meta, queries, records
from citywatch.exchange.streaming import Lazy, json_pieces

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "ocds-1.1.5"
OCID_PREFIX = "ocds-citywatch"
TAXONOMY_SCHEME = "x_CityWatch_technology"

# A letter of intent or an MoU is a step of planning, not an award.
PLANNED = {"rumoured", "announced", "agreement_signed"}
AWARDED = {"contracted", "deploying", "operational", "expanded", "suspended"}
PARTY_ROLES = {
    "buyer": "buyer",
    "recipient": "buyer",
    "supplier": "supplier",
    "integrator": "supplier",
    "donor": "funder",
    "financier": "funder",
    "operator": "interestedParty",
}


def ocds_role(role: str, kind: str) -> str:
    """An agreement partner is the buyer when it is an authority, else a supplier."""
    if role == "partner":
        return "buyer" if kind == "authority" else "supplier"
    return PARTY_ROLES[role]


@cache
def ocds_currencies() -> frozenset[str]:
    schema = json.loads((SCHEMA_DIR / "release-schema.json").read_text(encoding="utf-8"))
    enum = schema["definitions"]["Value"]["properties"]["currency"]["enum"]
    return frozenset(code for code in enum if code)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def day_stamp(partial: str) -> str | None:
    """A date-time for a date known to the day; None for a year or month (OCDS needs a day)."""
    if not partial:
        return None
    date = PartialDate.parse(partial)
    if date.precision != "day":
        return None
    return f"{date.isoformat()}T00:00:00Z"


def partial_only(partial: str) -> str | None:
    """The date itself when it is known only to the year or month (else None)."""
    if not partial:
        return None
    return None if PartialDate.parse(partial).precision == "day" else partial


def value(money: dict[str, Any]) -> dict[str, Any] | None:
    """An OCDS value for an exact amount in a known currency; None for an approximate amount or
    a range (those are in x_citywatchMoney)."""
    if not money["amount"] or money["currency"] not in ocds_currencies():
        return None
    if money.get("amount_qualifier", "exactly") != "exactly" or money.get("amount_max"):
        return None
    return {"amount": float(money["amount"]), "currency": money["currency"]}


def money_extension(money: dict[str, Any], organisations: dict[str, Any]) -> dict[str, Any]:
    """One amount as the evidence states it (extension field x_citywatchMoney)."""
    entry: dict[str, Any] = {"id": money["id"], "financing": money["financing"]}
    for name, key in (
        ("amount", "amount"),
        ("amount_max", "amountMax"),
        ("currency", "currency"),
        ("dated", "date"),
        ("interest_rate", "interestRate"),
        ("maturity_months", "maturityMonths"),
        ("grace_period_months", "gracePeriodMonths"),
    ):
        if money.get(name) not in (None, ""):
            entry[key] = money[name]
    if money.get("amount_qualifier", "exactly") != "exactly":
        entry["qualifier"] = money["amount_qualifier"]
    if money.get("lender"):
        entry["lender"] = {"id": money["lender"], "name": organisations[money["lender"]]["name"]}
    return entry


def document(source: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": source["id"], "title": source["title"]}
    if source["url"]:
        doc["url"] = source["url"]
    published = day_stamp(source["published_on"])
    if published:
        doc["datePublished"] = published
    elif partial_only(source["published_on"]):
        doc["x_datePublishedPartial"] = source["published_on"]
    if source["language"]:
        doc["language"] = source["language"]
    doc["description"] = kinds.get(source["kind"], source["kind"])
    return doc


class ReleaseBuilder:
    """Makes the releases of one chunk of deployments (``records.DeploymentChunk``)."""

    def __init__(
        self,
        chunk: records.DeploymentChunk,
        countries: dict[str, str],
        technologies: dict[str, str],
        kinds: dict[str, str],
    ) -> None:
        self.organisations = chunk.organisations
        self.countries = countries
        self.technologies = technologies
        self.kinds = kinds
        self.cited = chunk.cited

    def party(self, organisation_id: str, roles: list[str]) -> dict[str, Any]:
        organisation = self.organisations[organisation_id]
        party: dict[str, Any] = {"id": organisation_id, "name": organisation["name"]}
        if organisation["country"]:
            party["address"] = {"countryName": self.countries.get(organisation["country"], "")}
        party["roles"] = roles
        return party

    def release(self, deployment: dict[str, Any], changed: dt.datetime) -> dict[str, Any]:
        status = deployment["status"]
        roles: dict[str, list[str]] = {}

        def add(organisation_id: str | None, role: str) -> None:
            if organisation_id:
                found = roles.setdefault(organisation_id, [])
                if role not in found:
                    found.append(role)

        for party in deployment["parties"]:
            kind = self.organisations[party["organisation"]]["kind"]
            add(party["organisation"], ocds_role(party["role"], kind))
        for component in deployment["components"]:
            add(component["supplier"], "supplier")
        for money in deployment["money"]:
            add(money["lender"], "funder")

        release: dict[str, Any] = {
            "ocid": f"{OCID_PREFIX}-{deployment['id']}",
            "date": stamp(changed),
            "tag": self.tags(status),
            "initiationType": "tender",
            "language": "en",
            "parties": [self.party(org, found) for org, found in roles.items()],
        }
        buyers = [org for org, found in roles.items() if "buyer" in found]
        if buyers:
            release["buyer"] = {"id": buyers[0], "name": self.organisations[buyers[0]]["name"]}
        items = [self.item(component) for component in deployment["components"]]
        documents = [
            document(source, self.kinds) for source in self.cited.get(deployment["id"], [])
        ]
        tender: dict[str, Any] = {
            "id": f"{deployment['id']}-tender",
            "title": deployment["title"],
            "description": deployment["summary"],
        }
        if status in PLANNED:
            tender["status"] = "planned"
        if items:
            tender["items"] = items
        if documents:
            tender["documents"] = documents
        release["tender"] = tender

        planning: dict[str, Any] = {}
        loans = [m for m in deployment["money"] if m["financing"] == "loan" and value(m)]
        if loans:
            lender = self.organisations.get(loans[0]["lender"] or "", {}).get("name", "")
            planning["budget"] = {
                "description": f"Loan from {lender}" if lender else "Loan",
                "amount": value(loans[0]),
            }
        if status == "agreement_signed":
            agreement: dict[str, Any] = {
                "description": "Letter of intent or memorandum of understanding signed; "
                "no contract awarded.",
            }
            date = self.event_partial(deployment, ("agreement_signed",))
            if date:
                agreement["date"] = date
            planning["x_agreement"] = agreement
        if planning:
            release["planning"] = planning
        if deployment["money"]:
            release["x_citywatchMoney"] = [
                money_extension(m, self.organisations) for m in deployment["money"]
            ]
        if status not in PLANNED:
            release["awards"] = [self.award(deployment, roles, items)]
        if status in AWARDED:
            release["contracts"] = [self.contract(deployment)]
        body = json.dumps(release, sort_keys=True, ensure_ascii=False).encode()
        release["id"] = f"{deployment['id']}-{hashlib.sha256(body).hexdigest()[:12]}"
        return dict(sorted(release.items(), key=lambda kv: kv[0] not in {"ocid", "id"}))

    def tags(self, status: str) -> list[str]:
        """planning (rumoured, announced, LOI/MoU), award(+contract) or awardCancellation."""
        if status in PLANNED:
            return ["planning"]
        if status == "cancelled":
            return ["awardCancellation"]
        if status in AWARDED:
            return ["award", "contract"]
        return ["award"]

    def item(self, component: dict[str, Any]) -> dict[str, Any]:
        name = self.technologies[component["technology"]]
        description = "; ".join(
            part for part in (name, component["description"], component["product_models"]) if part
        )
        item: dict[str, Any] = {
            "id": component["id"],
            "description": description,
            "classification": {
                "scheme": TAXONOMY_SCHEME,
                "id": component["technology"],
                "description": name,
            },
        }
        if component["quantity"] is not None:
            item["quantity"] = component["quantity"]
            item["unit"] = {"name": component["unit"]}
        return item

    def money_value(self, deployment: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """The award's value: the first exact amount that was paid (not a loan, which is the
        budget, nor a donation, for which nothing is paid)."""
        for money in deployment["money"]:
            if money["financing"] not in ("loan", "donation") and value(money):
                return value(money), money["financing"]
        return None, ""

    def event_partial(self, deployment: dict[str, Any], kinds: tuple[str, ...]) -> str | None:
        """The date of the first such event, as known (YYYY, YYYY-MM or YYYY-MM-DD)."""
        for event in deployment["events"]:
            if event["kind"] in kinds and event["date"]:
                return event["date"]
        return None

    def award(
        self, deployment: dict[str, Any], roles: dict[str, list[str]], items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        status = deployment["status"]
        award: dict[str, Any] = {
            "id": f"{deployment['id']}-award",
            "title": deployment["title"],
            "status": "cancelled" if status == "cancelled" else "active",
        }
        signed = self.event_date(deployment, ("contracted",))
        if signed:
            award["date"] = signed
        elif self.event_partial(deployment, ("contracted",)):
            award["x_datePartial"] = self.event_partial(deployment, ("contracted",))
        amount, financing = self.money_value(deployment)
        if amount:
            award["value"] = amount
            award["description"] = f"Financing: {financing}"
        elif any(m["financing"] == "donation" for m in deployment["money"]):
            award["description"] = "Donation: free of charge to the buyer (no award value)."
        suppliers = [
            {"id": org, "name": self.organisations[org]["name"]}
            for org, found in roles.items()
            if "supplier" in found
        ]
        if suppliers:
            award["suppliers"] = suppliers
        if items:
            award["items"] = items
        return award

    def contract(self, deployment: dict[str, Any]) -> dict[str, Any]:
        contract: dict[str, Any] = {
            "id": f"{deployment['id']}-contract",
            "awardID": f"{deployment['id']}-award",
            "title": deployment["title"],
            "status": "active",
        }
        signed = self.event_date(deployment, ("contracted",))
        if signed:
            contract["dateSigned"] = signed
        elif self.event_partial(deployment, ("contracted",)):
            contract["x_dateSignedPartial"] = self.event_partial(deployment, ("contracted",))
        amount, _financing = self.money_value(deployment)
        if amount:
            contract["value"] = amount
        return contract

    def event_date(self, deployment: dict[str, Any], kinds: tuple[str, ...]) -> str | None:
        """The OCDS date-time of the first such event known to the day (else None: a partial
        date goes into an x_…Partial field instead)."""
        partial = self.event_partial(deployment, kinds)
        return day_stamp(partial) if partial else None


def source_kinds() -> dict[str, str]:
    from citywatch.evidence.models import SourceKind

    return {kind.value: str(kind.label) for kind in SourceKind}


def releases(exported_at: dt.datetime) -> Iterator[dict[str, Any]]:
    """One release per public deployment, chunk by chunk."""
    countries, technologies = records.country_names(), records.technology_names()
    kinds = source_kinds()
    for chunk in records.deployment_chunks(with_last_changed=True):
        builder = ReleaseBuilder(chunk, countries, technologies, kinds)
        for deployment in chunk.deployments:
            changed = chunk.last_changed.get(deployment["id"]) or exported_at
            yield builder.release(deployment, changed)


def ocds_document(exported_at: dt.datetime | None = None) -> dict[str, Any]:
    """The release package, its releases made while it is written."""
    exported_at = exported_at or queries.now()
    return {
        "uri": meta.site_url("/exports/ocds.json"),
        "version": "1.1",
        "publishedDate": stamp(exported_at),
        "publisher": {"name": meta.PUBLISHER, "uri": meta.site_url("/")},
        "license": meta.LICENCE_URL,
        "publicationPolicy": meta.site_url("/exports/"),
        "releases": Lazy(lambda: releases(exported_at)),
    }


def ocds_pieces(exported_at: dt.datetime | None = None) -> Iterator[str]:
    """ocds.json, piece by piece (one per release)."""
    records.ensure_stable_ids(records.public_sets())
    yield from json_pieces(ocds_document(exported_at), indent=2)
    yield "\n"
