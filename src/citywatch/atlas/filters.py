"""Filters shared by the deployment list, the map data and (later) the API.

The filter state lives in the query string (?vendor=huawei&technology=cctv&year_from=2018),
so any view can be shared as a link. Unknown or malformed values are ignored, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from citywatch.actors.models import OrganisationKind
from citywatch.atlas.models import Deployment, DeploymentStatus
from citywatch.core.choices import Certainty

MULTI_VALUE_FILTERS = ("vendor", "country", "technology", "status", "certainty")
SORTS = {
    "title": ("title",),
    "country": ("country__english_name", "title"),
    "status": ("status", "title"),
    "-year": ("-first_year", "title"),
    "year": ("first_year", "title"),
    "-changed": ("-updated_at", "title"),
}
DEFAULT_SORT = "title"
VENDOR_ROLES = ("supplier", "donor", "partner", "integrator")
# A camera sold with face or plate recognition counts under that technology too.
CAPABILITY_TECHNOLOGIES = {
    "facial-recognition": "components__facial_recognition__in",
    "licence-plate-recognition": "components__plate_recognition__in",
}
CAPABLE = ("present", "not_in_use")


@dataclass(frozen=True)
class DeploymentFilters:
    vendor: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    technology: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    certainty: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def without(self, name: str) -> DeploymentFilters:
        empty: Any = () if name in MULTI_VALUE_FILTERS else ("" if name == "q" else None)
        return replace(self, **{name: empty})

    @property
    def is_empty(self) -> bool:
        return self == DeploymentFilters(sort=self.sort)

    def to_query(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for name in MULTI_VALUE_FILTERS:
            for value in getattr(self, name):
                query.appendlist(name, value)
        for name in ("year_from", "year_to"):
            if getattr(self, name) is not None:
                query[name] = str(getattr(self, name))
        if self.q:
            query["q"] = self.q
        if self.sort != DEFAULT_SORT:
            query["sort"] = self.sort
        return query


def parse_year(text: str | None) -> int | None:
    if text and text.strip().isdigit() and 1900 <= int(text) <= 2100:
        return int(text)
    return None


def clean_values(values: list[str], allowed: set[str] | None = None, limit: int = 50) -> tuple:
    cleaned = []
    for value in values[:limit]:
        value = value.strip()[:100]
        if value and (allowed is None or value in allowed) and value not in cleaned:
            cleaned.append(value)
    return tuple(cleaned)


def parse_filters(query: QueryDict) -> DeploymentFilters:
    sort = query.get("sort", DEFAULT_SORT)
    return DeploymentFilters(
        vendor=clean_values(query.getlist("vendor")),
        country=tuple(c.upper() for c in clean_values(query.getlist("country"))),
        technology=clean_values(query.getlist("technology")),
        status=clean_values(query.getlist("status"), set(DeploymentStatus.values)),
        certainty=clean_values(query.getlist("certainty"), set(Certainty.values)),
        year_from=parse_year(query.get("year_from")),
        year_to=parse_year(query.get("year_to")),
        q=query.get("q", "").strip()[:200],
        sort=sort if sort in SORTS else DEFAULT_SORT,
    )


def text_condition(text: str) -> Q:
    """Deployments the search index finds for this text: every word, in either Serbian
    script, any accent or inflection (see citywatch.evidence.search). The caller's queryset
    already holds only what the user may see."""
    from citywatch.evidence.search import matching_ids

    return matching_ids(text)


def technology_condition(slugs: tuple[str, ...]) -> Q:
    condition = Q(components__technology__slug__in=slugs)
    for slug in slugs:
        if slug in CAPABILITY_TECHNOLOGIES:
            condition |= Q(**{CAPABILITY_TECHNOLOGIES[slug]: CAPABLE})
    return condition


def apply_filters(deployments: QuerySet[Deployment], filters: DeploymentFilters) -> QuerySet:
    if filters.vendor:
        deployments = deployments.filter(
            pk__in=Deployment.objects.filter(
                parties__organisation__slug__in=filters.vendor,
                parties__role__in=VENDOR_ROLES,
            ).values("pk")
        )
    if filters.country:
        deployments = deployments.filter(country_id__in=filters.country)
    if filters.technology:
        deployments = deployments.filter(
            pk__in=Deployment.objects.filter(technology_condition(filters.technology)).values("pk")
        )
    if filters.status:
        deployments = deployments.filter(status__in=filters.status)
    if filters.certainty:
        deployments = deployments.filter(certainty__in=filters.certainty)
    if filters.year_from is not None:
        deployments = deployments.filter(last_year__gte=filters.year_from)
    if filters.year_to is not None:
        deployments = deployments.filter(first_year__lte=filters.year_to)
    if filters.q:
        deployments = deployments.filter(text_condition(filters.q))
    return deployments


def sorted_deployments(deployments: QuerySet, filters: DeploymentFilters) -> QuerySet:
    return deployments.order_by(*SORTS[filters.sort])


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(base: QuerySet[Deployment], filters: DeploymentFilters) -> dict[str, list]:
    """For each facet, the options with the number of deployments each would give.

    Each facet's counts apply every other active filter, so choosing a value shows what it
    would add; a value already chosen stays listed even when its count drops to zero.
    """
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Technology
    from citywatch.places.models import Country

    def narrowed(name: str) -> QuerySet[Deployment]:
        return apply_filters(base, filters.without(name))

    vendor_rows = (
        Organisation.objects.filter(
            kind=OrganisationKind.VENDOR,
            parties__role__in=VENDOR_ROLES,
            parties__deployment__in=narrowed("vendor"),
        )
        .values("slug", "name")
        .annotate(n=Count("parties__deployment", distinct=True))
    )
    country_rows = narrowed("country").values("country_id").annotate(n=Count("pk", distinct=True))
    country_names = {
        c.code: c.name
        for c in Country.objects.filter(code__in=[row["country_id"] for row in country_rows])
    }
    technology_rows = (
        Technology.objects.filter(components__deployment__in=narrowed("technology"))
        .values("slug", "name", "position")
        .annotate(n=Count("components__deployment", distinct=True))
    )
    technology_labels = {t.slug: t.display_name for t in Technology.objects.all()}
    technology_counts = {r["slug"]: r["n"] for r in technology_rows}
    for slug in CAPABILITY_TECHNOLOGIES:
        technology_counts[slug] = (
            narrowed("technology")
            .filter(pk__in=Deployment.objects.filter(technology_condition((slug,))).values("pk"))
            .count()
        )
    status_rows = narrowed("status").values("status").annotate(n=Count("pk", distinct=True))
    certainty_rows = (
        narrowed("certainty").values("certainty").annotate(n=Count("pk", distinct=True))
    )
    return {
        "vendor": options({r["slug"]: (r["name"], r["n"]) for r in vendor_rows}, filters.vendor),
        "country": options(
            {r["country_id"]: (country_names[r["country_id"]], r["n"]) for r in country_rows},
            filters.country,
        ),
        "technology": options(
            {
                slug: (technology_labels[slug], n)
                for slug, n in technology_counts.items()
                if n or slug in filters.technology
            },
            filters.technology,
        ),
        "status": options(
            {r["status"]: (DeploymentStatus(r["status"]).label, r["n"]) for r in status_rows},
            filters.status,
            order=DeploymentStatus.values,
        ),
        "certainty": options(
            {r["certainty"]: (Certainty(r["certainty"]).label, r["n"]) for r in certainty_rows},
            filters.certainty,
            order=Certainty.values,
        ),
    }


def options(
    found: dict[str, tuple[str, int]], selected: tuple[str, ...], order: list[str] | None = None
) -> list[FacetOption]:
    for value in selected:
        found.setdefault(value, (value, 0))
    result = [
        FacetOption(value, str(label), count, value in selected)
        for value, (label, count) in found.items()
    ]
    if order:
        return sorted(result, key=lambda o: order.index(o.value) if o.value in order else 99)
    return sorted(result, key=lambda o: (-o.count, o.label))
