"""The public dataset record by record: what every export streams.

Each function here yields the records of one list of ``citywatch.json`` (or one table) in the
file's order, reading the database in chunks of ``CHUNK`` rows (``QuerySet.iterator`` with its
related rows prefetched per chunk), so an export's memory does not grow with the number of
records and its first bytes leave before the last row is read. What is public is decided by
``citywatch.exchange.queries`` (``citywatch.teams.permissions`` for an anonymous visitor).

Stable ids are read in the same query as the records (a subquery on ``RecordKey``), so lists
can be sorted by them in SQL; ``ensure_stable_ids`` mints the missing ones first. Text is
sorted by code point (the ``C`` collation on PostgreSQL), as Python sorts it, so SQLite and
PostgreSQL write the same file for the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Collate

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
from citywatch.core.data_cache import cached
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import keys, queries
from citywatch.exchange.models import CITYWATCH_SCHEME, RecordKey
from citywatch.places.models import Country, LegalCardEntry, Locality
from citywatch.teams import permissions

# Rows read from the database at a time (and prefetched together); tests make it small.
CHUNK = 1000
T = TypeVar("T")

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
PART_LISTS: dict[str, type[models.Model]] = {
    "parties": Party,
    "components": Component,
    "money": Money,
    "events": Event,
    "claims": VendorClaim,
}


# -- values ------------------------------------------------------------------------------


def coordinate(value: Any) -> float | None:
    return None if value is None else float(value)


def amount_text(value: Any) -> str | None:
    """Amounts stay text with two decimals, so no money is lost to floating point."""
    return None if value is None else f"{value:.2f}"


def decimal_text(value: Any) -> str | None:
    """A decimal as text without trailing zeros beyond what it holds: 2.500 -> "2.5"."""
    return None if value is None else f"{value.normalize():f}"


def pick(record: models.Model | Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    """The named fields of a record (a model instance or a row of ``values()``), decimals
    as text."""
    values = {}
    read = record.__getitem__ if isinstance(record, Mapping) else record.__getattribute__
    for name in names:
        value = read(name)
        if name in DECIMAL_FIELDS:
            value = amount_text(value) if name.startswith("amount") else decimal_text(value)
        values[name] = value
    return values


# -- stable ids and ordering in SQL ------------------------------------------------------


def content_type_id(model: type[models.Model]) -> int:
    return ContentType.objects.get_for_model(model).pk


def key_of(model: type[models.Model], reference: str = "pk") -> Subquery:
    """The stable id of the ``model`` record whose primary key is in column ``reference``, as
    the public dataset names it: the oldest id the record claims that no older claim of
    another public record precedes (``keys.owned_claims``; ``keys.stable_ids`` reads it so)."""
    return Subquery(
        keys.owned_claims(model, preceded=public_preceded_claims(model))
        .filter(object_id=OuterRef(reference))
        .order_by("pk")
        .values("key")[:1],
        output_field=CharField(),
    )


def public_scope(model: type[models.Model]) -> QuerySet | None:
    """The public records of ``model`` (``public_sets``); None for a kind the dataset does not
    list on its own (every record then counts)."""
    records = public_sets().get(model)
    return records() if records is not None else None


def public_preceded_claims(model: type[models.Model]) -> list[int]:
    """``keys.preceded_claims`` among the public records of ``model`` (kept until the data
    changes, ``citywatch.core.data_cache``)."""
    return cached(
        ("export-preceded-claims", model._meta.label_lower),
        lambda: keys.preceded_claims(model, public_scope(model)),
    )


def target_key() -> Subquery:
    """The stable id of a citation's target, whatever its type (as ``key_of`` reads it)."""
    preceded = [pk for model in public_sets() for pk in public_preceded_claims(model)]
    claims = RecordKey.objects.filter(
        scheme=CITYWATCH_SCHEME,
        content_type_id=OuterRef("content_type_id"),
        object_id=OuterRef("object_id"),
    )
    if preceded:
        claims = claims.exclude(pk__in=preceded)
    return Subquery(claims.order_by("pk").values("key")[:1], output_field=CharField())


def bytewise(expression: str | Any) -> Any:
    """Order text by code point, as Python's ``sorted`` does (PostgreSQL's ``C`` collation;
    SQLite compares bytes already)."""
    expression = F(expression) if isinstance(expression, str) else expression
    return Collate(expression, "C") if connection.vendor == "postgresql" else expression


def cited_sources() -> QuerySet[Source]:
    """Sources the public dataset lists: those its public citations name."""
    return Source.objects.filter(pk__in=queries.public_citations().values("source_id"))


def public_sets() -> dict[type[models.Model], Callable[[], QuerySet]]:
    """Every kind of record the dataset names by stable id, narrowed to what anyone may see."""
    return {
        Deployment: public_deployments,
        **{model: (lambda m=model: queries.public_parts(m)) for model in queries.DEPLOYMENT_PARTS},
        VendorClaim: queries.public_vendor_claims,
        Organisation: queries.public_organisations,
        Locality: queries.public_localities,
        LegalCardEntry: queries.public_legal_entries,
        Source: cited_sources,
        Citation: queries.public_citations,
    }


def missing_stable_ids(model: type[models.Model]) -> QuerySet:
    """The ids (``pk``) of the public ``model`` records that own no stable id among the public
    records, in order: each record probed by kind, record and scheme (the index
    ``record_key_of_record``)."""
    claims = keys.owned_claims(model, preceded=public_preceded_claims(model))
    return (
        public_sets()[model]()
        .order_by("pk")
        .select_related(None)
        .filter(~Exists(claims.filter(object_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )


def mint_missing(model: type[models.Model], batch: int = 5000) -> bool:
    """Give every public ``model`` record that owns no stable id among the public records
    (``keys.owned_claims``) one. Returns True.

    One query when nothing is missing; otherwise a batch of inserts per ``batch`` records
    (``keys.stable_ids``)."""
    missing = missing_stable_ids(model)
    while pks := list(missing[:batch]):
        keys.stable_ids(model, pks, public_sets()[model]())
        if len(pks) < batch:
            break
    return True


def ensure_stable_ids(models_named: Iterable[type[models.Model]]) -> None:
    """Mint the stable ids an export will name, before it starts (checked once per change of
    the data, ``citywatch.core.data_cache``)."""
    for model in models_named:
        cached(("export-stable-ids", model._meta.label_lower), lambda m=model: mint_missing(m))


def chunks(records: QuerySet[T] | Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """Lists of at most ``size`` records (``CHUNK``), read with ``iterator()`` so a queryset's
    prefetches run once per chunk."""
    size = size or CHUNK
    rows = records.iterator(chunk_size=size) if isinstance(records, QuerySet) else records
    batch: list[T] = []
    for record in rows:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def each(records: QuerySet[T]) -> Iterator[T]:
    for batch in chunks(records):
        yield from batch


# -- top-level lists -----------------------------------------------------------------------


def technologies() -> list[dict[str, Any]]:
    return [
        {"slug": slug, "name": name}
        for slug, name in Technology.objects.order_by("position").values_list("slug", "name")
    ]


def countries() -> list[dict[str, Any]]:
    """Countries any public deployment, legal entry, organisation or locality is in."""
    used = (
        Q(code__in=public_deployments().values("country_id"))
        | Q(code__in=queries.public_legal_entries().values("country_id"))
        | Q(code__in=queries.public_organisations().values("country_id"))
        | Q(code__in=queries.public_localities().values("country_id"))
    )
    return [
        {"code": code, "name": name}
        for code, name in Country.objects.filter(used)
        .order_by("code")
        .values_list("code", "english_name")
    ]


Row = dict[str, Any]


def source_record(source: Mapping[str, Any]) -> Row:
    return {"id": source["export_id"], **pick(source, SOURCE_FIELDS)}


def sources() -> Iterator[Row]:
    """Sorted by title, then stable id."""
    rows = (
        cited_sources()
        .annotate(export_id=key_of(Source))
        .order_by(bytewise("title"), bytewise("export_id"))
        .values("export_id", *SOURCE_FIELDS)
    )
    for source in each(rows):
        yield source_record(source)


def organisations() -> Iterator[Row]:
    """Sorted by slug; a parent is named only when it is public too."""
    public = queries.public_organisations()
    rows = (
        public.annotate(
            export_id=key_of(Organisation),
            parent_export_id=Case(
                When(parent_id__in=public.values("pk"), then=key_of(Organisation, "parent_id")),
                default=Value(None),
                output_field=CharField(),
            ),
        )
        .order_by("slug")
        .values("export_id", "parent_export_id", "country_id", *ORGANISATION_FIELDS)
    )
    for organisation in each(rows):
        yield {
            "id": organisation["export_id"],
            **pick(organisation, ORGANISATION_FIELDS),
            "country": organisation["country_id"],
            "parent": organisation["parent_export_id"],
        }


LOCALITY_VALUES = [*LOCALITY_FIELDS, "country_id", "latitude", "longitude"]


def locality_record(locality: Mapping[str, Any], export_id: str) -> Row:
    return {
        "id": export_id,
        **pick(locality, LOCALITY_FIELDS),
        "country": locality["country_id"],
        "latitude": coordinate(locality["latitude"]),
        "longitude": coordinate(locality["longitude"]),
    }


def localities() -> Iterator[Row]:
    rows = (
        queries.public_localities()
        .annotate(export_id=key_of(Locality))
        .order_by("country_id", "name")
        .values("export_id", *LOCALITY_VALUES)
    )
    for locality in each(rows):
        yield locality_record(locality, locality["export_id"])


def legal_entries() -> Iterator[Row]:
    """Sorted by country, topic, name, then stable id."""
    rows = (
        queries.public_legal_entries()
        .annotate(export_id=key_of(LegalCardEntry))
        .order_by(*(bytewise(name) for name in ("country_id", "topic", "name", "export_id")))
        .values("export_id", "country_id", *LEGAL_ENTRY_FIELDS)
    )
    for entry in each(rows):
        yield {
            "id": entry["export_id"],
            "country": entry["country_id"],
            **pick(entry, LEGAL_ENTRY_FIELDS),
        }


# -- deployments and their parts -----------------------------------------------------------


def party_record(party: Mapping[str, Any]) -> Row:
    return {
        "id": party["export_id"],
        "organisation": party["organisation_export_id"],
        **pick(party, PARTY_FIELDS),
    }


def component_record(component: Mapping[str, Any]) -> Row:
    return {
        "id": component["export_id"],
        "technology": component["technology__slug"],
        **pick(component, COMPONENT_FIELDS),
        "supplier": component["supplier_export_id"],
    }


def money_record(money: Mapping[str, Any]) -> Row:
    return {
        "id": money["export_id"],
        **pick(money, MONEY_FIELDS),
        "lender": money["lender_export_id"],
    }


def event_record(event: Mapping[str, Any]) -> Row:
    return {"id": event["export_id"], **pick(event, EVENT_FIELDS)}


def claim_record(claim: Mapping[str, Any]) -> Row:
    return {
        "id": claim["export_id"],
        "vendor": claim["vendor_export_id"],
        **pick(claim, CLAIM_FIELDS),
    }


# Per part: its record's shape, its fields, and the organisation it names (if any).
PART_SHAPES: dict[type[models.Model], tuple[Callable[[Mapping[str, Any]], Row], list[str]]] = {
    Party: (party_record, ["organisation_export_id", "organisation_id", *PARTY_FIELDS]),
    Component: (
        component_record,
        ["technology__slug", "supplier_export_id", "supplier_id", *COMPONENT_FIELDS],
    ),
    Money: (money_record, ["lender_export_id", "lender_id", *MONEY_FIELDS]),
    Event: (event_record, EVENT_FIELDS),
    VendorClaim: (claim_record, ["vendor_export_id", "vendor_id", *CLAIM_FIELDS]),
}
ORGANISATION_REFERENCES = ("organisation_id", "supplier_id", "lender_id", "vendor_id")


def parts_of(model: type[models.Model]) -> QuerySet:
    """A deployment part's public records with the stable ids they carry and name."""
    records = (
        queries.public_vendor_claims() if model is VendorClaim else queries.public_parts(model)
    )
    records = records.annotate(export_id=key_of(model))
    if model is Party:
        records = records.annotate(organisation_export_id=key_of(Organisation, "organisation_id"))
    elif model is Component:
        records = records.annotate(supplier_export_id=key_of(Organisation, "supplier_id"))
    elif model is Money:
        records = records.annotate(lender_export_id=key_of(Organisation, "lender_id"))
    elif model is VendorClaim:
        records = records.annotate(vendor_export_id=key_of(Organisation, "vendor_id"))
    return records


def part_rows(model: type[models.Model], records: QuerySet, *extra: str) -> QuerySet:
    """``values()`` of a part's records: what its shape reads, its pk and deployment."""
    return records.values("pk", "deployment_id", "export_id", *PART_SHAPES[model][1], *extra)


def undated_last(name: str = "date") -> Case:
    """A partial date for sorting, with "9999" for an unknown one (undated events last)."""
    return Case(
        When(Q(**{name: ""}) | Q(**{f"{name}__isnull": True}), then=Value("9999")),
        default=F(name),
        output_field=CharField(),
    )


def by_id(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: r["id"])


def deployment_record(deployment: Mapping[str, Any], parts: Mapping[str, list[Row]]) -> Row:
    """A deployment with its parts (``parts``: list name -> shaped records)."""
    return {
        "id": deployment["export_id"],
        **pick(deployment, DEPLOYMENT_FIELDS),
        "country": deployment["country_id"],
        "locality": deployment["locality_export_id"],
        "permalink": permalink(deployment["slug"]),
        "parties": by_id(parts.get("parties", [])),
        "components": by_id(parts.get("components", [])),
        "money": by_id(parts.get("money", [])),
        "events": sorted(parts.get("events", []), key=lambda r: (r["date"] or "9999", r["id"])),
        "claims": by_id(parts.get("claims", [])),
    }


_permalink_pattern: dict[str, str] = {}


def permalink(slug: str) -> str:
    """The deployment page's absolute address (reversed once, not per row)."""
    from django.urls import reverse

    from citywatch.exchange import meta

    if "pattern" not in _permalink_pattern:
        marker = "slug-placeholder"
        _permalink_pattern["pattern"] = meta.site_url(reverse("atlas:deployment", args=[marker]))
        _permalink_pattern["marker"] = marker
    return _permalink_pattern["pattern"].replace(_permalink_pattern["marker"], slug)


LOCALITY_OF_DEPLOYMENT = {f"locality__{name}": name for name in LOCALITY_VALUES}


def deployment_queryset() -> QuerySet:
    """Public deployments by slug, as ``values()`` rows with their locality's fields."""
    return (
        public_deployments()
        .select_related(None)
        .annotate(export_id=key_of(Deployment), locality_export_id=key_of(Locality, "locality_id"))
        .order_by("slug")
        .values(
            "pk",
            "export_id",
            "country_id",
            "locality_id",
            "locality_export_id",
            *DEPLOYMENT_FIELDS,
            *LOCALITY_OF_DEPLOYMENT,
        )
    )


@dataclass
class DeploymentChunk:
    """Up to ``CHUNK`` deployments (as ``citywatch.json`` writes them) and what the flat
    formats need to describe them: the organisations and localities they name, and the
    sources cited for each deployment or one of its parts, in citation order."""

    deployments: list[Row]
    organisations: dict[str, Row] = field(default_factory=dict)
    localities: dict[str, Row] = field(default_factory=dict)
    cited: dict[str, list[Row]] = field(default_factory=dict)
    last_changed: dict[str, dt.datetime] = field(default_factory=dict)


def deployment_records() -> Iterator[Row]:
    """Public deployments, sorted by slug, each with its parts."""
    for chunk in deployment_chunks(context=False):
        yield from chunk.deployments


def deployment_chunks(
    with_last_changed: bool = False, context: bool = True
) -> Iterator[DeploymentChunk]:
    """Public deployments by chunk, with their context (a constant number of queries per
    chunk: the deployments, their five kinds of parts and, with ``context``, the
    organisations and citations they name and, for OCDS, when each last changed)."""
    # The visibility filters are built once per export; each chunk narrows them.
    parts = {name: part_rows(model, parts_of(model)) for name, model in PART_LISTS.items()}
    for batch in chunks(deployment_queryset()):
        yield describe(batch, parts, with_last_changed, context)


def describe(
    batch: list[dict[str, Any]],
    part_sets: dict[str, QuerySet],
    with_last_changed: bool,
    context: bool,
) -> DeploymentChunk:
    pks = [deployment["pk"] for deployment in batch]
    key_by_pk = {deployment["pk"]: deployment["export_id"] for deployment in batch}
    owner: dict[tuple[int, int], str] = {
        (content_type_id(Deployment), pk): key for pk, key in key_by_pk.items()
    }
    cited_records: dict[type[models.Model], list[int]] = {Deployment: pks}
    parts: dict[int, dict[str, list[Row]]] = {pk: {} for pk in pks}
    organisation_pks: set[int] = set()
    for name, model in PART_LISTS.items():
        shape = PART_SHAPES[model][0]
        model_type = content_type_id(model)
        for row in part_sets[name].filter(deployment_id__in=pks):
            parts[row["deployment_id"]].setdefault(name, []).append(shape(row))
            owner[(model_type, row["pk"])] = key_by_pk[row["deployment_id"]]
            cited_records.setdefault(model, []).append(row["pk"])
            for reference in ORGANISATION_REFERENCES:
                if row.get(reference):
                    organisation_pks.add(row[reference])
    chunk = DeploymentChunk([deployment_record(d, parts[d["pk"]]) for d in batch])
    if not context:
        return chunk
    for deployment in batch:
        if deployment["locality_id"]:
            place = {name: deployment[column] for column, name in LOCALITY_OF_DEPLOYMENT.items()}
            key = deployment["locality_export_id"]
            chunk.localities[key] = locality_record(place, key)
    named = (
        Organisation.objects.filter(pk__in=organisation_pks)
        .annotate(export_id=key_of(Organisation))
        .values_list("export_id", "name", "kind", "country_id")
    )
    chunk.organisations = {
        key: {"id": key, "name": name, "kind": kind, "country": country}
        for key, name, kind, country in named
    }
    chunk.cited = cited_sources_of(cited_records, owner)
    if with_last_changed:
        chunk.last_changed = dict(
            queries.with_last_changed(Deployment.objects.filter(pk__in=pks))
            .annotate(export_id=key_of(Deployment))
            .values_list("export_id", "last_changed")
        )
    return chunk


def cited_sources_of(
    records: dict[type[models.Model], list[int]], owner: dict[tuple[int, int], str]
) -> dict[str, list[Row]]:
    """{deployment's stable id: sources cited for it or one of its parts}, each source once,
    in the order of the citations (``citation_queryset``). ``records``: the deployments and
    parts of one chunk, by model (``permissions.citations_of_q`` decides what is seen)."""
    rows = citation_queryset(permissions.citations_of_q(None, records)).values(
        "content_type_id",
        "object_id",
        "source_export_id",
        *(f"source__{name}" for name in SOURCE_FIELDS),
    )
    cited: dict[str, list[Row]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        deployment_key = owner.get((row["content_type_id"], row["object_id"]))
        if deployment_key is None or (deployment_key, row["source_export_id"]) in seen:
            continue
        seen.add((deployment_key, row["source_export_id"]))
        source = {"export_id": row["source_export_id"]}
        source.update({name: row[f"source__{name}"] for name in SOURCE_FIELDS})
        cited.setdefault(deployment_key, []).append(source_record(source))
    return cited


def part_table(model: type[models.Model]) -> Iterator[Row]:
    """One part table's rows in the file's order: by deployment (slug), then as listed in the
    deployment (by stable id; events by date)."""
    records = parts_of(model).annotate(deployment_export_id=key_of(Deployment, "deployment_id"))
    shape = PART_SHAPES[model][0]
    order: list[Any] = ["deployment__slug"]
    if model is Event:
        order.append(bytewise(undated_last()))
    order.append(bytewise("export_id"))
    if model is VendorClaim:
        records = records.filter(deployment__isnull=False)
    rows = part_rows(model, records.order_by(*order), "deployment_export_id")
    for row in each(rows):
        yield {**shape(row), "deployment": row["deployment_export_id"]}


def vendor_claims_at_large() -> Iterator[Row]:
    """Claims about a vendor, not a deployment; sorted by vendor, then stable id."""
    rows = part_rows(
        VendorClaim,
        parts_of(VendorClaim)
        .filter(deployment__isnull=True)
        .order_by(bytewise("vendor_export_id"), bytewise("export_id")),
    )
    for claim in each(rows):
        yield claim_record(claim)


def citation_queryset(visible: Q | None = None) -> QuerySet[Citation]:
    """Public citations of citable records (or those of ``visible``, a filter of
    ``citywatch.teams.permissions``) with their stable ids, the target's type name and stable
    id, sorted by those (then by the citation's own id)."""
    kinds = {content_type_id(model): name for model, name in TARGET_TYPES.items()}
    citations = queries.public_citations() if visible is None else Citation.objects.filter(visible)
    return (
        citations.select_related(None)
        .filter(content_type_id__in=list(kinds))
        .annotate(
            export_id=key_of(Citation),
            source_export_id=key_of(Source, "source_id"),
            target_type=Case(
                *(When(content_type_id=pk, then=Value(name)) for pk, name in kinds.items()),
                output_field=CharField(),
            ),
            target_export_id=target_key(),
        )
        .order_by(bytewise("target_type"), bytewise("target_export_id"), bytewise("export_id"))
    )


def citations() -> Iterator[Row]:
    rows = citation_queryset().values(
        "export_id", "source_export_id", "target_type", "target_export_id", *CITATION_FIELDS
    )
    for citation in each(rows):
        yield {
            "id": citation["export_id"],
            "source": citation["source_export_id"],
            "target": {"type": citation["target_type"], "id": citation["target_export_id"]},
            **pick(citation, CITATION_FIELDS),
        }


def country_points() -> dict[str, tuple[Any, Any]]:
    """{country code: (longitude, latitude)} of every country's capital or centre."""
    return {
        code: (longitude, latitude)
        for code, longitude, latitude in Country.objects.values_list(
            "code", "longitude", "latitude"
        )
    }


def country_names() -> dict[str, str]:
    return dict(Country.objects.values_list("code", "english_name"))


def technology_names() -> dict[str, str]:
    return dict(Technology.objects.values_list("slug", "name"))
