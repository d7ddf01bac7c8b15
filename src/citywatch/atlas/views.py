"""Public pages of the atlas."""

from __future__ import annotations

import secrets
import uuid
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas import queries
from citywatch.atlas.cite_record import bibtex_entry, plain_reference
from citywatch.atlas.filters import (
    VENDOR_ROLES,
    DeploymentFilters,
    apply_filters,
    facet_counts,
    facets_and_counts,
    parse_filters,
    sorted_deployments,
)
from citywatch.atlas.footnotes import Footnotes
from citywatch.atlas.map_data import Encoded, country_counts, encode, map_rows
from citywatch.atlas.models import Deployment
from citywatch.core import data_cache
from citywatch.core.privacy import credited_name
from citywatch.evidence.models import Source
from citywatch.places.models import Country
from citywatch.teams import permissions

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (summed from the facets' grouped counts), so it does not
    count the rows again."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def page_parts(request: HttpRequest, kind: str, *parts: object) -> tuple:
    """What a cached page fragment depends on besides the data and the day: its kind, the
    user's visibility scope, the language and the caller's parts."""
    return (kind, permissions.scope_key(request.user), get_language(), *parts)


def is_public(request: HttpRequest) -> bool | str:
    """Whether the request sees what any visitor sees (``permissions.scope_key``): its cached
    reads are then kept under the public dataset's version, not the data's generation, once
    some request computed that version since the last change (``data_cache.IF_KNOWN``: the
    API and the exports need it for their ETag), so a private change does not compute them
    again. Pages and map layers never wait for the fingerprint themselves: computing it
    costs about what computing them does (measured: docs/performance.md), so after a
    change nobody asked the API about they are computed as before."""
    if permissions.scope_key(request.user) != "public":
        return False
    return data_cache.IF_KNOWN


def render_fragment(template_name: str, context: dict, request: HttpRequest | None = None) -> str:
    """HTML that may be cached for every user of one visibility scope: rendered without the
    context processors, so it holds no CSRF token, no user and no message. Only the request
    itself is passed, for the tags that ask which capabilities its user has."""
    return render_to_string(template_name, {**context, "request": request})


# Stands for the CSRF token in whole pages kept for visitors without cookies; replaced by
# the visitor's own token when the page is served (a new one each time, as Django would).
CSRF_PLACEHOLDER = f"citywatch-csrf-{secrets.token_hex(16)}"


def render_page(request: HttpRequest, template_name: str, context: dict, parts: tuple):
    """``render()``, but for a visitor who sends no cookie at all (a first visit, a crawler:
    no session, no account, no message waiting) the whole page is kept until the data
    changes, keyed by ``parts`` (``page_parts``), the address and the host. The language form's
    CSRF token is the visitor's own: a placeholder in the kept page, filled at each request."""
    if request.COOKIES or request.method != "GET" or request.user.is_authenticated:
        return render(request, template_name, context)
    page = data_cache.cached(
        ("page", *parts, request.get_host(), request.get_full_path()),
        lambda: render_to_string(
            template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request
        ),
        public=is_public(request),
    )
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))


def deployment_list(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    page_number = request.GET.get("page", "")[:12]
    parts = page_parts(request, "deployment-list", filters.to_query().urlencode(), page_number)
    content = data_cache.cached(
        parts,
        lambda: deployment_list_content(request.user, filters, page_number),
        public=is_public(request),
    )
    return render_page(request, "atlas/deployment_list.html", {"content": content}, parts)


def deployment_list_content(user, filters: DeploymentFilters, page_number: str) -> str:
    """The list's filters, counts and one page of cards (HTML that depends on nothing but the
    user's visibility scope, the filters, the page and the language)."""
    base = queries.visible_deployments(user)
    counted = facets_and_counts(base, filters)
    matching = sorted_deployments(apply_filters(queries.deployment_cards(user), filters), filters)
    page = CountedPaginator(matching, PAGE_SIZE, counted.matching).get_page(page_number)
    total = counted.total if counted.total is not None else base.count()
    return render_fragment(
        "atlas/_deployment_list_content.html",
        {
            "page": page,
            "filters": filters,
            "facets": counted.facets,
            "query_string": filters.to_query().urlencode(),
            "sorts": sort_choices(),
            "total": total,
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
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        return response

    return wrapper


def encoded_response(request: HttpRequest, encoded: Encoded) -> HttpResponse:
    """The JSON document as the client accepts it: gzip (as cached) or plain; 304 when the
    client already holds this version (its ETag is drawn from the content itself)."""
    if encoded.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(encoded.compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(encoded.plain(), content_type="application/json")
    response["ETag"] = encoded.etag
    return response


def cached_map_layer(request: HttpRequest, kind: str, build) -> HttpResponse:
    """A map layer for these filters and this user's visibility scope, computed once per
    change of the data (``citywatch.core.data_cache``; for visitors, once per change of the
    public dataset)."""
    filters = parse_filters(request.GET)
    encoded = data_cache.cached(
        ("map", kind, permissions.scope_key(request.user), filters.to_query().urlencode()),
        lambda: encode(build(apply_filters(queries.visible_deployments(request.user), filters))),
        public=is_public(request),
    )
    return encoded_response(request, encoded)


@cache_for_visitors
def map_deployments(request: HttpRequest) -> HttpResponse:
    """Compact rows for the map markers, filtered like the list."""
    return cached_map_layer(request, "deployments", map_rows)


@cache_for_visitors
def map_countries(request: HttpRequest) -> HttpResponse:
    """Deployments per country for the map's shading, filtered like the list."""
    return cached_map_layer(request, "countries", country_counts)


def map_popup(request: HttpRequest, slug: str) -> JsonResponse:
    """What a marker's popup shows; loaded when the marker is opened. The marker names its
    deployment by slug (``map_data.MAP_FIELDS``); 404 alike for a hidden and an unknown one."""
    deployment = get_object_or_404(queries.deployment_list(request.user), slug=slug)
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
    site = request.build_absolute_uri("/")
    parts = page_parts(request, "deployment", site, slug)
    page = data_cache.cached(
        parts,
        lambda: deployment_detail_content(request, slug),
        public=is_public(request),
    )
    if page is None:
        # A slug it once had (before it was hidden): to its page, for those who may see it.
        former = queries.former_deployment(slug, request.user)
        if former is None:
            raise Http404("No such deployment")
        return redirect(former.get_absolute_url())
    title, content = page
    context = {"title": title, "content": content}
    return render_page(request, "atlas/deployment_detail.html", context, parts)


def deployment_detail_content(request: HttpRequest, slug: str) -> tuple[str, str] | None:
    """(title, HTML) of a deployment's page as this user's visibility scope sees it; None when
    they may not see it (or it does not exist)."""
    try:
        deployment = queries.deployment_page(slug, request.user)
    except Deployment.DoesNotExist:
        return None
    records = queries.deployment_records(deployment)
    if deployment.locality_id:  # the page cites its place too
        records.append(deployment.locality)
    footnotes = Footnotes(queries.citations_for(records, request.user))
    permalink = request.build_absolute_uri(deployment.get_absolute_url())
    today = queries.today()
    content = render_fragment(
        "atlas/_deployment_detail_content.html",
        {
            "deployment": deployment,
            "footnotes": footnotes,
            "permalink": permalink,
            "plain_reference": plain_reference(deployment, permalink, today),
            "bibtex": bibtex_entry(deployment, permalink, today),
            "write_mode": permissions.write_mode(request.user, deployment),
            "last_credit": last_credit(deployment),
        },
        request,
    )
    return deployment.title, content


def last_credit(deployment: Deployment) -> str:
    """The name of the last editor, only if they chose to be credited publicly."""
    latest = deployment.history.select_related("history_user").first()
    return credited_name(latest.history_user, show_all_names=False) if latest else ""


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    entries = list(country.legal_entries.all())
    footnotes = Footnotes(queries.citations_for(entries, request.user))
    deployments = queries.deployment_list(request.user).filter(country=country)
    visible_here = queries.visible_deployments(request.user).filter(country=country)
    facets = facet_counts(visible_here, DeploymentFilters())
    return render(
        request,
        "atlas/country_detail.html",
        {
            "country": country,
            "legal_entries": entries,
            "footnotes": footnotes,
            # The first page of cards; the list page holds them all (a country may have
            # thousands).
            "deployments": queries.deployment_cards(request.user).filter(country=country)[
                :PAGE_SIZE
            ],
            "deployment_count": visible_here.count(),
            "all_url": f"{reverse('atlas:deployment_list')}?country={country.code}",
            "authorities": queries.authorities_in(deployments),
            "technology_counts": facets["technology"],
            "vendor_counts": facets["vendor"],
            "map_query": f"country={country.code}",
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = permissions.visible(request.user, Organisation).filter(slug=slug).first()
    # Organisations this user may see that had this slug before (a hidden one moves when a new
    # organisation takes its slug): a redirect when the slug is free, else a note on the page.
    formerly_here = queries.former_organisations(slug, request.user)
    if organisation is None:
        if not formerly_here:
            raise Http404("No such organisation")
        return redirect(formerly_here[0].get_absolute_url())
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
            "formerly_here": formerly_here,
            "deployments": queries.deployment_cards(request.user)
            .filter(pk__in=deployments.values("pk"))
            .order_by("title")[:PAGE_SIZE],
            "deployment_count": counts["deployments"],
            "all_url": (
                f"{reverse('atlas:deployment_list')}?vendor={organisation.slug}"
                if organisation.kind == "vendor"
                else ""
            ),
            "claims": claims,
            "footnotes": footnotes,
            "counts": counts,
            "by_country": by_country,
        },
    )


def source_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    source = get_object_or_404(permissions.visible(request.user, Source), key=key)
    return render(
        request,
        "atlas/source_detail.html",
        {
            "source": source,
            "deployments": queries.public_deployments_citing(source, request.user),
            "evidence": queries.source_evidence(source, request.user),
            "can_review": permissions.can_review(request.user, source),
            "can_edit": permissions.can_edit(request.user, source),
        },
    )


def source_by_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Old addresses (/sources/<number>/) lead to the source's page only for the numbers kept
    when numeric addresses were retired (sources anyone could see then: migration foi 0006)
    and only for those who may see it now; any other number is 404, like one that never
    existed, so numbers tell nothing about sources made or hidden since."""
    if not 0 < pk < 2**62:
        raise Http404("No such source")
    source = get_object_or_404(permissions.visible(request.user, Source), legacy_number=pk)
    return redirect(source, permanent=True)
