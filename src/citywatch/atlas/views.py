"""Public pages of the atlas."""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition

from citywatch.actors.models import Organisation
from citywatch.atlas import queries
from citywatch.atlas.cite_record import bibtex_entry, plain_reference
from citywatch.atlas.filters import (
    VENDOR_ROLES,
    DeploymentFilters,
    apply_filters,
    facet_counts,
    parse_filters,
    sorted_deployments,
)
from citywatch.atlas.map_data import country_counts, data_version, map_rows
from citywatch.atlas.footnotes import Footnotes
from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Source
from citywatch.places.models import Country

PAGE_SIZE = 50


def deployment_list(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    base = queries.public_deployments()
    matching = sorted_deployments(apply_filters(queries.deployment_list(), filters), filters)
    paginator = Paginator(matching, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "atlas/deployment_list.html",
        {
            "page": page,
            "filters": filters,
            "facets": facet_counts(base, filters),
            "query_string": filters.to_query().urlencode(),
            "sorts": sort_choices(),
            "total": base.count(),
        },
    )


def sort_choices() -> list[tuple[str, str]]:
    return [
        ("title", _("Title")),
        ("country", _("Country")),
        ("status", _("Status")),
        ("-year", _("Newest first")),
        ("year", _("Oldest first")),
        ("-changed", _("Recently changed")),
    ]


def filtered_public_deployments(request: HttpRequest):
    return apply_filters(queries.public_deployments(), parse_filters(request.GET))


def map_version(request: HttpRequest, **kwargs) -> str:
    return hashlib.sha256(
        (request.GET.urlencode() + data_version(filtered_public_deployments(request))).encode()
    ).hexdigest()[:32]


@gzip_page
@condition(etag_func=map_version)
@cache_control(public=True, max_age=300)
def map_deployments(request: HttpRequest) -> JsonResponse:
    """Compact rows for the map markers, filtered like the list."""
    return JsonResponse(map_rows(filtered_public_deployments(request)))


@condition(etag_func=map_version)
@cache_control(public=True, max_age=300)
def map_countries(request: HttpRequest) -> JsonResponse:
    """Deployments per country for the map's shading, filtered like the list."""
    return JsonResponse(country_counts(filtered_public_deployments(request)))


def map_popup(request: HttpRequest, pk: int) -> JsonResponse:
    """What a marker's popup shows; loaded when the marker is opened."""
    deployment = get_object_or_404(queries.deployment_list(), pk=pk)
    vendors = sorted(
        {p.organisation.name for p in deployment.parties.all() if p.role in VENDOR_ROLES}
    )
    technologies = []
    for component in deployment.components.all():
        if component.technology.display_name not in technologies:
            technologies.append(component.technology.display_name)
    place = deployment.locality.name if deployment.locality else _("country-wide")
    return JsonResponse(
        {
            "title": deployment.title,
            "url": deployment.get_absolute_url(),
            "place": f"{place}, {deployment.country.name}",
            "status": str(deployment.get_status_display()),
            "vendors": vendors,
            "technologies": technologies,
        }
    )


def deployment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        deployment = queries.deployment_page(slug)
    except Deployment.DoesNotExist as missing:
        raise Http404("No such deployment") from missing
    records = queries.deployment_records(deployment)
    footnotes = Footnotes(queries.citations_for(records))
    permalink = request.build_absolute_uri(deployment.get_absolute_url())
    today = queries.today()
    return render(
        request,
        "atlas/deployment_detail.html",
        {
            "deployment": deployment,
            "footnotes": footnotes,
            "permalink": permalink,
            "plain_reference": plain_reference(deployment, permalink, today),
            "bibtex": bibtex_entry(deployment, permalink, today),
        },
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    entries = list(country.legal_entries.all())
    footnotes = Footnotes(queries.citations_for(entries))
    deployments = queries.deployment_list().filter(country=country)
    facets = facet_counts(queries.public_deployments().filter(country=country), DeploymentFilters())
    return render(
        request,
        "atlas/country_detail.html",
        {
            "country": country,
            "legal_entries": entries,
            "footnotes": footnotes,
            "deployments": deployments,
            "authorities": queries.authorities_in(deployments),
            "technology_counts": facets["technology"],
            "vendor_counts": facets["vendor"],
            "map_query": f"country={country.code}",
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    deployments = queries.organisation_deployments(organisation)
    claims = list(organisation.claims.filter(deployment__isnull=True))
    footnotes = Footnotes(queries.citations_for(claims))
    counts = deployments.aggregate(
        deployments=Count("pk", distinct=True), countries=Count("country", distinct=True)
    )
    by_country = queries.deployments_by_country(deployments)
    return render(
        request,
        "atlas/organisation_detail.html",
        {
            "organisation": organisation,
            "deployments": deployments,
            "claims": claims,
            "footnotes": footnotes,
            "counts": counts,
            "by_country": by_country,
        },
    )


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    deployments = queries.public_deployments_citing(source)
    return render(
        request,
        "atlas/source_detail.html",
        {"source": source, "deployments": deployments},
    )
