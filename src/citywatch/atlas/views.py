"""Public pages of the atlas."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from citywatch.actors.models import Organisation
from citywatch.atlas import queries
from citywatch.atlas.footnotes import Footnotes
from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Source
from citywatch.places.models import Country

PAGE_SIZE = 50


def deployment_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(queries.deployment_list(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "atlas/deployment_list.html", {"page": page})


def deployment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        deployment = queries.deployment_page(slug)
    except Deployment.DoesNotExist as missing:
        raise Http404("No such deployment") from missing
    records = queries.deployment_records(deployment)
    footnotes = Footnotes(queries.citations_for(records))
    return render(
        request,
        "atlas/deployment_detail.html",
        {"deployment": deployment, "footnotes": footnotes},
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    entries = list(country.legal_entries.all())
    footnotes = Footnotes(queries.citations_for(entries))
    deployments = queries.deployment_list().filter(country=country)
    return render(
        request,
        "atlas/country_detail.html",
        {
            "country": country,
            "legal_entries": entries,
            "footnotes": footnotes,
            "deployments": deployments,
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
    return render(
        request,
        "atlas/organisation_detail.html",
        {
            "organisation": organisation,
            "deployments": deployments,
            "claims": claims,
            "footnotes": footnotes,
            "counts": counts,
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
