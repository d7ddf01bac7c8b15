"""Writes for the atlas: the one owner of deployment writes (a deployment, its place, parties,
components, money, events, vendor claims, new sources and organisations, and the citations
beside each fact), and keeping each deployment's derived search text and years current.

Two ways in, both transactional and permission-checked through ``citywatch.teams.permissions``:

- a *change* (plain JSON, see below): ``create_deployment``, ``update_deployment``,
  ``check_deployment_changes`` and ``add_*`` — the deal page, proposals, the API;
- a *record* built by a writer that brings whole records (tips, fact suggestions, cited
  passages, importers, the demo loader): ``save_record`` and ``delete_record``, with ``by``
  the user, or ``permissions.INTERNAL`` for a system write (the command line's import, the demo
  loader) that has already been authorised.

Every write ends in one ``deployment_changed`` signal (``citywatch.core.signals``) naming the
deployments whose records changed: derived fields and the search index listen to it. Inside
``deferred_changes()`` (an import) the signal is sent once, for every deployment, at the end.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries as country_names

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
from citywatch.core import bulk, slugs
from citywatch.core.change_reasons import ADDRESS_GIVEN_UP
from citywatch.core.choices import Visibility
from citywatch.core.data_cache import data_changed
from citywatch.core.partial_dates import PartialDate
from citywatch.core.signals import deployment_changed, organisation_moved, records_created
from citywatch.core.text import fold
from citywatch.evidence import services as evidence_services
from citywatch.evidence.models import Citation, Source
from citywatch.places.gazetteer import find_cities
from citywatch.places.models import Country, Locality
from citywatch.places.services import PlaceError, locate
from citywatch.teams import permissions
from citywatch.teams.models import Team

SEARCH_LANGUAGES = ("en", "es", "fr", "sr-latn")


@functools.cache
def localised_country_names(code: str) -> tuple[str, ...]:
    """The country's name in each search language (kept: the names do not change while the
    process runs)."""
    names = []
    for language in SEARCH_LANGUAGES:
        with translation.override(language):
            names.append(str(country_names.name(code)))
    return tuple(names)


def searchable_text(deployment: Deployment) -> str:
    """Title, summary, places and organisation names, folded for accent-free matching.

    Reads the deployment's parties and components (prefetch ``parties__organisation`` and
    ``components__supplier`` to read many deployments in a few queries)."""
    return search_text_of(deployment, deployment.parties.all(), deployment.components.all())


def search_text_of(
    deployment: Deployment, parties: Iterable[Party], components: Iterable[Component]
) -> str:
    """``searchable_text`` of a deployment with these parties and components (saved or not:
    an import computes it before writing the rows)."""
    parts = [deployment.title, deployment.summary, *localised_country_names(deployment.country_id)]
    if deployment.locality_id:
        parts.append(deployment.locality.name)
    for party in parties:
        parts.extend([party.organisation.name, party.organisation.aliases])
    for component in components:
        parts.append(component.product_models)
        if component.supplier:
            parts.append(component.supplier.name)
    return fold(" ".join(part for part in parts if part))


def activity_years(deployment: Deployment) -> tuple[int | None, int | None]:
    """The first and last year any dated part of the deal mentions."""
    return years_of(deployment.events.all(), deployment.money.all(), deployment.parties.all())


def years_of(
    events: Iterable[Event], money: Iterable[Money], parties: Iterable[Party]
) -> tuple[int | None, int | None]:
    """``activity_years`` of a deployment with these events, amounts and parties."""
    texts: list[str] = [event.date for event in events]
    texts += [item.dated for item in money]
    for party in parties:
        texts += [party.started_on, party.ended_on]
    years = [PartialDate.parse(text).year for text in texts if text]
    return (min(years), max(years)) if years else (None, None)


DERIVED_BATCH = 500


def refresh_derived_fields(deployment_ids: Iterable[int]) -> None:
    """Recompute search text and years of these deployments, a batch at a time (a constant
    number of queries per batch of ``DERIVED_BATCH``), writing only the rows whose values
    changed; uses ``bulk_update`` so history and timestamps are untouched."""
    ids = sorted({pk for pk in deployment_ids if pk is not None})
    for start in range(0, len(ids), DERIVED_BATCH):
        batch = (
            Deployment.objects.filter(pk__in=ids[start : start + DERIVED_BATCH])
            .select_related("locality")
            .prefetch_related("parties__organisation", "components__supplier", "events", "money")
            .only(
                "pk",
                "title",
                "summary",
                "country_id",
                "locality__name",
                "search_text",
                "first_year",
                "last_year",
            )
        )
        changed = []
        for deployment in batch:
            first_year, last_year = activity_years(deployment)
            values = (searchable_text(deployment), first_year, last_year)
            if values != (deployment.search_text, deployment.first_year, deployment.last_year):
                deployment.search_text, deployment.first_year, deployment.last_year = values
                changed.append(deployment)
        if changed:
            Deployment.objects.bulk_update(changed, ["search_text", "first_year", "last_year"])


# --- one signal for every change to a deployment's records ---------------------------------

_deferred = threading.local()


def deployment_records_changed(
    deployment_ids: Iterable[int | None], *, derived: str = "stale"
) -> None:
    """Say that records of these deployments changed (a deployment, a part, a claim, a
    citation, an organisation or place they name): ``deployment_changed`` is sent now, or once
    at the end of ``deferred_changes()``.

    ``derived``: "stale" (search text and years must be computed again), "current" (they
    were computed from the records as written: ``save_records_in_bulk``), or "kept" (the
    change does not touch them: a citation)."""
    ids = {pk for pk in deployment_ids if pk is not None}
    if not ids:
        return
    pending = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.update(ids)
        if derived == "current":
            _deferred.current.update(ids)
        elif derived == "stale":
            _deferred.current.difference_update(ids)
        return
    current = frozenset(ids) if derived != "stale" else frozenset()
    deployment_changed.send(
        sender=Deployment, deployment_ids=frozenset(ids), derived_current=current
    )


@contextlib.contextmanager
def deferred_changes() -> Iterator[set[int]]:
    """Within the block, collect the deployments whose records change and send
    ``deployment_changed`` once at its end, for all of them (derived fields and the search
    index then work in batches, not once per saved row). Nested blocks join the outer one.
    An exception leaves nothing to send: the caller's transaction is rolled back.

    Yields the set of collected deployment ids."""
    if getattr(_deferred, "ids", None) is not None:
        yield _deferred.ids
        return
    _deferred.ids = set()
    _deferred.current = set()
    try:
        yield _deferred.ids
        ids, current = _deferred.ids, _deferred.current
    finally:
        _deferred.ids = None
    if ids:
        deployment_changed.send(
            sender=Deployment,
            deployment_ids=frozenset(ids),
            derived_current=frozenset(current & ids),
        )


# --- saving whole records (tips, suggestions, imports, the demo loader) ---------------------

PART_RECORDS: tuple[type[models.Model], ...] = (Party, Component, Money, Event, VendorClaim)
DEPLOYMENT_RECORDS: tuple[type[models.Model], ...] = (Deployment, *PART_RECORDS)


def is_deployment_record(record: models.Model) -> bool:
    """Whether atlas owns writing this record: a deployment, one of its parts, a vendor claim,
    or a citation backing one of them."""
    if isinstance(record, DEPLOYMENT_RECORDS):
        return True
    if isinstance(record, Citation) and record.content_type_id is not None:
        model = ContentType.objects.get_for_id(record.content_type_id).model_class()
        return model in DEPLOYMENT_RECORDS
    return False


def owning_deployment_id(record: models.Model) -> int | None:
    """The id of the deployment a record of the aggregate belongs to (None for a vendor's
    claim about itself, or a new deployment)."""
    if isinstance(record, Deployment):
        return record.pk
    if isinstance(record, Citation):
        model = ContentType.objects.get_for_id(record.content_type_id).model_class()
        if model is Deployment:
            return record.object_id
        return (
            model._default_manager.filter(pk=record.object_id)
            .values_list("deployment_id", flat=True)
            .first()
        )
    return getattr(record, "deployment_id", None)


def may_write(by: Any, record: models.Model) -> bool:
    """Whether ``by`` may write this record of the aggregate directly (not as a proposal):
    ``permissions.INTERNAL`` always (a system write its caller authorised); a user who reviews
    the owning deployment's team (for a new deployment: its future team, or a site
    administrator when no team owns it); a vendor's claim about itself (no deployment) by a
    reviewer of any team, as reference data."""
    if by is permissions.INTERNAL:
        return True
    if isinstance(record, Deployment) and record.pk is None:
        if record.owner_team_id is None:
            return permissions.is_superuser(by)
        return permissions.has_capability(by, permissions.Capability.REVIEW, record.owner_team_id)
    deployment_id = owning_deployment_id(record)
    if deployment_id is None:
        return permissions.can_review_anything(by)
    return permissions.can_review(by, Deployment(pk=deployment_id))


def save_record(
    record: models.Model,
    *,
    by: Any,
    reason: str = "",
    validate: bool = True,
    exclude: Iterable[str] = (),
) -> models.Model:
    """Save one record of a deployment's aggregate as it stands (validated with
    ``full_clean`` unless ``validate`` is False; ``exclude`` names fields not to validate),
    with ``reason`` in its history, in one transaction.

    Raises:
        PermissionDenied: ``by`` may not write it (see ``may_write``).
        ValidationError: the record is not valid.
        ValueError: the record is not a deployment, part, claim or citation of one.
    """
    if not is_deployment_record(record):
        raise ValueError(f"{type(record).__name__} is not written by atlas")
    if not may_write(by, record):
        raise PermissionDenied
    if isinstance(record, Deployment):
        settle_deployment_slug(record)
    if validate:
        record.full_clean(exclude=list(exclude) or None)
    if reason:
        record._change_reason = reason[:CHANGE_REASON_LENGTH]
    with transaction.atomic():
        record.save()
    return record


# --- many new records at once (imports of large files) -------------------------------------

BULK_BATCH = 500


def check_new_record(record: models.Model) -> None:
    """Validate a new record of a deployment's aggregate by the rules ``save_record`` applies
    (``full_clean``), without asking the database (``core.bulk.check_new``): the caller has
    settled, for many records at once, that every record it names exists and that nothing
    unique is taken.

    Raises:
        ValidationError: the record is not valid (the same messages as ``save_record``).
    """
    bulk.check_new(record)


def save_records_in_bulk(
    records: Iterable[models.Model], *, by: Any, reason: str = ""
) -> list[models.Model]:
    """Create many new records of deployments' aggregates at once: deployments, their parts
    (parties, components, money, events, vendor claims) and citations of them, each model's
    rows and their history rows (``reason`` in each, the account as ``save_record`` would
    record it) in a few inserts per ``BULK_BATCH``, then one ``deployment_changed`` for all
    (or one at the end of ``deferred_changes()``) and one change of the page cache's
    generation. What ``save_record`` does per record, done for all: the permission check, the
    slug a hidden deployment needs (``settle_deployment_slug``), control characters removed
    from the text (``core.signals``).

    ``records``: new (unsaved) records, each already checked by ``check_new_record`` and
    with its related records settled by the caller; a part names its deployment as an
    instance (saved here first), a citation names a saved record. Returns them, saved.

    Raises:
        PermissionDenied: ``by`` may not write one of them (see ``may_write``); nothing is
            written then.
        ValueError: a record is saved already, or is not a deployment, part, claim or
            citation of one.
    """
    records = list(records)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for record in records:
        if record.pk is not None or not is_deployment_record(record):
            raise ValueError(f"{type(record).__name__} is not a new record written by atlas")
        by_model.setdefault(type(record), []).append(record)
    if by is not permissions.INTERNAL:
        allowed: dict[Any, bool] = {}
        for record in records:
            if isinstance(record, Deployment):
                deployment: Any = record
            else:
                deployment = record._state.fields_cache.get("deployment")
            if isinstance(deployment, Deployment) and deployment.pk is None:
                # A part of a deployment made here: whoever may make the deployment.
                key: Any = ("new", deployment.owner_team_id)
                check = deployment
            else:
                key, check = ("record", owning_deployment_id(record)), record
            if key not in allowed:
                allowed[key] = may_write(by, check)
            if not allowed[key]:
                raise PermissionDenied
    for model, batch in by_model.items():
        # The text as it will be written (``save()`` removes control characters) is what
        # the search text and the slugs are made from, as on the row-by-row path.
        bulk.remove_controls(model, batch)
    for deployment in by_model.get(Deployment, []):
        settle_deployment_slug(deployment)
    deployments = by_model.get(Deployment, [])
    parts = fill_derived_fields(deployments, records)
    reason = reason[:CHANGE_REASON_LENGTH]
    changed: set[int] = set()
    with transaction.atomic():
        for model in (Deployment, *PART_RECORDS):
            changed |= _create_in_bulk(model, by_model.get(model, []), reason)
        cited = _create_in_bulk(Citation, by_model.get(Citation, []), reason)
    for model, batch in by_model.items():
        if model is Deployment:
            # The search index indexes them from the records in hand (``parts``).
            by_pk = {deployment.pk: parts[id(deployment)] for deployment in deployments}
            records_created.send(sender=model, records=batch, parts=by_pk)
        else:
            records_created.send(sender=model, records=batch)
    data_changed()
    new = {deployment.pk for deployment in deployments}
    deployment_records_changed(new, derived="current")
    deployment_records_changed(changed - new)
    deployment_records_changed(cited - changed, derived="kept")
    return records


# The lists of a deployment's parts, by the name of its relation, in the order the database
# gives them (each model's ``Meta.ordering``; records of one deployment made in one batch are
# numbered in the order given, so that order breaks ties as the id does).
PART_RELATIONS: dict[type[models.Model], str] = {
    Party: "parties",
    Component: "components",
    Money: "money",
    Event: "events",
    VendorClaim: "claims",
}


def parts_in_order(
    own: dict[type[models.Model], list[models.Model]], positions: dict[int, int]
) -> dict[str, list[models.Model]]:
    """A new deployment's parts, by relation name ("parties" …), each list in the order
    ``deployment.<relation>.all()`` gives once they are saved (``Meta.ordering``: a party by
    role and organisation name, a component by its technology's position, an amount by
    date, an event by date, a claim by vendor name and newest claim first), parties'
    organisations, components' suppliers and claims' vendors set as instances."""
    claims = sorted(own.get(VendorClaim, []), key=lambda c: c.claimed_on, reverse=True)
    return {
        "parties": sorted(own.get(Party, []), key=lambda p: (p.role, p.organisation.name)),
        "components": sorted(
            own.get(Component, []), key=lambda c: positions.get(c.technology_id, 0)
        ),
        "money": sorted(own.get(Money, []), key=lambda m: m.dated),
        "events": sorted(own.get(Event, []), key=lambda e: e.date),
        "claims": sorted(claims, key=lambda c: c.vendor.name),
    }


def fill_derived_fields(
    deployments: list[Deployment], records: list[models.Model]
) -> dict[int, dict[str, list[models.Model]]]:
    """Set the search text and years of new deployments from their parts among ``records``
    (by ``search_text_of`` and ``years_of``, as ``refresh_derived_fields`` would after
    saving), reading the organisations, places, countries and technologies they name in one
    query per batch (and setting them as instances: the search index reads them).

    Returns each deployment's parts (``parts_in_order``), keyed by ``id(deployment)``."""
    if not deployments:
        return {}
    own_parts: dict[int, dict[type[models.Model], list[models.Model]]] = {
        id(deployment): {} for deployment in deployments
    }
    organisation_ids: set[int] = set()
    for record in records:
        deployment = record._state.fields_cache.get("deployment")
        if deployment is not None and id(deployment) in own_parts:
            own_parts[id(deployment)].setdefault(type(record), []).append(record)
            for name in ("organisation_id", "supplier_id", "vendor_id"):
                if getattr(record, name, None) is not None:
                    organisation_ids.add(getattr(record, name))
    organisations = _in_bulk(Organisation, organisation_ids)
    technologies = Technology.objects.in_bulk()
    positions = {pk: technology.position for pk, technology in technologies.items()}
    countries = _in_bulk(Country, {d.country_id for d in deployments})
    localities = _in_bulk(
        Locality,
        {
            d.locality_id
            for d in deployments
            if d.locality_id and not Deployment.locality.is_cached(d)
        },
    )
    found: dict[int, dict[str, list[models.Model]]] = {}
    for deployment in deployments:
        if deployment.locality_id and not Deployment.locality.is_cached(deployment):
            deployment.locality = localities[deployment.locality_id]
        if not Deployment.country.is_cached(deployment):
            deployment.country = countries[deployment.country_id]
        own = own_parts[id(deployment)]
        for party in own.get(Party, []):
            party.organisation = organisations[party.organisation_id]
        for component in own.get(Component, []):
            component.technology = technologies[component.technology_id]
            if component.supplier_id is not None:
                component.supplier = organisations[component.supplier_id]
        for claim in own.get(VendorClaim, []):
            claim.vendor = organisations[claim.vendor_id]
        ordered = parts_in_order(own, positions)
        deployment.search_text = search_text_of(
            deployment, ordered["parties"], ordered["components"]
        )
        deployment.first_year, deployment.last_year = years_of(
            ordered["events"], ordered["money"], ordered["parties"]
        )
        found[id(deployment)] = ordered
    return found


def _in_bulk(model: type[models.Model], pks: set[Any]) -> dict[Any, Any]:
    ordered = sorted(pks)
    found: dict[Any, Any] = {}
    for start in range(0, len(ordered), BULK_BATCH):
        found.update(model._default_manager.in_bulk(ordered[start : start + BULK_BATCH]))
    return found


def _create_in_bulk(model: type[models.Model], batch: list[models.Model], reason: str) -> set[int]:
    """Insert new records of one model with their history rows (no signal: the caller sends
    ``records_created``); the ids of the deployments they belong to."""
    if not batch:
        return set()
    bulk.insert_new(model, batch, reason=reason)
    if model is Citation:
        return deployment_ids_of_citations(batch)
    return {pk for pk in (owning_deployment_id(record) for record in batch) if pk is not None}


def deployment_ids_of_citations(citations: list[Citation]) -> set[int]:
    """The deployments whose records these citations back, in one query per kind of part."""
    ids: set[int] = set()
    by_model: dict[type[models.Model], set[int]] = {}
    for citation in citations:
        model = ContentType.objects.get_for_id(citation.content_type_id).model_class()
        if model is Deployment:
            ids.add(citation.object_id)
        elif model in PART_RECORDS:
            by_model.setdefault(model, set()).add(citation.object_id)
    for model, pks in by_model.items():
        ordered = sorted(pks)
        for start in range(0, len(ordered), BULK_BATCH):
            ids.update(
                model._default_manager.filter(pk__in=ordered[start : start + BULK_BATCH])
                .exclude(deployment_id=None)
                .values_list("deployment_id", flat=True)
            )
    return ids


@transaction.atomic
def cite_passage(
    source: Source,
    target: models.Model,
    quote: str,
    field_name: str = "",
    locator: str = "",
    stated_value: str = "",
    note: str = "",
    *,
    by: Any,
) -> Citation:
    """Cite a passage of the source's text for a fact of ``target``; the quote must be in the
    text. A citation of a deployment's record is saved by ``save_record`` (as ``by``); any
    other record's (an organisation's) as it is, its view having asked the permission module.

    Raises:
        ValidationError: the quote is not in the text, or the citation fails its checks.
        PermissionDenied: ``by`` may not write the cited deployment.
    """
    citation = evidence_services.passage_citation(
        source,
        target,
        quote,
        field_name=field_name,
        locator=locator,
        stated_value=stated_value,
        note=note,
    )
    if is_deployment_record(citation):
        return save_record(citation, by=by, validate=False)
    citation.save()
    return citation


def delete_record(record: models.Model, *, by: Any, reason: str = "") -> None:
    """Delete one record of a deployment's aggregate (with what cascades from it).

    Raises:
        PermissionDenied: ``by`` may not write it.
        ValueError: the record is not a deployment, part, claim or citation of one.
    """
    if not is_deployment_record(record):
        raise ValueError(f"{type(record).__name__} is not written by atlas")
    if not may_write(by, record):
        raise PermissionDenied
    if reason:
        record._change_reason = reason[:CHANGE_REASON_LENGTH]
    with transaction.atomic():
        record.delete()


# --- writing a deployment and its parts ------------------------------------------------------
#
# The one owner of deployment writes: the deal page's form, a contributor's proposal applied by
# a reviewer, and later the API, imports, tips and suggestions all call these functions. A
# change is plain JSON (so a contributor's change can wait in a proposal); its shape:
#
#   {
#     "deployment": {"title": ..., "summary": ..., "status": ..., "certainty": ...,
#                    "visibility": ..., "embargo_until": "2026-01-01" | ""},
#     "was": {"title": ..., "place": ["RS", 12]},   # updates: values the writer saw (optional)
#     "place": {"country": "KE", "nationwide": false, "name": "Nairobi", "subdivision": "",
#               "latitude": "-1.28333", "longitude": "36.81667"},
#     "sources": [{"ref": "0", "title": ..., "url": ..., "publisher": ..., "published_on": ...,
#                  "language": ..., "kind": ..., "visibility": ...}],       # new sources
#     "organisations": [{"ref": "0", "name": ..., "kind": ..., "country": "KE"}],  # new ones
#     "citations": [citation, ...],                 # of the deployment itself
#     "parties" | "components" | "money" | "events": [
#        {"id": 12, "delete": true}                 # remove a part (and its citations)
#        {"id": 12, "was": {...}, <changed fields>, "citations": [...]}
#        {<fields>, "citations": [...]}             # a new part
#     ],
#   }
#   citation: {"id": 7, "delete": true} | {"id": 7, "was": {...}, <changed fields>}
#             | {"source": "<source key>" | "new:<ref>", "field_name": "quantity",
#                "quote": ..., "stated_value": ..., "locator": ...}
#
# Organisations are named by slug ("huawei") or "new:<ref>", technologies by slug, sources by
# key or "new:<ref>". Every problem of every row is reported at once, as a ValidationError
# whose message_dict maps a path ("components.0.citations.1.field_name", "place.name") to
# messages; nothing is written then.

DEPLOYMENT_FIELDS = ("title", "summary", "status", "certainty", "visibility", "embargo_until")
PART_MODELS: dict[str, type[models.Model]] = {
    "parties": Party,
    "components": Component,
    "money": Money,
    "events": Event,
}
PART_FIELDS: dict[str, tuple[str, ...]] = {
    "parties": ("organisation", "role", "started_on", "ended_on", "certainty", "note"),
    "components": (
        "technology",
        "quantity_qualifier",
        "quantity",
        "planned_quantity",
        "unit",
        "facial_recognition",
        "plate_recognition",
        "supplier",
        "product_models",
        "description",
        "certainty",
    ),
    "money": (
        "financing",
        "amount_qualifier",
        "amount",
        "amount_max",
        "currency",
        "dated",
        "lender",
        "interest_rate",
        "maturity_months",
        "grace_period_months",
        "certainty",
        "note",
    ),
    "events": ("date", "kind", "title", "description", "certainty"),
}
ORGANISATION_FIELDS = ("organisation", "supplier", "lender")
CITATION_FIELDS = ("source", "field_name", "quote", "stated_value", "locator")
SOURCE_FIELDS = ("title", "url", "publisher", "published_on", "language", "kind", "visibility")
NEW_ORGANISATION_FIELDS = ("name", "kind", "country")
PLACE_KEYS = ("country", "nationwide", "name", "subdivision", "latitude", "longitude")
ROW_KEYS = ("id", "delete", "was", "citations")
CHANGE_KEYS = (
    "deployment",
    "was",
    "place",
    "sources",
    "organisations",
    "citations",
    *PART_MODELS,
)
NEW = "new:"
# Paths under /deployments/ that are pages, not deployments.
RESERVED_SLUGS = frozenset({"new"})
CHANGE_REASON_LENGTH = 100


def plain_field(record: models.Model, name: str) -> Any:
    """A field's current value as plain JSON, as changes name it: organisations and
    technologies by slug, sources by key, countries by code, decimals and dates as text."""
    field = record._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name)
        if related is None:
            return None
        for attribute in ("slug", "key", "code"):
            if hasattr(related, attribute):
                return str(getattr(related, attribute))
        return related.pk
    return plain_value(getattr(record, field.attname))


def plain_value(value: Any) -> Any:
    """A Python value as plain JSON (Decimal and dates as text; models by slug or id)."""
    if isinstance(value, models.Model):
        return getattr(value, "slug", value.pk)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def plain_place(deployment: Deployment) -> list[Any]:
    """Where a deployment is, as compared in ``was``: [country code, locality id or None]."""
    return [deployment.country_id, deployment.locality_id]


@dataclass
class SavedDeployment:
    """What a write made: the deployment, and the new records by path ("parties.0")."""

    deployment: Deployment
    created: dict[str, models.Model] = field(default_factory=dict)


class _Checked(Exception):
    """Raised inside a checking transaction so that nothing it wrote is kept."""


def create_deployment(
    changes: dict[str, Any], *, team: Team, by: Any, reason: str = ""
) -> Deployment:
    """A new deployment owned by ``team``, with its place, parts, sources and citations, in one
    transaction, written by a reviewer of that team (a contributor's change goes through a
    proposal: see ``check_deployment_changes``). Only a site administrator may give no team
    (a fresh instance has none yet).

    Raises:
        PermissionDenied: ``by`` may not add records directly for that team.
        ValidationError: every problem of the change, by path (see the shape above).
    """
    if team is None and not permissions.is_superuser(by):
        raise PermissionDenied  # only a site administrator adds a deployment no team owns
    if not permissions.has_capability(by, permissions.Capability.REVIEW, team):
        raise PermissionDenied
    return _write(changes, None, team, by, reason).deployment


def update_deployment(
    deployment: Deployment, changes: dict[str, Any], *, by: Any, reason: str = ""
) -> Deployment:
    """Change a deployment, its place, parts, sources and citations in one transaction.

    Only a reviewer of the owning team writes directly (``permissions.write_mode`` "apply").

    Raises:
        PermissionDenied: ``by`` may not change this deployment directly.
        ValidationError: every problem of the change, by path; also when a value shown to the
            writer (``was``) changed in between, or a part named by id is gone.
    """
    if permissions.write_mode(by, deployment) != "apply":
        raise PermissionDenied
    return _write(changes, deployment, deployment.owner_team, by, reason).deployment


def check_deployment_changes(
    changes: dict[str, Any],
    *,
    deployment: Deployment | None = None,
    team: Team | None = None,
    by: Any,
) -> None:
    """Check a change as it would be written, keeping nothing: for a contributor's change
    before it becomes a proposal, so problems are named now rather than to the reviewer.

    Raises:
        PermissionDenied: ``by`` may not even propose this change.
        ValidationError: as ``create_deployment`` / ``update_deployment``.
    """
    if deployment is None:
        if team is None or not permissions.has_capability(by, permissions.Capability.PROPOSE, team):
            raise PermissionDenied
    elif permissions.write_mode(by, deployment) == "refuse":
        raise PermissionDenied
    owner = team if deployment is None else deployment.owner_team
    try:
        with transaction.atomic():
            _write(changes, deployment, owner, by, "", proposing=True)
            raise _Checked
    except _Checked:
        pass


def add_party(
    deployment: Deployment, values: dict[str, Any], *, by: Any, reason: str = ""
) -> Party:
    """Add one party (``values`` as a row of "parties", citations included).

    Raises: as ``update_deployment``."""
    return _add_part(deployment, "parties", values, by, reason)


def add_component(
    deployment: Deployment, values: dict[str, Any], *, by: Any, reason: str = ""
) -> Component:
    """Add one component (``values`` as a row of "components").

    Raises: as ``update_deployment``."""
    return _add_part(deployment, "components", values, by, reason)


def add_money(
    deployment: Deployment, values: dict[str, Any], *, by: Any, reason: str = ""
) -> Money:
    """Add one money row (``values`` as a row of "money").

    Raises: as ``update_deployment``."""
    return _add_part(deployment, "money", values, by, reason)


def add_event(
    deployment: Deployment, values: dict[str, Any], *, by: Any, reason: str = ""
) -> Event:
    """Add one event (``values`` as a row of "events").

    Raises: as ``update_deployment``."""
    return _add_part(deployment, "events", values, by, reason)


def _add_part(
    deployment: Deployment, kind: str, values: dict[str, Any], by: Any, reason: str
) -> models.Model:
    if permissions.write_mode(by, deployment) != "apply":
        raise PermissionDenied
    row = {key: value for key, value in values.items() if key not in ("id", "delete", "was")}
    saved = _write({kind: [row]}, deployment, deployment.owner_team, by, reason)
    return saved.created[f"{kind}.0"]


@transaction.atomic
def _write(
    changes: dict[str, Any],
    deployment: Deployment | None,
    team: Team | None,
    by: Any,
    reason: str,
    proposing: bool = False,
) -> SavedDeployment:
    writer = _DeploymentWriter(by, team, proposing)
    writer.read(changes, deployment)
    if writer.errors:
        raise ValidationError({path: messages for path, messages in writer.errors.items()})
    try:
        with transaction.atomic(), deferred_changes():
            return writer.save(reason)
    except IntegrityError as error:
        raise ValidationError(
            {"__all__": [_("Someone changed this deal at the same moment; nothing was saved.")]}
        ) from error


class _DeploymentWriter:
    """Reads a change into unsaved records, collecting every problem; then saves them."""

    def __init__(self, by: Any, team: Team | None, proposing: bool) -> None:
        self.by = by
        self.team = team
        self.proposing = proposing
        self.errors: dict[str, list[str]] = {}
        self.new_sources: dict[str, Source] = {}
        self.new_organisations: dict[str, Organisation] = {}
        self.new_locality: Locality | None = None
        self.deployment: Deployment | None = None
        self.is_new = False
        self.deployment_changed = False
        self.deletions: list[models.Model] = []
        self.part_saves: list[tuple[str, models.Model]] = []
        self.citation_saves: list[tuple[models.Model, Citation]] = []

    # -- problems

    def error(self, path: str, message: Any) -> None:
        self.errors.setdefault(path, []).append(str(message))

    def model_errors(self, path: str, error: ValidationError) -> None:
        """A model's full_clean() errors, each under its field's path."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
                for message in messages:
                    self.error(target, message)
        else:
            for message in error.messages:
                self.error(path, message)

    # -- reading

    def read(self, changes: dict[str, Any], deployment: Deployment | None) -> None:
        if not isinstance(changes, dict):
            self.error(NON_FIELD_ERRORS, _("The change is not in the expected form."))
            return
        for key in changes:
            if key not in CHANGE_KEYS:
                message = _("Unknown part of the change: %(key)s.") % {"key": key}
                self.error(NON_FIELD_ERRORS, message)
        if deployment is None:
            self.is_new = True
            self.deployment = Deployment(owner_team=self.team)
        else:
            self.deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
        for index, row in enumerate(self.rows(changes, "sources")):
            self.read_source(index, row)
        for index, row in enumerate(self.rows(changes, "organisations")):
            self.read_organisation(index, row)
        self.read_deployment(changes.get("deployment") or {}, changes.get("was") or {})
        self.read_place(changes.get("place"), (changes.get("was") or {}).get("place"))
        self.check_deployment()
        for kind in PART_MODELS:
            for index, row in enumerate(self.rows(changes, kind)):
                self.read_part(kind, index, row)
        self.check_parties()
        self.read_citations(self.deployment, "citations", self.rows(changes, "citations"))

    def rows(self, changes: dict[str, Any], key: str) -> list[dict[str, Any]]:
        rows = changes.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            self.error(key, _("The change is not in the expected form."))
            return []
        return rows

    def set_value(self, record: models.Model, name: str, value: Any, path: str) -> bool:
        """Set one plain field from plain JSON; False (and a problem) when it cannot be."""
        field = record._meta.get_field(name)
        if value is None or value == "":
            value = None if field.null else ""
        try:
            setattr(record, field.attname, field.to_python(value))
        except ValidationError as error:
            for message in error.messages:
                self.error(f"{path}.{name}", message)
            return False
        return True

    def check_was(self, record: models.Model, was: dict[str, Any], path: str) -> None:
        """Refuse to overwrite a value that changed after the writer saw it."""
        for name, seen in was.items():
            if name == "place" or name not in {f.name for f in record._meta.get_fields()}:
                continue
            now = plain_field(record, name)
            if now != seen:
                self.error(
                    f"{path}.{name}",
                    _("This changed since the change was made: it is now “%(now)s”.")
                    % {"now": "" if now is None else now},
                )

    def clean(self, record: models.Model, path: str, exclude: set[str]) -> None:
        try:
            record.full_clean(exclude=sorted(exclude), validate_unique=False)
        except ValidationError as error:
            self.model_errors(path, error)

    def read_source(self, index: int, row: dict[str, Any]) -> None:
        path = f"sources.{index}"
        source = Source(owner_team=self.team)
        failed = {
            name
            for name in SOURCE_FIELDS
            if name in row and not self.set_value(source, name, row[name], path)
        }
        if not permissions.has_capability(self.by, permissions.Capability.REVIEW, self.team):
            source.visibility = Visibility.PRIVATE  # published when a reviewer applies it
        self.clean(source, path, failed)
        if source.url and permissions.visible(self.by, Source).filter(url=source.url).exists():
            known = permissions.visible(self.by, Source).filter(url=source.url).first()
            self.error(
                f"{path}.url",
                _("CityWatch already has this source (“%(title)s”): pick it in the lists.")
                % {"title": known.title},
            )
        self.new_sources[str(row.get("ref", index))] = source

    def read_organisation(self, index: int, row: dict[str, Any]) -> None:
        path = f"organisations.{index}"
        organisation = Organisation()
        failed = set()
        for name in ("name", "kind"):
            if not self.set_value(organisation, name, row.get(name), path):
                failed.add(name)
        country = str(row.get("country") or "").upper()
        if country:
            found = Country.objects.filter(code=country).first()
            if found is None:
                self.error(f"{path}.country", _("Unknown country: %(code)s.") % {"code": country})
            organisation.country = found
        self.clean(organisation, path, failed | {"slug"})
        name = fold(organisation.name)
        if name:
            for known in permissions.visible(self.by, Organisation).filter(
                name__iexact=organisation.name.strip()
            ):
                if fold(known.name) == name:
                    self.error(
                        f"{path}.name",
                        _("CityWatch already has %(name)s: pick it in the lists.")
                        % {"name": known.name},
                    )
                    break
        self.new_organisations[str(row.get("ref", index))] = organisation

    def read_deployment(self, values: dict[str, Any], was: dict[str, Any]) -> None:
        deployment = self.deployment
        if not self.is_new:
            self.check_was(deployment, was, "deployment")
        for name, value in values.items():
            if name not in DEPLOYMENT_FIELDS:
                self.error("deployment", _("Unknown field: %(name)s.") % {"name": name})
                continue
            if self.set_value(deployment, name, value, "deployment"):
                self.deployment_changed = True

    def read_place(self, place: Any, seen: Any) -> None:
        deployment = self.deployment
        if place is None:
            if self.is_new:
                self.error("place.country", _("Give the country, and the place or country-wide."))
            return
        if not isinstance(place, dict):
            self.error("place", _("The change is not in the expected form."))
            return
        if not self.is_new and seen is not None and list(seen) != plain_place(deployment):
            self.error("place.name", _("The place changed since the change was made."))
        self.deployment_changed = True
        code = str(place.get("country") or "").upper()
        country = Country.objects.filter(code=code).first() if code else None
        if country is None:
            self.error("place.country", _("Choose the country."))
            return
        deployment.country = country
        if place.get("nationwide"):
            deployment.locality = None
            return
        name = str(place.get("name") or "").strip()
        if not name:
            self.error("place.name", _("Give the place, or mark the deployment country-wide."))
            return
        latitude = self.coordinate(place, "latitude")
        longitude = self.coordinate(place, "longitude")
        if (latitude is None) != (longitude is None):
            self.error("place.latitude", _("Give both latitude and longitude, or neither."))
            return
        try:
            placement = locate(
                name,
                code,
                str(place.get("subdivision") or ""),
                latitude,
                longitude,
                # Only places the writer may see: a custom place only hidden records name is
                # not reused (a new place of the writer's own, as for an unknown name).
                localities=permissions.visible(self.by, Locality).filter(country_id=code),
            )
        except PlaceError as error:
            self.error("place.name", error)
            return
        locality = placement.locality
        if locality is None:
            locality = Locality(**placement.new_locality_values())
            locality.name = listed_name(name, code, placement.place.geonames_id) or name
            try:
                locality.full_clean()
            except ValidationError as error:
                for message in error.messages:
                    self.error("place.name", message)
                return
            self.new_locality = locality
        deployment.locality = locality

    def coordinate(self, place: dict[str, Any], name: str) -> Decimal | None:
        value = place.get(name)
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        limit = 90 if name == "latitude" else 180
        if number is None or not number.is_finite() or abs(number) > limit:
            self.error(
                f"place.{name}",
                _("Enter a number between -%(limit)d and %(limit)d.") % {"limit": limit},
            )
            return None
        return number.quantize(Decimal("0.00001"))

    def check_deployment(self) -> None:
        exclude = {"slug", "owner_team"}
        if self.new_locality is not None or self.errors.get("place.name"):
            exclude.add("locality")
        if self.deployment.country_id is None:
            exclude.add("country")
        self.clean(self.deployment, "deployment", exclude)

    def organisation_ref(self, value: Any, path: str) -> Organisation | bool | None:
        """The organisation a row names: a visible one by slug, or a new one by "new:<ref>";
        None for none; False (and a problem) for one that cannot be used."""
        if value in (None, ""):
            return None
        text = str(value)
        if text.startswith(NEW):
            found = self.new_organisations.get(text[len(NEW) :])
            if found is None:
                self.error(path, _("That new organisation is not filled in: give its name."))
                return False
            return found
        organisation = permissions.visible(self.by, Organisation).filter(slug=text).first()
        if organisation is None:
            self.error(path, _("Unknown organisation: pick one in the list."))
            return False
        return organisation

    def source_ref(self, value: Any, path: str) -> Source | None:
        text = str(value or "")
        if not text:
            self.error(path, _("Pick the source, or add a new one under Sources."))
            return None
        if text.startswith(NEW):
            found = self.new_sources.get(text[len(NEW) :])
            if found is None:
                self.error(path, _("That new source is not filled in: give its title."))
            return found
        try:
            source = permissions.visible(self.by, Source).filter(key=text).first()
        except (ValidationError, ValueError):
            source = None
        if source is None:
            self.error(path, _("Unknown source: pick one in the list."))
        return source

    def read_part(self, kind: str, index: int, row: dict[str, Any]) -> None:
        model = PART_MODELS[kind]
        path = f"{kind}.{index}"
        if row.get("id") is not None:
            record = None
            if not self.is_new:
                record = model._default_manager.filter(
                    deployment=self.deployment, pk=row["id"]
                ).first()
            if record is None:
                self.error(path, _("This row was removed in the meantime: reload the page."))
                return
            if row.get("delete"):
                self.deletions.append(record)
                return
            self.check_was(record, row.get("was") or {}, path)
        elif row.get("delete"):
            return
        else:
            record = model()
        exclude = {"deployment"}
        for name, value in row.items():
            if name in ROW_KEYS:
                continue
            if name not in PART_FIELDS[kind]:
                self.error(path, _("Unknown field: %(name)s.") % {"name": name})
            elif name in ORGANISATION_FIELDS:
                organisation = self.organisation_ref(value, f"{path}.{name}")
                if organisation is False:
                    exclude.add(name)
                    continue
                setattr(record, name, organisation)
                if organisation is not None and organisation.pk is None:
                    exclude.add(name)
            elif name == "technology":
                technology = Technology.objects.filter(slug=str(value or "")).first()
                if technology is None:
                    self.error(f"{path}.technology", _("Choose the technology."))
                    exclude.add(name)
                else:
                    record.technology = technology
            elif not self.set_value(record, name, value, path):
                exclude.add(name)
        self.clean(record, path, exclude)
        self.part_saves.append((path, record))
        self.read_citations(record, f"{path}.citations", self.rows(row, "citations"))

    def check_parties(self) -> None:
        """One organisation has each role in a deal once: among the rows of the change and
        the deal's other parties."""
        changed = [record for _path, record in self.part_saves if isinstance(record, Party)]
        untouched = {record.pk for record in changed if record.pk} | {
            record.pk for record in self.deletions if isinstance(record, Party)
        }
        seen: dict[tuple[Any, str], str] = {}
        if not self.is_new:
            for party in self.deployment.parties.exclude(pk__in=untouched):
                seen[(party.organisation_id, party.role)] = ""
        for path, record in self.part_saves:
            if not isinstance(record, Party):
                continue
            organisation = record._state.fields_cache.get("organisation")
            if organisation is None and record.organisation_id:
                organisation = Organisation.objects.filter(pk=record.organisation_id).first()
            if organisation is None:
                continue
            key = (organisation.pk or f"new-{id(organisation)}", record.role)
            if key in seen:
                self.error(
                    f"{path}.role",
                    _("%(organisation)s already has this role in this deal.")
                    % {"organisation": organisation.name},
                )
            seen[key] = path

    def read_citations(self, record: models.Model, base: str, rows: list[dict[str, Any]]) -> None:
        content_type = ContentType.objects.get_for_model(type(record))
        for index, row in enumerate(rows):
            path = f"{base}.{index}"
            if row.get("id") is not None:
                citation = None
                if record.pk is not None:
                    citation = (
                        Citation.objects.filter(
                            permissions.visible_q(self.by, Citation),
                            pk=row["id"],
                            content_type=content_type,
                            object_id=record.pk,
                        )
                        .select_related("source")
                        .first()
                    )
                if citation is None:
                    self.error(path, _("This source note was removed in the meantime."))
                    continue
                if row.get("delete"):
                    self.deletions.insert(0, citation)
                    continue
                self.check_was(citation, row.get("was") or {}, path)
            elif row.get("delete"):
                continue
            else:
                citation = Citation(content_type=content_type)
                if "source" not in row:
                    self.error(f"{path}.source", _("Pick the source, or add a new one."))
            exclude = {"object_id"}
            for name, value in row.items():
                if name in ROW_KEYS:
                    continue
                if name not in CITATION_FIELDS:
                    self.error(path, _("Unknown field: %(name)s.") % {"name": name})
                elif name == "source":
                    source = self.source_ref(value, f"{path}.source")
                    if source is None:
                        exclude.add("source")
                        continue
                    citation.source = source
                    if source.pk is None:
                        exclude.add("source")
                elif not self.set_value(citation, name, value, path):
                    exclude.add(name)
            self.clean(citation, path, exclude)
            self.citation_saves.append((record, citation))

    # -- saving

    def save(self, reason: str) -> SavedDeployment:
        reason = reason[:CHANGE_REASON_LENGTH]
        deployment = self.deployment
        if self.new_locality is not None:
            self.new_locality._change_reason = reason
            self.new_locality.save()
            deployment.locality = self.new_locality
        for organisation in self.new_organisations.values():
            organisation.slug = free_organisation_slug(organisation.name)
            # Made for a hidden deal: hidden until a record the visitor may see names it.
            organisation.listed = permissions.is_public(deployment)
            organisation._change_reason = reason
            organisation.save()
            if not organisation.listed:  # still found by the team, even if left unlinked
                permissions.keep_for_team(organisation.pk, deployment.owner_team_id)
        for source in self.new_sources.values():
            source._change_reason = reason
            source.save()
        if self.is_new:
            deployment.slug = free_deployment_slug(
                deployment.title, hidden=not permissions.is_public(deployment)
            )
            deployment._hidden_slug = deployment.slug
        if self.is_new or self.deployment_changed:
            settle_deployment_slug(deployment)
            deployment._change_reason = reason
            deployment.save()
        saved = SavedDeployment(deployment)
        for record in self.deletions:
            record._change_reason = reason
            record.delete()
        for path, record in self.part_saves:
            created = record.pk is None
            record.deployment = deployment
            record._change_reason = reason
            record.save()
            if created:
                saved.created[path] = record
        for record, citation in self.citation_saves:
            citation.object_id = record.pk
            citation.source = citation.source  # its id, now that a new source is saved
            citation._change_reason = reason
            citation.save()
        if not (self.is_new or self.deployment_changed):
            Deployment.objects.filter(pk=deployment.pk).update(updated_at=timezone.now())
            deployment_records_changed([deployment.pk])
        return saved


def listed_name(name: str, country_code: str, geonames_id: int | None) -> str:
    """The place list's own spelling of a place found under another ("Lusáka" is listed as
    Lusaka), so a new locality is named as the list names it; "" when not listed."""
    if geonames_id is None:
        return ""
    for city in find_cities(name, country_code):
        if city.geonames_id == geonames_id:
            return city.name
    return ""


# A hidden deployment's slug ends in this many random base32 letters (30 bits), so that it
# cannot be guessed from its title (see ``free_deployment_slug``).
HIDDEN_SUFFIX_LENGTH = 6
# ...after a double hyphen, which ``core.slugs.slug_text`` never makes (it folds runs of
# hyphens into one): no slug made from a title, a name or a slug someone typed can ever be
# a hidden record's, so the slug a new record gets never depends on hidden ones.
HIDDEN_SEPARATOR = "--"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def free_deployment_slug(title: str, *, hidden: bool = False, extra: str = "") -> str:
    """A slug for a new deployment that no deployment has and no page under /deployments/
    uses (``RESERVED_SLUGS``): the title's slug (numbered ``-2``... when taken) for a public
    one; for a hidden one (``hidden``: private, partners-only or under embargo when made) the
    title's slug plus ``HIDDEN_SEPARATOR`` and ``HIDDEN_SUFFIX_LENGTH`` random base32
    letters (``unguessable_slug``), so that a hidden record never holds a slug derived from
    its title alone and nobody can learn whether a hidden deal exists by asking for a
    title's slug or for a hidden deal's exact slug (the answer never depends on records the
    asker cannot see: hidden slugs live in a namespace that normalised slugs never enter).
    ``title`` may be a slug too; ``extra`` (an importer's external key) is tried before the
    numbers (``slugs.free_slug``).

    Raises:
        ValueError: when no free slug is found (every numbered variant taken; or, for a
            hidden one, 20 random draws in a row taken).
    """
    if slugs.slug_text(title) in RESERVED_SLUGS:
        title = f"{title} deployment"
    if not hidden:
        return slugs.free_slug(Deployment, title, "deployment", extra)
    return unguessable_slug(Deployment, title, "deployment")


def unguessable_slug(model: type[models.Model], text: str, fallback: str) -> str:
    """A slug no ``model`` row has: ``text``'s slug (``fallback`` when nothing readable is
    left), shortened to fit, plus ``HIDDEN_SEPARATOR`` ("--") and ``HIDDEN_SUFFIX_LENGTH``
    random base32 letters (30 bits from ``secrets``), so that it cannot be derived from
    ``text`` and no slug made by ``core.slugs.slug_text`` (titles, names, typed slugs) is
    ever equal to it.

    Raises:
        ValueError: when 20 random draws in a row are all taken.
    """
    limit = model._meta.get_field("slug").max_length - HIDDEN_SUFFIX_LENGTH - len(HIDDEN_SEPARATOR)
    base = slugs.slug_text(text, limit) or fallback
    for _draw in range(20):
        suffix = "".join(secrets.choice(_BASE32) for _ in range(HIDDEN_SUFFIX_LENGTH))
        candidate = f"{base}{HIDDEN_SEPARATOR}{suffix}"
        if not model._default_manager.filter(slug=candidate).exists():
            return candidate
    raise ValueError(f"no free slug for {text!r}")


def settle_deployment_slug(deployment: Deployment) -> None:
    """Give ``deployment`` (about to be saved) the slug its visibility calls for: a new hidden
    deployment, or a public one being hidden, gets a fresh unguessable slug made from its
    current slug (or title) by ``free_deployment_slug``; its former slug stays in its history
    (``queries.former_deployment`` finds it there). A published one keeps its slug. Called by every
    write of a deployment in this module, so no door can keep a title-derived slug on a
    hidden record."""
    if permissions.is_public(deployment):
        if not deployment.slug:
            deployment.slug = free_deployment_slug(deployment.title)
        return
    if deployment.pk is None:
        if getattr(deployment, "_hidden_slug", None) == deployment.slug and deployment.slug:
            return  # already made for it by this function
    else:
        stored = Deployment.objects.filter(pk=deployment.pk).first()
        if stored is None or not permissions.is_public(stored):
            return  # hidden already: its slug was made hidden then
    deployment.slug = free_deployment_slug(deployment.slug or deployment.title, hidden=True)
    deployment._hidden_slug = deployment.slug


def free_organisation_slug(name: str) -> str:
    """The slug a new organisation called ``name`` (a name or a slug) gets, the same through
    every door (the deal page, proposals, the API, the CSV, EFF Atlas and citywatch.json
    imports): the name's slug (``citywatch.core.slugs``; "organisation" when nothing readable
    is left), else numbered ``-2``, ``-3``... Only a slug held by an organisation that
    *everyone* may see (``permissions.visible(None, Organisation)``: one a public record names,
    or one no record names) counts as taken. A slug held by an organisation the public may
    not see (named only by private, partners-only or embargoed records) is given to the new
    organisation, and the hidden one moves to an unguessable slug (``move_organisation``).

    So the answer depends on public records only: a name that only hidden records use gets
    exactly the slug an unknown name gets, whoever asks, and the new organisation's address,
    once public, tells nobody that a hidden one exists. (Counting the creator's own view
    instead would let an insider's "-2" tell the public that something hides at the plain
    slug.) The hidden organisation has no public address to break; its team finds it at
    its new address, and its former one in its history (``queries.former_organisations``).

    Raises:
        ValueError: when every numbered slug up to ``-9999`` is held by a public organisation.
    """
    base = slugs.slug_text(name) or "organisation"
    public = permissions.visible(None, Organisation)
    for slug in [base, *(f"{base}-{number}" for number in range(2, 10_000))]:
        holder = Organisation.objects.filter(slug=slug).first()
        if holder is None:
            return slug
        if not public.filter(pk=holder.pk).exists():
            move_organisation(holder)
            return slug
    raise ValueError(f"no free slug for {name!r}")


def move_organisation(organisation: Organisation) -> None:
    """Give a hidden ``organisation`` a fresh unguessable slug (its current slug plus random
    letters, ``unguessable_slug``) so that a new organisation may take its slug. Its former
    slug stays in its history, with the reason ``change_reasons.ADDRESS_GIVEN_UP``; pending
    proposals that name it by its former slug are told through ``organisation_moved``
    (``citywatch.core.signals``) so that they keep naming it.

    Raises:
        ValueError: when no unguessable slug is free (``unguessable_slug``).
    """
    with transaction.atomic():
        former = organisation.slug
        organisation.slug = unguessable_slug(Organisation, former, "organisation")
        organisation._change_reason = ADDRESS_GIVEN_UP
        organisation.save()
        organisation_moved.send(sender=Organisation, organisation=organisation, former_slug=former)
