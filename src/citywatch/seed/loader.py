"""Load the demo dataset (the report's cases) from seed/data/demo.toml.

Loading is idempotent: every record is found by a natural key and updated in place, so a
second load changes nothing and duplicates nothing. Everything happens in one transaction.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from citywatch.actors.models import Organisation
from citywatch.atlas.models import (
    Component,
    Deployment,
    Event,
    Money,
    Party,
    Technology,
    VendorClaim,
)
from citywatch.atlas.services import deferred_changes
from citywatch.evidence.models import Citation, Source
from citywatch.places.models import Country, LegalCardEntry, Locality
from citywatch.seed.foi_stories import load_foi_demo
from citywatch.seed.upsert import upsert
from citywatch.teams.models import Team

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.toml"
REPORT_FILE = Path(__file__).resolve().parent / "data" / "report.txt"


class DemoLoader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.sources: dict[str, Source] = {}
        self.organisations: dict[str, Organisation] = {}
        self.localities: dict[str, Locality] = {}
        self.counts: Counter[str] = Counter()

    def save(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Find by lookup, set values, validate and save only when something changed."""
        return upsert(model, lookup, values, self.counts)

    def cite(self, record: models.Model, citations: list[dict]) -> None:
        content_type = ContentType.objects.get_for_model(record)
        for entry in citations:
            self.save(
                Citation,
                {
                    "source": self.sources[entry["source"]],
                    "content_type": content_type,
                    "object_id": record.pk,
                    "field_name": entry.get("field", ""),
                    "quote": entry.get("quote", ""),
                },
                {
                    "stated_value": entry.get("stated_value", ""),
                    "locator": entry.get("locator", ""),
                },
            )

    def load(self) -> Counter[str]:
        for entry in self.data["sources"]:
            values = {k: v for k, v in entry.items() if k != "key"}
            self.sources[entry["key"]] = self.save(
                Source, {"title": entry["title"]}, {k: v for k, v in values.items() if k != "title"}
            )
        for entry in self.data["organisations"]:
            self.load_organisation(entry)
        for entry in self.data["localities"]:
            self.load_locality(entry)
        for entry in self.data["legal_entries"]:
            self.load_legal_entry(entry)
        for entry in self.data["vendor_claims"]:
            self.load_claim(entry, deployment=None)
        for entry in self.data["deployments"]:
            self.load_deployment(entry)
        for entry in self.data.get("teams", []):
            self.load_team(entry)
        return self.counts

    def load_organisation(self, entry: dict) -> None:
        values = {
            "name": entry["name"],
            "kind": entry["kind"],
            "country": Country.objects.get(code=entry["country"]) if "country" in entry else None,
            "aliases": entry.get("aliases", ""),
            "website": entry.get("website", ""),
            "email": entry.get("email", ""),
            "seat_subdivision": entry.get("seat_subdivision", ""),
        }
        self.organisations[entry["slug"]] = self.save(Organisation, {"slug": entry["slug"]}, values)

    def load_team(self, entry: dict) -> None:
        """A demo team, the partner organisation it works as (its FOI requests' requester)."""
        organisation = self.organisations.get(entry.get("organisation", ""))
        self.save(
            Team, {"slug": entry["slug"]}, {"name": entry["name"], "organisation": organisation}
        )

    def load_locality(self, entry: dict) -> None:
        country = Country.objects.get(code=entry["country"])
        locality = Locality.objects.filter(country=country, name=entry["name"]).first()
        if locality is None:
            locality = Locality(country=country, name=entry["name"])
            locality.subdivision_code = entry.get("subdivision", "")
            locality.full_clean()  # fills coordinates from the shipped city list
            locality.save()
            self.counts["locality_created"] += 1
        self.localities[entry["name"]] = locality

    def load_legal_entry(self, entry: dict) -> None:
        country = Country.objects.get(code=entry["country"])
        record = self.save(
            LegalCardEntry,
            {"country": country, "topic": entry["topic"], "name": entry.get("name", "")},
            {
                "status": entry["status"],
                "in_force_since": entry.get("in_force_since", ""),
                "as_of": entry.get("as_of", ""),
                "summary": entry.get("summary", ""),
                "url": entry.get("url", ""),
            },
        )
        self.cite(record, entry.get("cite", []))

    def load_claim(self, entry: dict, deployment: Deployment | None) -> None:
        record = self.save(
            VendorClaim,
            {
                "vendor": self.organisations[entry["vendor"]],
                "deployment": deployment,
                "statement": entry["statement"],
            },
            {"claimed_on": entry.get("claimed_on", "")},
        )
        self.cite(record, entry.get("cite", []))

    def load_deployment(self, entry: dict) -> None:
        country = Country.objects.get(code=entry["country"])
        deployment = self.save(
            Deployment,
            {"slug": entry["slug"]},
            {
                "title": entry["title"],
                "summary": entry["summary"],
                "country": country,
                "locality": self.localities.get(entry.get("locality", "")),
                "status": entry["status"],
                "certainty": entry["certainty"],
            },
        )
        self.cite(deployment, entry.get("cite", []))
        for party in entry.get("parties", []):
            self.load_party(deployment, party)
        for component in entry.get("components", []):
            self.load_component(deployment, component)
        for money in entry.get("money", []):
            self.load_money(deployment, money)
        for event in entry.get("events", []):
            self.load_event(deployment, event)
        for claim in entry.get("claims", []):
            self.load_claim(claim, deployment)

    def load_party(self, deployment: Deployment, entry: dict) -> None:
        record = self.save(
            Party,
            {
                "deployment": deployment,
                "organisation": self.organisations[entry["organisation"]],
                "role": entry["role"],
            },
            {
                "certainty": entry["certainty"],
                "started_on": entry.get("started_on", ""),
                "note": entry.get("note", ""),
            },
        )
        self.cite(record, entry.get("cite", []))

    def load_component(self, deployment: Deployment, entry: dict) -> None:
        supplier = self.organisations.get(entry.get("supplier", ""))
        record = self.save(
            Component,
            {
                "deployment": deployment,
                "technology": Technology.objects.get(slug=entry["technology"]),
            },
            {
                "quantity": entry.get("quantity"),
                "quantity_qualifier": entry.get("quantity_qualifier", "exactly"),
                "unit": entry.get("unit", ""),
                "description": entry.get("description", ""),
                "product_models": entry.get("product_models", ""),
                "supplier": supplier,
                "facial_recognition": entry.get("facial_recognition", "unknown"),
                "plate_recognition": entry.get("plate_recognition", "unknown"),
                "certainty": entry["certainty"],
            },
        )
        self.cite(record, entry.get("cite", []))

    def load_money(self, deployment: Deployment, entry: dict) -> None:
        from decimal import Decimal

        record = self.save(
            Money,
            {
                "deployment": deployment,
                "dated": entry.get("dated", ""),
                "financing": entry["financing"],
            },
            {
                "amount": Decimal(entry["amount"]) if "amount" in entry else None,
                "currency": entry.get("currency", ""),
                "note": entry.get("note", ""),
                "certainty": entry["certainty"],
            },
        )
        self.cite(record, entry.get("cite", []))

    def load_event(self, deployment: Deployment, entry: dict) -> None:
        record = self.save(
            Event,
            {"deployment": deployment, "kind": entry["kind"], "title": entry["title"]},
            {
                "date": entry.get("date", ""),
                "description": entry.get("description", ""),
                "certainty": entry["certainty"],
            },
        )
        self.cite(record, entry.get("cite", []))


def read_demo_data(path: Path = DEMO_FILE) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def load_demo(path: Path = DEMO_FILE) -> Counter[str]:
    """Load (or refresh) the demo dataset; returns counts of created and updated records.
    Derived fields and the search index follow once, at the end (``deferred_changes``).

    Raises:
        ValidationError: a record of the demo file is not valid (nothing is kept).
    """
    ensure_reference_data()
    with deferred_changes():
        counts = DemoLoader(read_demo_data(path)).load()

    counts.update(load_foi_demo())
    return counts


def ensure_reference_data() -> None:
    """Countries, the technology taxonomy and FOI laws (normally written by the migrations)
    must exist; a flushed database gets them back. Safe to run again."""
    from citywatch.atlas.taxonomy import sync_technologies
    from citywatch.foi.models import FoiLaw
    from citywatch.foi.services import sync_laws
    from citywatch.places.services import sync_countries

    if Country.objects.count() < 250:
        sync_countries(Country)
    if not Technology.objects.exists():
        sync_technologies(Technology)
    if not FoiLaw.objects.exists():
        sync_laws()
