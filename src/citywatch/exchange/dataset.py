"""`citywatch.json`: the whole linked public dataset, the format that round-trips.

Every record carries its stable id (``id``); links between records use those ids, never
database keys, so the file can be imported into another CityWatch and exported again unchanged.
Lists are sorted by what they contain, so two exports of the same data are identical.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db import models

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
from citywatch.atlas.queries import public_deployments
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import keys, meta, queries
from citywatch.places.models import Country, LegalCardEntry, Locality

# Plain fields copied as they are, per record type (references are handled one by one).
SOURCE_FIELDS = ["title", "url", "publisher", "published_on", "language", "kind", "notes"]
ORGANISATION_FIELDS = [
    "slug",
    "name",
    "kind",
    "aliases",
    "website",
    "wikidata_id",
    "email",
    "postal_address",
    "phone",
    "description",
]
LOCALITY_FIELDS = ["name", "subdivision_code", "geonames_id", "approximate"]
LEGAL_ENTRY_FIELDS = ["topic", "status", "name", "in_force_since", "as_of", "summary", "url"]
DEPLOYMENT_FIELDS = ["slug", "title", "summary", "status", "certainty"]
PARTY_FIELDS = ["role", "started_on", "ended_on", "certainty", "note"]
COMPONENT_FIELDS = [
    "quantity",
    "quantity_qualifier",
    "planned_quantity",
    "unit",
    "description",
    "product_models",
    "facial_recognition",
    "plate_recognition",
    "certainty",
]
MONEY_FIELDS = [
    "amount",
    "amount_max",
    "amount_qualifier",
    "currency",
    "dated",
    "financing",
    "interest_rate",
    "maturity_months",
    "grace_period_months",
    "note",
    "certainty",
]
# Decimal fields written as text, so no amount is lost to floating point.
DECIMAL_FIELDS = {"amount", "amount_max", "interest_rate"}
EVENT_FIELDS = ["date", "kind", "title", "description", "certainty"]
CLAIM_FIELDS = ["statement", "claimed_on"]
CITATION_FIELDS = ["field_name", "stated_value", "quote", "language", "locator", "note"]

# The name of each citable record type in files, and back.
TARGET_TYPES: dict[type[models.Model], str] = {
    Deployment: "deployment",
    Party: "party",
    Component: "component",
    Money: "money",
    Event: "event",
    VendorClaim: "vendor_claim",
    Organisation: "organisation",
    Locality: "locality",
    LegalCardEntry: "legal_entry",
}
TARGET_MODELS = {name: model for model, name in TARGET_TYPES.items()}


def coordinate(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def amount_text(value: Decimal | None) -> str | None:
    """Amounts stay text with two decimals, so no money is lost to floating point."""
    return None if value is None else f"{value:.2f}"


def decimal_text(value: Decimal | None) -> str | None:
    """A decimal as text without trailing zeros beyond what it holds: 2.500 -> "2.5"."""
    if value is None:
        return None
    text = f"{value.normalize():f}"
    return text


def pick(record: models.Model, names: list[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        value = getattr(record, name)
        if name in DECIMAL_FIELDS:
            value = amount_text(value) if name.startswith("amount") else decimal_text(value)
        values[name] = value
    return values


class DatasetBuilder:
    def __init__(self) -> None:
        self.ids: dict[type, dict[int, str]] = {}

    def id_of(self, model: type[models.Model], pk: int | None) -> str | None:
        if pk is None:
            return None
        return self.ids[model][pk]

    def mint(self, model: type[models.Model], pks: list[int]) -> None:
        self.ids.setdefault(model, {}).update(keys.stable_ids(model, pks))

    def build(self, exported_at: dt.datetime, release: str = "") -> dict[str, Any]:
        deployments = list(
            public_deployments()
            .select_related("country", "locality")
            .prefetch_related("parties", "components__technology", "money", "events", "claims")
            .order_by("slug")
        )
        claims_at_large = list(VendorClaim.objects.filter(deployment__isnull=True))
        organisations = list(queries.public_organisations().order_by("slug"))
        localities = list(queries.public_localities().order_by("country_id", "name"))
        legal_entries = list(queries.public_legal_entries())
        citations = list(queries.public_citations())
        sources = list(Source.objects.filter(pk__in={c.source_id for c in citations}))

        parts: dict[type, list[models.Model]] = {Party: [], Component: [], Money: [], Event: []}
        deployment_claims: list[VendorClaim] = []
        for deployment in deployments:
            parts[Party] += deployment.parties.all()
            parts[Component] += deployment.components.all()
            parts[Money] += deployment.money.all()
            parts[Event] += deployment.events.all()
            deployment_claims += deployment.claims.all()
        for model, records in [
            (Deployment, deployments),
            (Organisation, organisations),
            (Locality, localities),
            (LegalCardEntry, legal_entries),
            (Source, sources),
            (Citation, citations),
            (VendorClaim, [*claims_at_large, *deployment_claims]),
            *parts.items(),
        ]:
            self.mint(model, [record.pk for record in records])

        country_codes = {d.country_id for d in deployments} | {e.country_id for e in legal_entries}
        country_codes |= {o.country_id for o in organisations if o.country_id}
        country_codes |= {loc.country_id for loc in localities}
        return {
            "format": meta.FORMAT_NAME,
            "format_version": meta.FORMAT_VERSION,
            **meta.about(exported_at, release),
            "technologies": [
                {"slug": t.slug, "name": t.name} for t in Technology.objects.order_by("position")
            ],
            "countries": [
                {"code": c.code, "name": c.english_name}
                for c in Country.objects.filter(code__in=country_codes).order_by("code")
            ],
            "sources": sorted(
                (self.source(s) for s in sources), key=lambda r: (r["title"], r["id"])
            ),
            "organisations": [self.organisation(o) for o in organisations],
            "localities": [self.locality(loc) for loc in localities],
            "legal_entries": sorted(
                (self.legal_entry(e) for e in legal_entries),
                key=lambda r: (r["country"], r["topic"], r["name"], r["id"]),
            ),
            "deployments": [self.deployment(d) for d in deployments],
            "vendor_claims": sorted(
                (self.claim(c) for c in claims_at_large), key=lambda r: (r["vendor"], r["id"])
            ),
            "citations": sorted(
                (self.citation(c) for c in citations),
                key=lambda r: (r["target"]["type"], r["target"]["id"], r["id"]),
            ),
        }

    def source(self, source: Source) -> dict[str, Any]:
        return {"id": self.id_of(Source, source.pk), **pick(source, SOURCE_FIELDS)}

    def organisation(self, organisation: Organisation) -> dict[str, Any]:
        return {
            "id": self.id_of(Organisation, organisation.pk),
            **pick(organisation, ORGANISATION_FIELDS),
            "country": organisation.country_id,
            "parent": self.ids[Organisation].get(organisation.parent_id)
            if organisation.parent_id
            else None,
        }

    def locality(self, locality: Locality) -> dict[str, Any]:
        return {
            "id": self.id_of(Locality, locality.pk),
            **pick(locality, LOCALITY_FIELDS),
            "country": locality.country_id,
            "latitude": coordinate(locality.latitude),
            "longitude": coordinate(locality.longitude),
        }

    def legal_entry(self, entry: LegalCardEntry) -> dict[str, Any]:
        return {
            "id": self.id_of(LegalCardEntry, entry.pk),
            "country": entry.country_id,
            **pick(entry, LEGAL_ENTRY_FIELDS),
        }

    def deployment(self, deployment: Deployment) -> dict[str, Any]:
        def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(rows, key=lambda r: r["id"])

        return {
            "id": self.id_of(Deployment, deployment.pk),
            **pick(deployment, DEPLOYMENT_FIELDS),
            "country": deployment.country_id,
            "locality": self.id_of(Locality, deployment.locality_id),
            "permalink": meta.site_url(deployment.get_absolute_url()),
            "parties": by_id([self.party(p) for p in deployment.parties.all()]),
            "components": by_id([self.component(c) for c in deployment.components.all()]),
            "money": by_id([self.money(m) for m in deployment.money.all()]),
            "events": sorted(
                (self.event(e) for e in deployment.events.all()),
                key=lambda r: (r["date"] or "9999", r["id"]),
            ),
            "claims": by_id([self.claim(c) for c in deployment.claims.all()]),
        }

    def party(self, party: Party) -> dict[str, Any]:
        return {
            "id": self.id_of(Party, party.pk),
            "organisation": self.id_of(Organisation, party.organisation_id),
            **pick(party, PARTY_FIELDS),
        }

    def component(self, component: Component) -> dict[str, Any]:
        return {
            "id": self.id_of(Component, component.pk),
            "technology": component.technology.slug,
            **pick(component, COMPONENT_FIELDS),
            "supplier": self.id_of(Organisation, component.supplier_id),
        }

    def money(self, money: Money) -> dict[str, Any]:
        return {
            "id": self.id_of(Money, money.pk),
            **pick(money, MONEY_FIELDS),
            "lender": self.id_of(Organisation, money.lender_id),
        }

    def event(self, event: Event) -> dict[str, Any]:
        return {"id": self.id_of(Event, event.pk), **pick(event, EVENT_FIELDS)}

    def claim(self, claim: VendorClaim) -> dict[str, Any]:
        return {
            "id": self.id_of(VendorClaim, claim.pk),
            "vendor": self.id_of(Organisation, claim.vendor_id),
            **pick(claim, CLAIM_FIELDS),
        }

    def citation(self, citation: Citation) -> dict[str, Any]:
        model = citation.content_type.model_class()
        return {
            "id": self.id_of(Citation, citation.pk),
            "source": self.id_of(Source, citation.source_id),
            "target": {"type": TARGET_TYPES[model], "id": self.id_of(model, citation.object_id)},
            **pick(citation, CITATION_FIELDS),
        }


def build_dataset(exported_at: dt.datetime | None = None, release: str = "") -> dict[str, Any]:
    """The public dataset as one JSON-ready dictionary."""
    return DatasetBuilder().build(exported_at or queries.now(), release)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
