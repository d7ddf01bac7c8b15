"""Records as API dictionaries (validated against the response schemas by django-ninja)."""

from __future__ import annotations

from typing import Any

from citywatch.actors.models import Organisation
from citywatch.atlas.filters import VENDOR_ROLES
from citywatch.atlas.models import Deployment
from citywatch.atlas.queries import citations_for, deployment_records
from citywatch.evidence.models import Source
from citywatch.exchange import meta
from citywatch.exchange.dataset import amount_text, coordinate
from citywatch.places.models import Country, LegalCardEntry, Locality


def organisation_ref(organisation: Organisation | None) -> dict[str, str] | None:
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": organisation.name, "kind": organisation.kind}


def locality(record: Locality | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "name": record.name,
        "subdivision": record.subdivision_code,
        "latitude": coordinate(record.latitude),
        "longitude": coordinate(record.longitude),
        "geonames_id": record.geonames_id,
    }


def deployment_summary(deployment: Deployment, stable_id: str) -> dict[str, Any]:
    parties = deployment.parties.all()
    vendors = []
    for party in parties:
        if party.role in VENDOR_ROLES and party.organisation not in vendors:
            vendors.append(party.organisation)
    technologies: list[str] = []
    for component in deployment.components.all():
        if component.technology.slug not in technologies:
            technologies.append(component.technology.slug)
    return {
        "id": stable_id,
        "slug": deployment.slug,
        "title": deployment.title,
        "country": {"code": deployment.country_id, "name": str(deployment.country.name)},
        "locality": locality(deployment.locality),
        "nationwide": deployment.locality_id is None,
        "status": deployment.status,
        "certainty": deployment.certainty,
        "vendors": [organisation_ref(v) for v in vendors],
        "technologies": technologies,
        "url": meta.site_url(deployment.get_absolute_url()),
        "last_changed": getattr(deployment, "last_changed", None) or deployment.updated_at,
    }


def deployment_detail(deployment: Deployment, stable_id: str) -> dict[str, Any]:
    data = deployment_summary(deployment, stable_id)
    citations = citations_for(deployment_records(deployment))
    data.update(
        summary=deployment.summary,
        parties=[
            {
                "organisation": organisation_ref(p.organisation),
                "role": p.role,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
                "certainty": p.certainty,
                "note": p.note,
            }
            for p in deployment.parties.all()
        ],
        components=[
            {
                "technology": c.technology.slug,
                "technology_name": c.technology.display_name,
                "quantity": c.quantity,
                "quantity_qualifier": c.quantity_qualifier,
                "unit": c.unit,
                "description": c.description,
                "product_models": c.product_models,
                "supplier": organisation_ref(c.supplier),
                "facial_recognition": c.facial_recognition,
                "plate_recognition": c.plate_recognition,
                "certainty": c.certainty,
            }
            for c in deployment.components.all()
        ],
        money=[
            {
                "amount": amount_text(m.amount),
                "currency": m.currency,
                "dated": m.dated,
                "financing": m.financing,
                "lender": organisation_ref(m.lender),
                "note": m.note,
                "certainty": m.certainty,
            }
            for m in deployment.money.all()
        ],
        events=[
            {
                "date": e.date,
                "kind": e.kind,
                "title": e.title,
                "description": e.description,
                "certainty": e.certainty,
            }
            for e in deployment.events.all()
        ],
        claims=[
            {
                "vendor": organisation_ref(c.vendor),
                "statement": c.statement,
                "claimed_on": c.claimed_on,
            }
            for c in deployment.claims.all()
        ],
        citations=[
            {
                "source": str(c.source.key),
                "source_title": c.source.title,
                "record": c.content_type.model,
                "field": c.field_name,
                "stated_value": c.stated_value,
                "quote": c.quote,
                "locator": c.locator,
            }
            for c in sorted(citations, key=lambda c: c.pk)
        ],
    )
    return data


def organisation(record: Organisation) -> dict[str, Any]:
    return {
        "slug": record.slug,
        "name": record.name,
        "kind": record.kind,
        "country": record.country_id,
        "parent": record.parent.slug if record.parent_id else None,
        "aliases": record.alias_list,
        "website": record.website,
        "wikidata_id": record.wikidata_id,
        "email": record.email,
        "postal_address": record.postal_address,
        "phone": record.phone,
        "description": record.description,
        "url": meta.site_url(record.get_absolute_url()),
    }


def country(record: Country, deployments: int) -> dict[str, Any]:
    return {
        "code": record.code,
        "alpha3": record.alpha3,
        "name": str(record.name),
        "deployments": deployments,
        "url": meta.site_url(record.get_absolute_url()),
    }


def legal_entry(entry: LegalCardEntry) -> dict[str, Any]:
    return {
        "topic": entry.topic,
        "status": entry.status,
        "name": entry.name,
        "in_force_since": entry.in_force_since,
        "as_of": entry.as_of,
        "summary": entry.summary,
        "url": entry.url,
    }


def source(record: Source) -> dict[str, Any]:
    return {
        "id": str(record.key),
        "title": record.title,
        "url": record.url,
        "publisher": record.publisher,
        "published_on": record.published_on,
        "language": record.language,
        "kind": record.kind,
        "notes": record.notes,
        "page": meta.site_url(record.get_absolute_url()),
    }
