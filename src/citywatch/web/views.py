"""The home page: the map of deployments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader

from citywatch.atlas import queries
from citywatch.atlas.filters import facets_and_counts, parse_filters
from citywatch.atlas.models import DeploymentStatus
from citywatch.atlas.views import is_public, page_parts, render_fragment, render_page
from citywatch.core import data_cache
from citywatch.web.accounts import landing_url


def home(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    parts = page_parts(request, "home", filters.to_query().urlencode())
    content = data_cache.cached(
        parts,
        lambda: home_content(request.user, filters),
        public=is_public(request),
    )
    return render_page(request, "web/home.html", {"content": content}, parts)


def home_content(user, filters) -> str:
    """The map page's filters and count (HTML for one visibility scope and language)."""
    counted = facets_and_counts(queries.visible_deployments(user), filters)
    return render_fragment(
        "web/_home_content.html",
        {
            "filters": filters,
            "facets": counted.facets,
            "count": counted.matching,
            "query_string": filters.to_query().urlencode(),
            "statuses": DeploymentStatus.choices,
            "tile_url": settings.CITYWATCH_MAP_TILE_URL,
            "tile_attribution": settings.CITYWATCH_MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
def continue_after_setup(request: HttpRequest) -> HttpResponse:
    """After two-factor set-up: on to where this user starts (see accounts.landing_url)."""
    return redirect(landing_url(request.user))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: rendered with no request context, so it needs neither the database nor
    anything a failing request may have broken; plain text if even the template fails."""
    try:
        html = loader.get_template("500.html").render({"path": request.path})
    except Exception:  # the page that reports errors must not raise one
        html = "<h1>Server Error (500)</h1><p><a href='/'>CityWatch</a></p>"
    return HttpResponseServerError(html)
