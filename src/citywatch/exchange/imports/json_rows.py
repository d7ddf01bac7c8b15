"""The values of a `citywatch.json` row, as both ways of importing it build them: row by row
(``citywatch_json.JsonImporter``) and many rows at a time (``bulk``). One function per
kind of row, so that both write the same record and the report names it the same way."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Event, Money, Party, VendorClaim
from citywatch.exchange.dataset import (
    CLAIM_FIELDS,
    COMPONENT_FIELDS,
    EVENT_FIELDS,
    MONEY_FIELDS,
    ORGANISATION_FIELDS,
    PARTY_FIELDS,
    SOURCE_FIELDS,
)
from citywatch.exchange.imports.base import parse_decimal
from citywatch.exchange.imports.report import ApproximatePlace, RowRejected

# Decimal places of the file's decimal fields (the models' ``decimal_places``).
DECIMALS = {"amount": 2, "amount_max": 2, "interest_rate": 3}
# Finds the record a row names by its id: (model, id, field in the file) → primary key, or
# None for no id given.
Reference = Callable[[type[models.Model], Any, str], "int | None"]


def present(item: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The fields the file gives (a missing field keeps the record's value).

    Raises:
        RowRejected: a decimal field is not a number (``parse_decimal``).
    """
    values = {}
    for name in names:
        if name not in item:
            continue
        value = item[name]
        if name in DECIMALS:
            value = parse_decimal(value, DECIMALS[name], name)
        values[name] = value
    return values


def source_values(item: dict[str, Any]) -> dict[str, Any]:
    """A source row's fields."""
    return present(item, SOURCE_FIELDS)


def organisation_values(item: dict[str, Any]) -> dict[str, Any]:
    """An organisation row's fields (its country by code; its parent is set afterwards)."""
    values = present(item, ORGANISATION_FIELDS)
    if "country" in item:
        values["country_id"] = item["country"]
    return values


def place_given(item: dict[str, Any]) -> tuple[dict[str, Any], Decimal | None, Decimal | None]:
    """What a locality row gives of its place: (name, country, region, approximate, the
    coordinates when both are given, the GeoNames id when given; latitude; longitude). Null
    coordinates or GeoNames id mean "take them from the place list", never a change.

    Raises:
        RowRejected: a coordinate is not a number.
    """
    latitude = parse_decimal(item.get("latitude"), 5, "latitude")
    longitude = parse_decimal(item.get("longitude"), 5, "longitude")
    given: dict[str, Any] = {"name": item["name"], "country_id": item["country"]}
    for name in ("subdivision_code", "approximate"):
        if name in item:
            given[name] = item[name]
    if latitude is not None and longitude is not None:
        given.update(latitude=latitude, longitude=longitude)
    if item.get("geonames_id") is not None:
        given["geonames_id"] = item["geonames_id"]
    return given, latitude, longitude


def new_place_values(item: dict[str, Any], given: dict[str, Any], placement: Any) -> dict[str, Any]:
    """A new locality's fields: the file's own place exactly as given when it gives
    coordinates, else the place the resolver found (``placement``), approximate when either
    says so."""
    values = placement.new_locality_values()
    if "latitude" in given:
        values.update(given)
        values["geonames_id"] = item.get("geonames_id")
    else:
        values["approximate"] = values["approximate"] or given.get("approximate", False)
    return values


def approximate_place(
    line: int | None, name: str, placement: Any, locality: Any, path: str
) -> ApproximatePlace:
    """The report's note on a new locality placed only approximately (at its region, or at
    the level the resolver reached)."""
    level = placement.place.level if placement.place.approximate else "region"
    return ApproximatePlace(
        line, name, level, locality.subdivision_code or locality.country_id, path
    )


def part_values(
    model: type[models.Model],
    item: dict[str, Any],
    technologies: dict[str, int],
    ref: Reference,
) -> dict[str, Any]:
    """A deployment part's fields (a party, component, amount, event or vendor claim),
    records it names found by ``ref``; the deployment is set by the caller.

    Raises:
        RowRejected: an unknown technology (``column`` "technology"), a number that is not
            one, or what ``ref`` raises for an unknown id.
        ValueError: ``model`` is not a kind of deployment part (a programming error).
    """
    if model is Party:
        values = present(item, PARTY_FIELDS)
        values["organisation_id"] = ref(Organisation, item["organisation"], "organisation")
    elif model is Component:
        values = present(item, COMPONENT_FIELDS)
        slug = item["technology"]
        if slug not in technologies:
            raise RowRejected(
                _("unknown technology %(slug)r: use one of %(allowed)s")
                % {"slug": slug, "allowed": ", ".join(technologies)},
                column="technology",
            )
        values["technology_id"] = technologies[slug]
        if "supplier" in item:
            values["supplier_id"] = ref(Organisation, item["supplier"], "supplier")
    elif model is Money:
        values = present(item, MONEY_FIELDS)
        if "lender" in item:
            values["lender_id"] = ref(Organisation, item["lender"], "lender")
    elif model is Event:
        values = present(item, EVENT_FIELDS)
    elif model is VendorClaim:
        values = present(item, CLAIM_FIELDS)
        values["vendor_id"] = ref(Organisation, item["vendor"], "vendor")
    else:
        raise ValueError(f"{model.__name__} is not a part of a deployment")
    return values


def part_label(
    model: type[models.Model], item: dict[str, Any], values: dict[str, Any]
) -> Callable[[str], str]:
    """How the report names a part, given its deployment's slug."""
    if model is Party:
        role = values["role"]
        return lambda slug: f"{slug}/{role}"
    if model is Component:
        technology = item["technology"]
        return lambda slug: f"{slug}/{technology}"
    if model is Money:
        financing = values.get("financing", "money")
        return lambda slug: f"{slug}/{financing}"
    if model is Event:
        title = values["title"][:40]
        return lambda slug: f"{slug}/{title}"
    statement = values["statement"][:40]
    return lambda slug: statement


def citation_label(item: dict[str, Any]) -> str:
    """How the report names a citation: by the ids the file gives, never a database number
    (numbers run over hidden records too)."""
    target = item["target"]
    return f"{target['type']} {target['id']} ← {item['source']}"
