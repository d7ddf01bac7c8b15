"""The REST API (django-ninja) under /api/: public reads, token-authenticated writes.

Reads go through the same query functions as the web pages and exports, so only public data is
ever served. Every GET answers with an ETag and Last-Modified and honours If-None-Match and
If-Modified-Since (304).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Query, Status, Swagger

from citywatch.api import caching, foi, schemas, search, serializers, services
from citywatch.api.auth import read_token, write_token
from citywatch.api.paging import page_of
from citywatch.atlas.filters import apply_filters, parse_filters, sorted_deployments
from citywatch.atlas.models import Component, Deployment, DeploymentStatus, Party, Technology
from citywatch.atlas.queries import public_deployments
from citywatch.core.choices import Certainty
from citywatch.exchange import keys, queries
from citywatch.places.models import Country
from citywatch.teams import permissions

DESCRIPTION = """
Public data of CityWatch: surveillance deployments, the organisations and countries involved,
and the sources behind every fact. Data licensed under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); cite the deployment's page (`url`).

Reads need no token. Writes need a personal token with the *write* scope, sent as
`Authorization: Bearer <token>` (create one at /account/tokens/).

Lists are paginated (`page`, `page_size` up to 200) and answer with `count`, `next` and
`previous`. Every GET sends `ETag` and `Last-Modified`; send them back in `If-None-Match` or
`If-Modified-Since` to get `304 Not Modified` while nothing changed.
"""

api = NinjaAPI(
    title="CityWatch API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    # validatorUrl None: Swagger UI would otherwise load a badge from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS = {401: schemas.Error, 403: schemas.Error, 404: schemas.Error, 422: schemas.Error}
Sort = Literal["title", "country", "status", "-year", "year", "-changed"]


def dataset_state() -> tuple[str, Any]:
    """Version and latest change of the public dataset these endpoints serve."""
    return queries.dataset_state()


def no_nul_characters(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse NUL characters in the address (PostgreSQL cannot compare text with them)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "\x00" in request.path:
            return JsonResponse({"detail": "Not Found"}, status=404)
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return JsonResponse({"detail": "NUL characters are not allowed"}, status=422)
        return view(request, *args, **kwargs)

    return wrapper


# Every operation, including routers other apps add, refuses NUL characters first.
api.add_decorator(no_nul_characters, mode="view")


cached_read = caching.cached_read(dataset_state, keep=True)


def with_parts(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    return queries.with_last_changed(deployments).prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("organisation")),
        Prefetch("components", queryset=Component.objects.select_related("technology", "supplier")),
    )


def summaries(deployments: Iterable[Deployment]) -> list[dict[str, Any]]:
    """Public deployments as the API lists them, each with its stable id as the public
    dataset names it (``keys.stable_ids`` within the public records)."""
    deployments = list(deployments)
    ids = keys.stable_ids(Deployment, [d.pk for d in deployments], public_deployments())
    return [serializers.deployment_summary(d, ids[d.pk]) for d in deployments]


def detail(deployment: Deployment, user: Any = None) -> dict[str, Any]:
    """One deployment in full, its stable id read within what ``user`` may see (None: a
    visitor), so the id never depends on records the reader cannot see."""
    scope = Deployment.objects.filter(permissions.visible_q(user, Deployment))
    stable_id = keys.stable_ids(Deployment, [deployment.pk], scope)[deployment.pk]
    return serializers.deployment_detail(deployment, stable_id)


# Deployments ------------------------------------------------------------------------------


@api.get(
    "/deployments",
    response={200: schemas.DeploymentPage, 422: schemas.Error},
    tags=["deployments"],
    summary="List public deployments",
)
@cached_read
def list_deployments(
    request: HttpRequest,
    country: list[str] = Query([], description="ISO code; repeat for several."),  # noqa: B008 (django-ninja's way)
    vendor: list[str] = Query([], description="Vendor slug; repeat for several."),  # noqa: B008 (django-ninja's way)
    technology: list[str] = Query([], description="Technology slug; repeat for several."),  # noqa: B008 (django-ninja's way)
    status: list[DeploymentStatus] = Query([]),  # noqa: B008 (django-ninja's way)
    certainty: list[Certainty] = Query([]),  # noqa: B008 (django-ninja's way)
    year_from: int | None = Query(None, ge=1900, le=2100),
    year_to: int | None = Query(None, ge=1900, le=2100),
    q: str = Query("", max_length=200, description="Words in title, summary, places, names."),
    sort: Sort = Query("title"),  # noqa: B008 (django-ninja's way)
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Filters work as on the deployments page: values of one filter are alternatives,
    different filters must all match."""
    filters = parse_filters(request.GET)
    matching = sorted_deployments(apply_filters(public_deployments(), filters), filters)
    return page_of(request, with_parts(matching), page, page_size, summaries)


@api.get(
    "/deployments/{slug}",
    response={200: schemas.DeploymentDetail, 404: schemas.Error},
    tags=["deployments"],
    summary="One public deployment with its parts and citations",
)
@cached_read
def get_deployment(request: HttpRequest, slug: str) -> dict[str, Any]:
    deployment = (
        with_parts(public_deployments())
        .prefetch_related("money__lender", "events", "claims__vendor")
        .filter(slug=slug)
        .first()
    )
    if deployment is None:
        raise Http404("No such deployment")
    return detail(deployment)


@api.post(
    "/deployments",
    auth=write_token,
    response={
        201: schemas.DeploymentDetail,
        202: schemas.ProposalOut,
        409: schemas.Error,
        **ERRORS,
    },
    tags=["deployments"],
    summary="Create a deployment (write token)",
)
def create_deployment(request: HttpRequest, payload: schemas.DeploymentIn) -> Any:
    """A reviewer of the owning team creates it (201); a contributor's new deployment waits
    for the team's reviewers (202, with the proposal's key)."""
    try:
        result = services.create_deployment(payload, request.auth.user)
    except services.WriteRejected as error:
        return Status(error.status, {"detail": error.messages})
    if isinstance(result, services.Proposed):
        return Status(202, proposal_out(result))
    return Status(201, written(result, request.auth.user))


def proposal_out(proposed: services.Proposed) -> dict[str, Any]:
    return {
        "proposal": proposed.proposal_key,
        "detail": "The change waits for a reviewer of the owning team.",
    }


def written(deployment: Deployment, user: Any) -> dict[str, Any]:
    """The deployment as its writer (``user``) may now see it."""
    return detail(
        with_parts(Deployment.objects.filter(pk=deployment.pk))
        .prefetch_related("money__lender", "events", "claims__vendor")
        .get(),
        user,
    )


@api.patch(
    "/deployments/{slug}",
    auth=write_token,
    response={200: schemas.DeploymentDetail, 202: schemas.ProposalOut, **ERRORS},
    tags=["deployments"],
    summary="Change a deployment (write token)",
)
def update_deployment(request: HttpRequest, slug: str, payload: schemas.DeploymentPatch) -> Any:
    """Reviewers of the deployment's team change it (200); contributors propose the change
    (202). A deployment the token's user may not see does not exist (404)."""
    user = request.auth.user
    deployment = (
        None
        if "\x00" in slug
        else Deployment.objects.filter(permissions.visible_q(user, Deployment), slug=slug).first()
    )
    if deployment is None:
        raise Http404("No such deployment")
    try:
        result = services.update_deployment(deployment, payload, user)
    except services.WriteRejected as error:
        return Status(error.status, {"detail": error.messages})
    if isinstance(result, services.Proposed):
        return Status(202, proposal_out(result))
    return Status(200, written(result, user))


# Organisations, countries, sources, technologies --------------------------------------------


@api.get(
    "/organisations",
    response={200: schemas.OrganisationPage, 422: schemas.Error},
    tags=["organisations"],
    summary="List organisations that take part in public deployments",
)
@cached_read
def list_organisations(
    request: HttpRequest,
    kind: Literal["vendor", "authority", "integrator", "financier", "other"] | None = None,
    country: str = Query("", max_length=2),
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    organisations = queries.public_organisations().select_related("parent").order_by("name", "pk")
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country_id=country.upper())
    if q:
        organisations = organisations.filter(Q(name__icontains=q) | Q(aliases__icontains=q))
    return page_of(
        request,
        organisations,
        page,
        page_size,
        lambda rows: [serializers.organisation(o) for o in rows],
    )


@api.get(
    "/organisations/{slug}",
    response={200: schemas.OrganisationOut, 404: schemas.Error},
    tags=["organisations"],
)
@cached_read
def get_organisation(request: HttpRequest, slug: str) -> dict[str, Any]:
    organisation = queries.public_organisations().select_related("parent").filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    return serializers.organisation(organisation)


def country_counts() -> dict[str, int]:
    rows = public_deployments().order_by().values("country_id").annotate(n=Count("pk"))
    return {row["country_id"]: row["n"] for row in rows}


@api.get(
    "/countries",
    response={200: schemas.CountryPage, 422: schemas.Error},
    tags=["countries"],
    summary="Countries with public deployments or a legal card",
)
@cached_read
def list_countries(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=300),
) -> dict[str, Any]:
    counts = country_counts()
    countries = (
        Country.objects.filter(Q(code__in=counts) | Q(legal_entries__isnull=False))
        .distinct()
        .order_by("code")
    )
    return page_of(
        request,
        countries,
        page,
        page_size,
        lambda rows: [serializers.country(c, counts.get(c.code, 0)) for c in rows],
    )


@api.get(
    "/countries/{code}",
    response={200: schemas.CountryDetail, 404: schemas.Error},
    tags=["countries"],
    summary="A country and its legal card",
)
@cached_read
def get_country(request: HttpRequest, code: str) -> dict[str, Any]:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404("No such country")
    data = serializers.country(country, country_counts().get(country.code, 0))
    entries = queries.public_legal_entries().filter(country=country)
    data["legal_card"] = [serializers.legal_entry(e) for e in entries]
    return data


@api.get(
    "/sources",
    response={200: schemas.SourcePage, 422: schemas.Error},
    tags=["sources"],
    summary="Sources that back public facts",
)
@cached_read
def list_sources(
    request: HttpRequest,
    kind: str = Query("", max_length=20),
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    sources = queries.public_sources().order_by("pk")
    if kind:
        sources = sources.filter(kind=kind)
    if q:
        sources = sources.filter(Q(title__icontains=q) | Q(publisher__icontains=q))
    return page_of(
        request, sources, page, page_size, lambda rows: [serializers.source(s) for s in rows]
    )


@api.get(
    "/sources/{source_id}",
    response={200: schemas.SourceOut, 404: schemas.Error},
    tags=["sources"],
)
@cached_read
def get_source(request: HttpRequest, source_id: str) -> dict[str, Any]:
    """One public source, by its key (a UUID); a database number answers 404 like a missing
    source."""
    try:
        key = uuid.UUID(source_id)
    except ValueError:
        raise Http404("No such source") from None
    source = queries.public_sources().filter(key=key).first()
    if source is None:
        raise Http404("No such source")
    return serializers.source(source)


@api.post(
    "/sources",
    auth=write_token,
    response={201: schemas.SourceOut, **ERRORS},
    tags=["sources"],
    summary="Add a source (write token)",
)
def create_source(request: HttpRequest, payload: schemas.SourceIn) -> Any:
    try:
        source = services.create_source(payload, request.auth.user)
    except services.WriteRejected as error:
        return Status(error.status, {"detail": error.messages})
    return Status(201, serializers.source(source))


@api.get(
    "/technologies",
    response=list[schemas.TechnologyOut],
    tags=["technologies"],
    summary="The technology taxonomy",
)
@cached_read
def list_technologies(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"slug": t.slug, "name": t.display_name, "description": t.description}
        for t in Technology.objects.order_by("position", "slug")
    ]


@api.get(
    "/token",
    auth=read_token,
    response={200: schemas.TokenOut, 401: schemas.Error},
    tags=["tokens"],
    summary="The token you are using (to check it works)",
)
def current_token(request: HttpRequest) -> dict[str, Any]:
    token = request.auth
    return {
        "name": token.name,
        "scope": token.scope,
        "user": token.user.get_username(),
        "created_at": token.created_at,
    }


# The FOI desk's endpoints (GET /api/foi/...) and search (GET /api/search), each a router.
api.add_router("/foi", foi.router)
api.add_router("/search", search.router)
