"""Filters shared by the deployment list, the map data and (later) the API.

The filter state lives in the query string (?vendor=huawei&technology=cctv&year_from=2018),
so any view can be shared as a link. Unknown or malformed values are ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from citywatch.actors.models import OrganisationKind
from citywatch.atlas.models import Component, Deployment, DeploymentStatus, Party, Technology
from citywatch.core.choices import Certainty
from citywatch.places.models import Country

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


# The full-text matcher the deployment list's ``q`` uses. The search index is filled and read
# by ``citywatch.research`` (a layer above this one), which registers its matcher when the
# app is ready (``ResearchConfig.ready``), so the arrow of imports points down.
_text_matchers: list[Callable[[str], Q]] = []


def register_text_matcher(matcher: Callable[[str], Q]) -> None:
    """Use ``matcher(text) -> Q`` (a filter on deployment ids) for the ``q`` filter."""
    _text_matchers[:] = [matcher]


def text_condition(text: str) -> Q:
    """Deployments the search index finds for this text: every word, in either Serbian
    script, any accent or inflection (see citywatch.research.search). The caller's queryset
    already holds only what the user may see.

    Raises:
        ImproperlyConfigured: no matcher is registered (``citywatch.research`` not installed).
    """
    if not _text_matchers:
        raise ImproperlyConfigured("The deployment text filter needs citywatch.research.")
    return _text_matchers[0](text)


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


COLUMN_FACETS = ("country", "status", "certainty")
COLUMN_OF_FACET = {"country": "country_id", "status": "status", "certainty": "certainty"}


@dataclass
class FacetResult:
    """Facet options and the two totals a list page shows, from the same grouped counts."""

    facets: dict[str, list[FacetOption]]
    matching: int  # deployments matching every filter
    total: int | None  # deployments the user may see (None: not counted here)


def column_counts(
    base: QuerySet[Deployment], filters: DeploymentFilters
) -> list[tuple[str, str, str, int]]:
    """(country, status, certainty, deployments) for the deployments matching every filter
    but those three: one grouped query from which all three facets are summed."""
    narrowed = apply_filters(base, replace(filters, country=(), status=(), certainty=()))
    rows = (
        narrowed.order_by().values_list("country_id", "status", "certainty").annotate(n=Count("pk"))
    )
    return list(rows)


def _keeps(filters: DeploymentFilters, row: tuple[str, str, str, int], skip: str) -> bool:
    country, status, certainty, _n = row
    values = {"country": country, "status": status, "certainty": certainty}
    return all(
        not getattr(filters, name) or values[name] in getattr(filters, name)
        for name in COLUMN_FACETS
        if name != skip
    )


def vendor_counts(base: QuerySet[Deployment], filters: DeploymentFilters) -> dict[str, tuple]:
    """Vendor slug -> (name, deployments), applying every filter but the vendor's."""
    narrowed = apply_filters(base, filters.without("vendor"))
    rows = (
        Party.objects.filter(
            role__in=VENDOR_ROLES,
            organisation__kind=OrganisationKind.VENDOR,
            deployment__in=narrowed.order_by().values("pk"),
        )
        .order_by()
        .values_list("organisation__slug", "organisation__name")
        .annotate(n=Count("deployment_id", distinct=True))
    )
    return {slug: (name, n) for slug, name, n in rows}


def technology_counts(base: QuerySet[Deployment], filters: DeploymentFilters) -> dict[str, int]:
    """Technology slug -> deployments, applying every filter but the technology's; a camera
    with face or plate recognition counts under that technology too (one grouped query and
    one aggregate over the components)."""
    slugs = dict(Technology.objects.values_list("pk", "slug"))
    ids = {slug: pk for pk, slug in slugs.items()}
    components = Component.objects.filter(
        deployment__in=apply_filters(base, filters.without("technology")).order_by().values("pk")
    ).order_by()
    counts = {
        slugs[technology]: n
        for technology, n in components.values_list("technology_id").annotate(
            n=Count("deployment_id", distinct=True)
        )
    }
    capable = {}
    for slug, lookup in CAPABILITY_TECHNOLOGIES.items():
        condition = Q(**{lookup.removeprefix("components__"): CAPABLE})
        if slug in ids:
            condition |= Q(technology_id=ids[slug])
        capable[slug] = Count("deployment_id", distinct=True, filter=condition)
    counts.update(components.aggregate(**capable))
    return counts


def facet_counts(base: QuerySet[Deployment], filters: DeploymentFilters) -> dict[str, list]:
    """For each facet, the options with the number of deployments each would give.

    Each facet's counts apply every other active filter, so choosing a value shows what it
    would add; a value already chosen stays listed even when its count drops to zero.
    """
    return facets_and_counts(base, filters).facets


def facets_and_counts(base: QuerySet[Deployment], filters: DeploymentFilters) -> FacetResult:
    """The facets, how many deployments match every filter and (when no filter narrows by
    anything but the three column facets) how many the user may see at all.

    Five queries whatever the number of deployments: country, status and certainty are summed
    from one grouped count; vendors and technologies are grouped counts of their own; plus
    the technologies' and countries' names. Raises nothing for unknown filter values (they
    count zero)."""
    rows = column_counts(base, filters)
    per_facet: dict[str, dict[str, int]] = {name: {} for name in COLUMN_FACETS}
    matching = 0
    for row in rows:
        for name in COLUMN_FACETS:
            if _keeps(filters, row, skip=name):
                value = row[COLUMN_FACETS.index(name)]
                per_facet[name][value] = per_facet[name].get(value, 0) + row[3]
        if _keeps(filters, row, skip=""):
            matching += row[3]
    only_columns = replace(filters, country=(), status=(), certainty=(), sort=DEFAULT_SORT)
    total = sum(row[3] for row in rows) if only_columns.is_empty else None
    country_names = {
        c.code: c.name for c in Country.objects.filter(code__in=sorted(per_facet["country"]))
    }
    technology_labels = {t.slug: t.display_name for t in Technology.objects.all()}
    technologies = technology_counts(base, filters)
    facets = {
        "vendor": options(vendor_counts(base, filters), filters.vendor),
        "country": options(
            {code: (country_names[code], n) for code, n in per_facet["country"].items()},
            filters.country,
        ),
        "technology": options(
            {
                slug: (technology_labels[slug], n)
                for slug, n in technologies.items()
                if slug in technology_labels and (n or slug in filters.technology)
            },
            filters.technology,
        ),
        "status": options(
            {s: (DeploymentStatus(s).label, n) for s, n in per_facet["status"].items()},
            filters.status,
            order=DeploymentStatus.values,
        ),
        "certainty": options(
            {c: (Certainty(c).label, n) for c, n in per_facet["certainty"].items()},
            filters.certainty,
            order=Certainty.values,
        ),
    }
    return FacetResult(facets=facets, matching=matching, total=total)


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
