"""Atom feeds of new and changed public deployments: overall, per country, vendor, technology."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas.filters import DeploymentFilters, apply_filters
from citywatch.atlas.models import Deployment, Technology
from citywatch.atlas.queries import public_deployments
from citywatch.core.text import xml_safe
from citywatch.exchange import meta
from citywatch.exchange.queries import latest_withdrawal, with_last_changed
from citywatch.places.models import Country
from citywatch.teams import permissions

FEED_SIZE = 50


def xml_safe_values(value: Any) -> Any:
    """Strings (also inside lists and tuples, e.g. categories) with only XML 1.0 characters."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe_values(item) for item in value)
    return value


class XmlSafeAtom1Feed(Atom1Feed):
    """An Atom feed that never fails on text an XML document cannot carry.

    Every text is saved without control characters (``citywatch.core.signals``), but a record
    stored before that, or written around ``save()``, would make Django's XML writer raise
    and the feed answer 500 for everyone; here such characters are dropped on the way out.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *[xml_safe_values(a) for a in args],
            **{k: xml_safe_values(v) for k, v in kwargs.items()},
        )

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(
            *[xml_safe_values(a) for a in args],
            **{k: xml_safe_values(v) for k, v in kwargs.items()},
        )


class DeploymentFeed(Feed):
    """The latest new or changed public deployments, newest change first."""

    feed_type = XmlSafeAtom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The feed, its ``Last-Modified`` moved on to the latest withdrawal from the public
        dataset when that is newer than its newest entry (a record made private leaves the
        feed: caches must learn that the feed changed, as the API's and the exports' headers
        say; review 5)."""
        response = super().__call__(request, *args, **kwargs)
        withdrawn = latest_withdrawal()
        shown = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        if withdrawn is not None and (shown is None or withdrawn.timestamp() > shown):
            response.headers["Last-Modified"] = http_date(withdrawn.timestamp())
        return response

    def get_object(self, request: HttpRequest, *args: str, **kwargs: str) -> object | None:
        return None

    def filters(self, obj: object | None) -> DeploymentFilters:
        return DeploymentFilters()

    def title(self, obj: object | None = None) -> str:
        return _("CityWatch: new and changed surveillance deployments")

    def subtitle(self, obj: object | None = None) -> str:
        return _("Data licensed under CC BY 4.0. Cite as: %(cite)s") % {
            "cite": meta.cite_as(dt.date.today())
        }

    def link(self, obj: object | None = None) -> str:
        return reverse("atlas:deployment_list")

    def feed_copyright(self, obj: object | None = None) -> str:
        return _("CC BY 4.0, %(url)s") % {"url": meta.LICENCE_URL}

    def items(self, obj: object | None = None) -> QuerySet[Deployment]:
        deployments = apply_filters(public_deployments(), self.filters(obj))
        return (
            with_last_changed(deployments)
            .select_related("country", "locality")
            .order_by("-last_changed", "slug")[:FEED_SIZE]
        )

    def item_title(self, item: Deployment) -> str:
        return item.title

    def item_description(self, item: Deployment) -> str:
        place = item.locality.name if item.locality else _("country-wide")
        status = item.get_status_display()
        return f"{place}, {item.country.name}. {status}. {item.summary}"

    def item_pubdate(self, item: Deployment) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Deployment) -> dt.datetime:
        return item.last_changed

    def item_guid(self, item: Deployment) -> str:
        return meta.site_url(item.get_absolute_url())

    item_guid_is_permalink = True


class CountryFeed(DeploymentFeed):
    def get_object(self, request: HttpRequest, code: str) -> Country:
        return get_object_or_404(Country, code=code.upper())

    def filters(self, obj: Country) -> DeploymentFilters:
        return DeploymentFilters(country=(obj.code,))

    def title(self, obj: Country) -> str:
        return _("CityWatch: surveillance deployments in %(country)s") % {"country": obj.name}

    def link(self, obj: Country) -> str:
        return obj.get_absolute_url()


class VendorFeed(DeploymentFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        # A vendor named only by hidden records has no feed (its name would be the title).
        return get_object_or_404(permissions.visible(None, Organisation), slug=slug)

    def filters(self, obj: Organisation) -> DeploymentFilters:
        return DeploymentFilters(vendor=(obj.slug,))

    def title(self, obj: Organisation) -> str:
        return _("CityWatch: surveillance deployments with %(vendor)s") % {"vendor": obj.name}

    def link(self, obj: Organisation) -> str:
        return obj.get_absolute_url()


class TechnologyFeed(DeploymentFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Technology:
        """The technology named by the feed address's slug.

        Raises:
            Http404: when no technology has that slug.
        """
        try:
            return Technology.objects.get(slug=slug)
        except Technology.DoesNotExist as missing:
            raise Http404(_("No such technology")) from missing

    def filters(self, obj: Technology) -> DeploymentFilters:
        return DeploymentFilters(technology=(obj.slug,))

    def title(self, obj: Technology) -> str:
        return _("CityWatch: %(technology)s deployments") % {"technology": obj.display_name}

    def link(self, obj: Technology) -> str:
        return reverse("atlas:deployment_list") + f"?technology={obj.slug}"
