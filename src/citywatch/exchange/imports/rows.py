"""One deployment per row, as spreadsheets and other projects describe deals: the deal, its
place, its technologies, who bought and who sold, and links to sources.

Our own `deployments.csv` and the EFF Atlas of Surveillance adapter both turn a row into a
``DeploymentRow``; ``RowImporter`` finds the deployment (by stable id, by external key, then by
slug), creates or updates it, and adds what is missing. It never deletes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas.models import (
    Component,
    Deployment,
    DeploymentStatus,
    Party,
    PartyRole,
    Technology,
)
from citywatch.core import slugs
from citywatch.core.choices import Certainty
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.exchange import keys
from citywatch.exchange.imports.base import Importer, check_coordinates, only_one
from citywatch.exchange.imports.report import RowRejected
from citywatch.places.models import Country, Locality
from citywatch.teams import permissions


@dataclass
class SourceLink:
    url: str
    title: str = ""
    publisher: str = ""
    kind: str = SourceKind.MEDIA
    published_on: str = ""
    notes: str = ""
    locator: str = ""


@dataclass
class DeploymentRow:
    line: int
    title: str
    country: str
    status: str
    certainty: str
    id: str = ""
    external_id: str = ""
    slug: str = ""
    summary: str | None = None  # None: leave the summary as it is
    locality: str = ""
    subdivision: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    technologies: list[str] = field(default_factory=list)
    buyers: list[str] = field(default_factory=list)
    suppliers: list[str] = field(default_factory=list)
    financiers: list[str] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    buyer_description: str = ""


def split_list(text: str) -> list[str]:
    """Values separated by semicolons (or new lines), trimmed, without blanks or repeats."""
    values: list[str] = []
    for part in text.replace("\n", ";").split(";"):
        part = part.strip()
        if part and part not in values:
            values.append(part)
    return values


GROUPS = {
    # joined column: (role of a new party, kind of a new organisation)
    "buyers": (PartyRole.BUYER, OrganisationKind.AUTHORITY),
    "suppliers": (PartyRole.SUPPLIER, OrganisationKind.VENDOR),
    "financiers": (PartyRole.FINANCIER, OrganisationKind.FINANCIER),
}


class RowImporter(Importer):
    """Imports DeploymentRows; subclasses turn their file's rows into them."""

    def __init__(self, *args, scheme: str = "external", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.countries = {c.code: c for c in Country.objects.all()}
        self.country_names = {c.english_name.casefold(): c.code for c in self.countries.values()}
        self.technologies = {t.slug: t for t in Technology.objects.all()}
        self.technology_names = {t.name.casefold(): t for t in self.technologies.values()}

    # Checks that need no database writes --------------------------------------------------

    def country_code(self, text: str) -> str:
        text = text.strip()
        if text.upper() in self.countries:
            return text.upper()
        if text.casefold() in self.country_names:
            return self.country_names[text.casefold()]
        raise RowRejected(_("unknown country %(value)r") % {"value": text})

    def technology(self, text: str) -> Technology:
        found = self.technologies.get(text) or self.technology_names.get(text.casefold())
        if found is None:
            raise RowRejected(_("unknown technology %(value)r") % {"value": text})
        return found

    def check(self, row: DeploymentRow) -> None:
        if not row.title.strip():
            raise RowRejected(_("the title is empty"))
        if row.status not in DeploymentStatus.values:
            raise RowRejected(
                _("unknown status %(value)r (use one of: %(allowed)s)")
                % {"value": row.status, "allowed": ", ".join(DeploymentStatus.values)}
            )
        if row.certainty not in Certainty.values:
            raise RowRejected(
                _("unknown certainty %(value)r (use one of: %(allowed)s)")
                % {"value": row.certainty, "allowed": ", ".join(Certainty.values)}
            )
        check_coordinates(row.latitude, row.longitude)
        if row.latitude is not None and not row.locality:
            raise RowRejected(_("coordinates need a locality name"))

    # Writing ---------------------------------------------------------------------------------

    def import_row(self, row: DeploymentRow) -> Deployment:
        self.check(row)
        country = self.country_code(row.country)
        technologies = [self.technology(name) for name in row.technologies]
        locality = self.locality(row, country) if row.locality else None
        deployment = self.find_deployment(row)
        values = {
            "title": row.title.strip(),
            "country_id": country,
            "locality_id": locality.pk if locality else None,
            "status": row.status,
            "certainty": row.certainty,
        }
        if row.summary is not None:
            values["summary"] = row.summary.strip()
        if row.slug:
            values["slug"] = row.slug.strip()
        elif deployment is None:
            values["slug"] = self.free_slug(row)
        deployment = self.save(Deployment, deployment, values, values.get("slug") or row.title)
        self.remember(deployment, row.id)
        self.remember(deployment, row.external_id, self.scheme)
        for technology in technologies:
            if not deployment.components.filter(technology=technology).exists():
                self.save(
                    Component,
                    None,
                    {
                        "deployment_id": deployment.pk,
                        "technology_id": technology.pk,
                        "certainty": row.certainty,
                    },
                    f"{deployment.slug}/{technology.slug}",
                )
        for group in ("buyers", "suppliers", "financiers"):
            for name in getattr(row, group):
                self.party(deployment, name, group, country, row)
        for link in row.sources:
            self.cite(deployment, link)
        return deployment

    def find_deployment(self, row: DeploymentRow) -> Deployment | None:
        for key, scheme in ((row.id, keys.CITYWATCH_SCHEME), (row.external_id, self.scheme)):
            if key:
                pk = keys.find(Deployment, key, scheme)
                if pk is not None:
                    return Deployment.objects.get(pk=pk)
        if row.slug:
            return Deployment.objects.filter(slug=row.slug.strip()).first()
        return None

    def free_slug(self, row: DeploymentRow) -> str:
        """A slug for the row's title in any script, else with its external id, else
        numbered (see citywatch.core.slugs)."""
        try:
            return slugs.free_slug(Deployment, row.title, "deployment", row.external_id)
        except ValueError as taken:
            raise RowRejected(_("no free slug for %(title)s") % {"title": row.title}) from taken

    def locality(self, row: DeploymentRow, country: str) -> Locality:
        from citywatch.places.gazetteer import best_match

        name = row.locality.strip()
        locality = Locality.objects.filter(country_id=country, name__iexact=name).first()
        values: dict[str, object] = {}
        if row.latitude is not None:
            values.update(latitude=row.latitude, longitude=row.longitude)
        if row.subdivision:
            values["subdivision_code"] = row.subdivision.strip().upper()
        if locality is not None:
            return self.save(Locality, locality, values, name)
        if row.latitude is None and best_match(name, country) is None:
            raise RowRejected(
                _(
                    "%(name)s is not in the shipped city list: give its latitude and longitude "
                    "(or add the locality first)"
                )
                % {"name": name}
            )
        values.update(name=name, country_id=country)
        return self.save(Locality, None, values, name)

    def organisation(self, name: str, group: str, country: str, row: DeploymentRow) -> Organisation:
        found = Organisation.objects.filter(Q(slug=name) | Q(name__iexact=name))
        organisation = only_one(found)
        if organisation is None:
            for candidate in Organisation.objects.filter(aliases__icontains=name):
                if name.casefold() in (alias.casefold() for alias in candidate.alias_list):
                    organisation = candidate
                    break
        if organisation is not None:
            return organisation
        kind = GROUPS[group][1]
        slug = slugs.free_slug(Organisation, name, "organisation")
        values = {
            "name": name,
            "slug": slug,
            "kind": kind,
            "country_id": country if kind == OrganisationKind.AUTHORITY else None,
        }
        if kind == OrganisationKind.AUTHORITY and row.buyer_description:
            values["description"] = row.buyer_description
        return self.save(Organisation, None, values, slug)

    def party(
        self, deployment: Deployment, name: str, group: str, country: str, row: DeploymentRow
    ) -> None:
        organisation = self.organisation(name, group, country, row)
        if deployment.parties.filter(organisation=organisation).exists():
            return
        self.save(
            Party,
            None,
            {
                "deployment_id": deployment.pk,
                "organisation_id": organisation.pk,
                "role": GROUPS[group][0],
                "certainty": row.certainty,
            },
            f"{deployment.slug}/{organisation.slug}",
        )

    def cite(self, deployment: Deployment, link: SourceLink) -> None:
        source = Source.objects.filter(url=link.url).order_by("pk").first()
        if source is None:
            values = {
                "url": link.url,
                "title": link.title or link.url,
                "publisher": link.publisher,
                "kind": link.kind,
                "published_on": link.published_on,
                "notes": link.notes,
            }
            source = self.save(Source, None, values, link.url)
        if self.already_cited(deployment, source):
            return
        from django.contrib.contenttypes.models import ContentType

        self.save(
            Citation,
            None,
            {
                "source_id": source.pk,
                "content_type_id": ContentType.objects.get_for_model(Deployment).pk,
                "object_id": deployment.pk,
                "locator": link.locator,
            },
            f"{deployment.slug} ← {link.url}",
        )

    def already_cited(self, deployment: Deployment, source: Source) -> bool:
        from citywatch.atlas.queries import citations_for, deployment_records

        return any(
            c.source_id == source.pk
            for c in citations_for(deployment_records(deployment), permissions.INTERNAL)
        )
