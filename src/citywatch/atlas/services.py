"""Writes for the atlas: keeping each deployment's derived search text and years current."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django_countries import countries as country_names

from citywatch.atlas.models import Deployment
from citywatch.core.partial_dates import PartialDate
from citywatch.core.text import fold

SEARCH_LANGUAGES = ("en", "es", "fr", "sr-latn")


def localised_country_names(code: str) -> list[str]:
    names = []
    for language in SEARCH_LANGUAGES:
        with translation.override(language):
            names.append(str(country_names.name(code)))
    return names


def searchable_text(deployment: Deployment) -> str:
    """Title, summary, places and organisation names, folded for accent-free matching."""
    parts = [deployment.title, deployment.summary, *localised_country_names(deployment.country_id)]
    if deployment.locality_id:
        parts.append(deployment.locality.name)
    for party in deployment.parties.select_related("organisation"):
        parts.extend([party.organisation.name, party.organisation.aliases])
    for component in deployment.components.select_related("supplier"):
        parts.append(component.product_models)
        if component.supplier:
            parts.append(component.supplier.name)
    return fold(" ".join(part for part in parts if part))


def activity_years(deployment: Deployment) -> tuple[int | None, int | None]:
    """The first and last year any dated part of the deal mentions."""
    texts: list[str] = [event.date for event in deployment.events.all()]
    texts += [money.dated for money in deployment.money.all()]
    for party in deployment.parties.all():
        texts += [party.started_on, party.ended_on]
    years = [PartialDate.parse(text).year for text in texts if text]
    return (min(years), max(years)) if years else (None, None)


def refresh_derived_fields(deployment_ids: Iterable[int]) -> None:
    """Recompute search text and years; uses update() so history and timestamps are untouched."""
    for deployment in Deployment.objects.filter(pk__in=set(deployment_ids)).select_related(
        "locality"
    ):
        first_year, last_year = activity_years(deployment)
        Deployment.objects.filter(pk=deployment.pk).update(
            search_text=searchable_text(deployment), first_year=first_year, last_year=last_year
        )
