"""The home page: the map of deployments."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from citywatch.atlas import queries
from citywatch.atlas.filters import apply_filters, facet_counts, parse_filters
from citywatch.atlas.models import DeploymentStatus


def home(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    base = queries.visible_deployments(request.user)
    return render(
        request,
        "web/home.html",
        {
            "filters": filters,
            "facets": facet_counts(base, filters),
            "count": apply_filters(base, filters).count(),
            "query_string": filters.to_query().urlencode(),
            "statuses": DeploymentStatus.choices,
            "tile_url": settings.CITYWATCH_MAP_TILE_URL,
            "tile_attribution": settings.CITYWATCH_MAP_TILE_ATTRIBUTION,
        },
    )
