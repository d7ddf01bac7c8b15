"""Public pages of the atlas."""

from __future__ import annotations

import hashlib
import uuid
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
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
from citywatch.atlas.footnotes import Footnotes
from citywatch.atlas.map_data import country_counts, data_version, map_rows
from citywatch.atlas.models import Deployment
from citywatch.commons.history import credited_name
from citywatch.evidence.queries import source_evidence
from citywatch.places.models import Country
from citywatch.teams import permissions

PAGE_SIZE = 50


def deployment_list(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    base = queries.visible_deployments(request.user)
    matching = sorted_deployments(
        apply_filters(queries.deployment_list(request.user), filters), filters
    )
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


def filtered_visible_deployments(request: HttpRequest):
    return apply_filters(queries.visible_deployments(request.user), parse_filters(request.GET))


def cache_for_visitors(view):
    """Anonymous map data may be cached anywhere for five minutes; a member's view may hold
    partners-only or private records, so it is cached by their browser only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(response, public=True, max_age=300)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def map_version(request: HttpRequest, **kwargs) -> str:
    viewer = str(request.user.pk) if request.user.is_authenticated else "-"
    version = data_version(filtered_visible_deployments(request))
    return hashlib.sha256(f"{viewer}|{request.GET.urlencode()}|{version}".encode()).hexdigest()[:32]


@gzip_page
@condition(etag_func=map_version)
@cache_for_visitors
def map_deployments(request: HttpRequest) -> JsonResponse:
    """Compact rows for the map markers, filtered like the list."""
    return JsonResponse(map_rows(filtered_visible_deployments(request)))


@condition(etag_func=map_version)
@cache_for_visitors
def map_countries(request: HttpRequest) -> JsonResponse:
    """Deployments per country for the map's shading, filtered like the list."""
    return JsonResponse(country_counts(filtered_visible_deployments(request)))


def map_popup(request: HttpRequest, pk: int) -> JsonResponse:
    """What a marker's popup shows; loaded when the marker is opened."""
    deployment = get_object_or_404(queries.deployment_list(request.user), pk=pk)
    vendors = sorted(
        {p.organisation.name for p in deployment.parties.all() if p.role in VENDOR_ROLES}
    )
    technologies = []
    for component in deployment.components.all():
        if component.technology.display_name not in technologies:
            technologies.append(component.technology.display_name)
    place = deployment.locality.name if deployment.locality else _("country-wide")
    if deployment.locality and deployment.locality.approximate:
        place = _("%(place)s (approximate location)") % {"place": place}
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
        deployment = queries.deployment_page(slug, request.user)
    except Deployment.DoesNotExist as missing:
        raise Http404("No such deployment") from missing
    records = queries.deployment_records(deployment)
    if deployment.locality_id:  # the page cites its place too
        records.append(deployment.locality)
    footnotes = Footnotes(queries.citations_for(records, request.user))
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
            "write_mode": permissions.write_mode(request.user, deployment),
            "last_credit": last_credit(deployment),
        },
    )


def last_credit(deployment: Deployment) -> str:
    """The name of the last editor, only if they chose to be credited publicly."""
    latest = deployment.history.select_related("history_user").first()
    return credited_name(latest.history_user, show_all_names=False) if latest else ""


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    entries = list(country.legal_entries.all())
    footnotes = Footnotes(queries.citations_for(entries, request.user))
    deployments = queries.deployment_list(request.user).filter(country=country)
    facets = facet_counts(
        queries.visible_deployments(request.user).filter(country=country), DeploymentFilters()
    )
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
    organisation = get_object_or_404(permissions.visible(request.user, Organisation), slug=slug)
    deployments = queries.organisation_deployments(organisation, request.user)
    claims = list(organisation.claims.filter(deployment__isnull=True))
    footnotes = Footnotes(queries.citations_for([organisation, *claims], request.user))
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


def source_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    source = get_object_or_404(queries.visible_sources(request.user), key=key)
    return render(
        request,
        "atlas/source_detail.html",
        {
            "source": source,
            "deployments": queries.public_deployments_citing(source, request.user),
            "evidence": source_evidence(source, request.user),
            "can_review": permissions.can_review(request.user, source),
            "can_edit": permissions.can_edit(request.user, source),
        },
    )


def source_by_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Old addresses (/sources/<number>/) of sources anyone may see lead to their page; a
    number says nothing about a source the public may not see."""
    source = get_object_or_404(queries.visible_sources(None), pk=pk)
    return redirect(source, permanent=True)
