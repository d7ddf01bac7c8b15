"""One deployment per row, as spreadsheets and other projects describe deals: the deal, its
place, its technologies and quantities, who bought and who sold, amounts, and links to sources.

Our own `deployments.csv` and the EFF Atlas of Surveillance adapter both read a row into a
``DeploymentRow`` through a ``CellReader``, which collects every problem of the row with its
column before anything is written. ``RowImporter`` then finds the deployment (by stable id, by
external key, then by slug), creates or updates it, and adds what is missing. It never deletes
anything, and it never moves the place of a deployment the row does not name by its id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas import queries as atlas_queries
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import (
    Component,
    Deployment,
    DeploymentStatus,
    FinancingKind,
    Money,
    Party,
    PartyRole,
    Technology,
)
from citywatch.core.choices import Certainty
from citywatch.core.partial_dates import PartialDate
from citywatch.core.text import fold
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.exchange import keys
from citywatch.exchange.imports.access import owner_team_for
from citywatch.exchange.imports.base import (
    Importer,
    check_coordinates,
    contributor_visibility,
    only_one,
    parse_decimal,
)
from citywatch.exchange.imports.report import ApproximatePlace, RowProblems, RowRejected
from citywatch.exchange.imports.values import (
    Quantity,
    ValueProblem,
    parse_amount,
    parse_label,
    parse_quantity,
)
from citywatch.places.models import Country, Locality
from citywatch.places.services import PLACE, PlaceError, Placement, locate
from citywatch.teams import permissions
from citywatch.teams.models import Team

# What a bare count of these technologies counts ("1,800" CCTV means 1,800 cameras).
DEFAULT_UNITS = {
    "cctv": "cameras",
    "traffic-cameras": "cameras",
    "body-worn-cameras": "cameras",
    "facial-recognition": "cameras",
    "licence-plate-recognition": "cameras",
    "drones": "drones",
}


@dataclass
class SourceLink:
    url: str
    title: str = ""
    publisher: str = ""
    kind: str = SourceKind.MEDIA
    published_on: str = ""
    notes: str = ""
    locator: str = ""


@dataclass(frozen=True)
class MoneyRow:
    qualifier: str
    amount: Decimal
    amount_max: Decimal | None
    currency: str
    financing: str
    dated: str


@dataclass
class DeploymentRow:
    line: int
    title: str
    country: str  # an ISO code, checked
    status: str
    certainty: str
    id: str = ""
    external_id: str = ""
    slug: str = ""
    summary: str | None = None  # None: leave the summary as it is
    placement: Placement | None = None  # None: country-wide
    technologies: list[Technology] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    money: list[MoneyRow] = field(default_factory=list)
    buyers: list[str] = field(default_factory=list)
    suppliers: list[str] = field(default_factory=list)
    financiers: list[str] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    buyer_description: str = ""
    # Who sees it, as on the deal page: "" / None leave a record's own (a new one is public).
    visibility: str = ""
    embargo_until: dt.date | None = None
    # For callers that hold a place by name rather than resolved (the API): resolved by
    # import_row through the same resolver. Technologies may then be given as slugs or names.
    locality: str = ""
    subdivision: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    # A new deployment's visibility, embargo (above) and owning team (the API's) are saved with
    # it in its first version, so a hidden one is never public, nor holds its title's slug.
    # Empty: the importer's team.
    owner_team: Team | None = None


def split_list(text: str) -> list[str]:
    """Values separated by semicolons (or new lines), trimmed, without blanks or repeats."""
    values: list[str] = []
    for part in text.replace("\n", ";").split(";"):
        part = part.strip()
        if part and part not in values:
            values.append(part)
    return values


class CellReader:
    """Reads a row's cells and collects every problem with its column, so one run reports them
    all; ``finish()`` raises them together."""

    def __init__(self, cells: dict[str, str]) -> None:
        self.cells = {name.strip().casefold(): value for name, value in cells.items()}
        self.problems: list[tuple[str, str]] = []

    def text(self, name: str) -> str:
        return self.cells.get(name.casefold(), "").strip()

    def has(self, name: str) -> bool:
        return name.casefold() in self.cells

    def problem(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    def read(self, column: str, parse: Callable[..., Any], *args: Any) -> Any:
        """parse(text, *args) for the column's text; None (and a problem) if it fails, or if
        the cell is empty."""
        text = self.text(column)
        if not text:
            return None
        try:
            return parse(text, *args)
        except (ValueProblem, RowRejected, PlaceError, ValueError) as error:
            self.problem(column, str(error))
            return None

    def finish(self) -> None:
        """End the row: the problems collected while reading its cells fail it together.

        Raises:
            RowProblems: when any problem was collected.
        """
        if self.problems:
            raise RowProblems(self.problems)


GROUPS = {
    # joined column: (role of a new party, kind of a new organisation)
    "buyers": (PartyRole.BUYER, OrganisationKind.AUTHORITY),
    "suppliers": (PartyRole.SUPPLIER, OrganisationKind.VENDOR),
    "financiers": (PartyRole.FINANCIER, OrganisationKind.FINANCIER),
}


class RowImporter(Importer):
    """Imports DeploymentRows; subclasses turn their file's rows into them."""

    def __init__(self, *args: Any, scheme: str = "external", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.countries = {c.code: c for c in Country.objects.all()}
        self.country_names = {fold(c.english_name): c.code for c in self.countries.values()}
        self.technologies = {t.slug: t for t in Technology.objects.all()}
        self.technology_names = {fold(t.name): t for t in self.technologies.values()}
        self.localities: dict[str, list[Locality]] = {}

    # Reading cells ----------------------------------------------------------------------------

    def country_code(self, text: str) -> str:
        """The ISO 3166-1 alpha-2 code of a country given by code or by name (any case).

        Raises:
            ValueProblem: when no country has that code or name.
        """
        text = text.strip()
        if text.upper() in self.countries:
            return text.upper()
        if fold(text) in self.country_names:
            return self.country_names[fold(text)]
        raise ValueProblem(
            _("unknown country %(value)r: use its two-letter ISO code, e.g. RS or ZM")
            % {"value": text}
        )

    def technology(self, text: str) -> Technology:
        """The technology given by slug or by name (any case).

        Raises:
            ValueProblem: when no technology has that slug or name.
        """
        found = self.technologies.get(text.strip().lower()) or self.technology_names.get(fold(text))
        if found is None:
            raise ValueProblem(
                _("unknown technology %(value)r: use one of %(allowed)s")
                % {"value": text, "allowed": ", ".join(self.technologies)}
            )
        return found

    def read_technologies(self, reader: CellReader, column: str) -> list[Technology]:
        found = []
        for name in split_list(reader.text(column)):
            try:
                found.append(self.technology(name))
            except ValueProblem as error:
                reader.problem(column, str(error))
        return found

    def read_quantities(self, reader: CellReader, column: str) -> list[Quantity]:
        found = []
        for text in split_list(reader.text(column)):
            try:
                found.append(parse_quantity(text))
            except ValueProblem as error:
                reader.problem(column, str(error))
        return found

    def read_money(self, reader: CellReader, column: str) -> list[MoneyRow]:
        """Amounts as our export writes them ("2000000.00 EUR (donation, 2019)") or as
        people do ("USD 126m", "about €2 million"), separated by ';'."""
        found = []
        for text in split_list(reader.text(column)):
            amount_text, financing, dated = text, FinancingKind.UNKNOWN, ""
            if text.endswith(")") and "(" in text:
                amount_text, details = text[:-1].rsplit("(", 1)
                for detail in (d.strip() for d in details.split(",")):
                    try:
                        dated = PartialDate.parse(detail).isoformat()
                        continue
                    except ValueError:
                        pass
                    try:
                        financing = parse_label(detail, FinancingKind, _("financing"))
                    except ValueProblem as error:
                        reader.problem(column, str(error))
            try:
                amount = parse_amount(amount_text)
            except ValueProblem as error:
                reader.problem(column, str(error))
                continue
            if not amount.currency:
                reader.problem(
                    column,
                    _('say the currency of %(value)r, e.g. "USD %(value)s"')
                    % {"value": amount_text.strip()},
                )
                continue
            found.append(
                MoneyRow(
                    amount.qualifier,
                    amount.amount,
                    amount.amount_max,
                    amount.currency,
                    financing,
                    dated,
                )
            )
        return found

    def read_labels(self, reader: CellReader) -> tuple[str, str]:
        status = reader.read("status", parse_label, DeploymentStatus, _("status")) or ""
        certainty = reader.read("certainty", parse_label, Certainty, _("certainty")) or ""
        return status, certainty

    def read_place(
        self,
        reader: CellReader,
        country: str | None,
        name: str,
        subdivision: str = "",
        latitude: Decimal | None = None,
        longitude: Decimal | None = None,
        column: str = "locality",
    ) -> Placement | None:
        """Resolve the row's place (read-only); problems go to the reader."""
        if not name or country is None:
            return None
        try:
            return locate(
                name,
                country,
                subdivision,
                latitude,
                longitude,
                localities=self.country_localities(country),
            )
        except PlaceError as error:
            reader.problem(column, str(error))
            return None

    def read_coordinates(self, reader: CellReader) -> tuple[Decimal | None, Decimal | None]:
        before = len(reader.problems)
        latitude = reader.read("latitude", parse_decimal, 5, "latitude")
        longitude = reader.read("longitude", parse_decimal, 5, "longitude")
        if len(reader.problems) > before:
            return None, None
        for column, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
            if value is not None and not Decimal(-limit) <= value <= Decimal(limit):
                reader.problem(
                    column,
                    _("%(name)s %(value)s is outside -%(limit)s…%(limit)s")
                    % {"name": column, "value": value, "limit": limit},
                )
                return None, None
        try:
            check_coordinates(latitude, longitude)
        except RowRejected as error:
            reader.problem("latitude" if latitude is None else "longitude", str(error))
            return None, None
        return latitude, longitude

    def row_failed(self) -> None:
        self.localities = {}  # a rolled-back row may have created one

    def country_localities(self, country: str) -> list[Locality]:
        if country not in self.localities:
            # Only places the importer may see: a custom place that only hidden records name
            # is matched as an unknown name is (a new place of the importer's own).
            self.localities[country] = list(self.scope(Locality).visible.filter(country_id=country))
        return self.localities[country]

    # Writing ----------------------------------------------------------------------------------

    def resolve(self, row: DeploymentRow) -> None:
        """Resolve what a caller gave by name (place, technologies); raises RowProblems."""
        reader = CellReader({"country": row.country})
        if row.placement is None and row.locality.strip():
            row.country = reader.read("country", self.country_code) or row.country
            row.placement = self.read_place(
                reader,
                row.country,
                row.locality.strip(),
                row.subdivision,
                row.latitude,
                row.longitude,
            )
        technologies: list[Technology] = []
        for technology in row.technologies:
            if isinstance(technology, Technology):
                technologies.append(technology)
                continue
            try:
                technologies.append(self.technology(technology))
            except ValueProblem as error:
                reader.problem("technologies", str(error))
        row.technologies = technologies
        reader.finish()

    def import_row(self, row: DeploymentRow) -> Deployment:
        self.resolve(row)
        deployment, named_by_id = self.find_deployment(row)
        if deployment is None:
            self.refuse_new(Deployment, row.title.strip())  # before its place is looked at
        values: dict[str, Any] = {
            "title": row.title.strip(),
            "status": row.status,
            "certainty": row.certainty,
        }
        locality = self.locality(row) if row.placement else None
        place = {"country_id": row.country, "locality_id": locality.pk if locality else None}
        if deployment is None or named_by_id:
            values.update(place)
        elif any(getattr(deployment, k) != v for k, v in place.items()):
            self.report.warn(
                row.line,
                _(
                    "the place differs from the atlas's deployment %(slug)s, found by its slug; "
                    "its place is kept (give its id to move it)"
                )
                % {"slug": deployment.slug},
            )
        if row.summary is not None:
            values["summary"] = row.summary.strip()
        values.update(self.visibility(row))
        if deployment is None:
            values.update(self.new_deployment_values(row))
        label = values.get("slug") or (deployment.slug if deployment else row.title)
        deployment = self.save(Deployment, deployment, values, label)
        self.remember(deployment, row.id)
        self.remember(deployment, row.external_id, self.scheme)
        self.components(deployment, row)
        for group in ("buyers", "suppliers", "financiers"):
            for name in getattr(row, group):
                self.party(deployment, name, group, row.country, row)
        self.money(deployment, row)
        for link in row.sources:
            self.cite(deployment, link)
        return deployment

    def new_deployment_values(self, row: DeploymentRow) -> dict[str, Any]:
        """The slug, visibility, embargo and owning team of the new deployment ``row`` makes,
        all in its first save: a hidden one (private, partners-only, under embargo) gets no
        slug here (``atlas.services.settle_deployment_slug`` makes its unguessable one from
        the row's slug or title when it is saved), so it never has a public first version.

        Raises:
            RowRejected: when a public one finds no free slug (``free_slug``), or a
                contributor's import sets the visibility or embargo (``visibility``).
        """
        values = self.visibility(row)
        team = row.owner_team or owner_team_for(self.user)
        if team is not None:
            values["owner_team_id"] = team.pk
        if permissions.is_public(Deployment(**values)):
            values["slug"] = self.free_slug(row)
        else:
            values["slug"] = row.slug.strip()
        return values

    def visibility(self, row: DeploymentRow) -> dict[str, Any]:
        """The ``visibility`` and ``embargo_until`` the row sets ({} when it sets neither); a
        new hidden record gets an unguessable slug when it is saved
        (``atlas.services.settle_deployment_slug``).

        Raises:
            RowRejected: a contributor's import sets either (``column`` "visibility").
        """
        values: dict[str, Any] = {}
        if row.visibility:
            values["visibility"] = row.visibility
        if row.embargo_until is not None:
            values["embargo_until"] = row.embargo_until
        if values and self.proposing:
            raise RowRejected(contributor_visibility(), column=next(iter(values)))
        return values

    def find_deployment(self, row: DeploymentRow) -> tuple[Deployment | None, bool]:
        """The deployment the row names, and whether it named it by an id (stable or its own
        external key). A record the importer may not see is treated as unknown."""
        for key, scheme in ((row.id, keys.CITYWATCH_SCHEME), (row.external_id, self.scheme)):
            if key:
                pk = self.find_key(Deployment, key, scheme)
                if pk is not None:
                    return Deployment.objects.get(pk=pk), True
        visible = self.scope(Deployment).visible
        if row.slug:
            return visible.filter(slug=row.slug.strip()).first(), False
        if row.id or row.external_id:
            return None, False
        # A row without any id: the same title in the same country and place is the same deal
        # (so importing a spreadsheet again changes nothing).
        same = visible.filter(title=row.title.strip(), country_id=row.country)
        if row.placement is not None and row.placement.locality is not None:
            same = same.filter(locality=row.placement.locality)
        elif row.placement is None:
            same = same.filter(locality__isnull=True)
        else:
            return None, False  # its place is new here, so is the deal
        return only_one(same), False

    def free_slug(self, row: DeploymentRow) -> str:
        """The row's slug, or one made from its title in any script (see
        citywatch.core.slugs), by ``atlas.services.free_deployment_slug``: a slug taken by a
        visible record gets a number; hidden records never hold a slug made from a title alone,
        so the answer never tells whether a hidden record has this title.

        Raises:
            RowRejected: when every numbered variant is taken too.
        """
        try:
            return atlas_services.free_deployment_slug(row.slug or row.title, extra=row.external_id)
        except ValueError as taken:
            raise RowRejected(_("no free slug for %(title)s") % {"title": row.title}) from taken

    def locality(self, row: DeploymentRow) -> Locality:
        placement = row.placement
        assert placement is not None
        place = placement.place
        for note in placement.notes:
            self.report.warn(row.line, note)
        locality = placement.locality
        if locality is None:
            # Another row of this file may have created it a moment ago.
            again = locate(
                place.name,
                place.country_code,
                place.subdivision_code,
                None,
                None,
                localities=self.country_localities(place.country_code),
            ).locality
            if again is not None:
                locality = again
        if locality is None and self.proposing:
            locality = self.place_not_written(placement.new_locality_values(), place.name)
        elif locality is None:
            locality = self.save(Locality, None, placement.new_locality_values(), place.name)
            self.country_localities(place.country_code).append(locality)
        else:
            self.use_place(locality, place.name)
        if locality.approximate:
            self.pending_approximate.append(
                ApproximatePlace(
                    row.line,
                    place.name,
                    place.level if place.level != PLACE else "region",
                    locality.subdivision_code or locality.country_id,
                )
            )
        return locality

    def components(self, deployment: Deployment, row: DeploymentRow) -> None:
        """Quantities first (each matched to a component with the same figures, or given to
        the row's one technology), then a component for each technology still missing.

        Raises:
            RowRejected: (``column`` "quantities") when a new quantity cannot be given to one
                technology (the row names several or none), or does not say what it counts and its
                technology has no default unit; or when a component may not be written (``save``).
            ValidationError: when a component's values are not valid (``save``).
            PermissionDenied: when atlas refuses the write (``save``).
        """
        existing = list(deployment.components.select_related("technology"))
        claimed: set[int] = set()
        for quantity in row.quantities:
            unit = quantity.unit
            same = [
                c
                for c in existing
                if c.pk not in claimed
                and (c.quantity, c.quantity_qualifier, c.planned_quantity)
                == (quantity.number, quantity.qualifier, quantity.planned)
                and (c.unit == unit or not unit)
            ]
            if same:
                claimed.add(same[0].pk)
                self.pending_unchanged[str(Component._meta.verbose_name)] += 1
                continue
            if len(row.technologies) != 1:
                raise RowRejected(
                    _(
                        "cannot tell which technology %(quantity)r counts: give one technology "
                        "in the row, or use citywatch.json"
                    )
                    % {"quantity": f"{quantity.number} {unit}".strip()},
                    column="quantities",
                )
            technology = row.technologies[0]
            unit = unit or DEFAULT_UNITS.get(technology.slug, "")
            if not unit:
                raise RowRejected(
                    _('say what %(number)s counts, e.g. "%(number)s units"')
                    % {"number": quantity.number},
                    column="quantities",
                )
            values = {
                "quantity": quantity.number,
                "quantity_qualifier": quantity.qualifier,
                "planned_quantity": quantity.planned,
                "unit": unit,
            }
            blank = [
                c
                for c in existing
                if c.pk not in claimed and c.technology_id == technology.pk and c.quantity is None
            ]
            label = f"{deployment.slug}/{technology.slug}"
            if blank:
                component = self.save(Component, blank[0], values, label)
            else:
                values.update(
                    deployment_id=deployment.pk,
                    technology_id=technology.pk,
                    certainty=row.certainty,
                )
                component = self.save(Component, None, values, label)
                existing.append(component)
            claimed.add(component.pk)
        for technology in row.technologies:
            if not any(c.technology_id == technology.pk for c in existing):
                component = self.save(
                    Component,
                    None,
                    {
                        "deployment_id": deployment.pk,
                        "technology_id": technology.pk,
                        "certainty": row.certainty,
                    },
                    f"{deployment.slug}/{technology.slug}",
                )
                existing.append(component)

    def money(self, deployment: Deployment, row: DeploymentRow) -> None:
        existing = list(deployment.money.all())
        claimed: set[int] = set()
        for item in row.money:
            values = {
                "amount": item.amount,
                "amount_max": item.amount_max,
                "amount_qualifier": item.qualifier,
                "currency": item.currency,
                "financing": item.financing,
                "dated": item.dated,
            }
            same = [
                m
                for m in existing
                if m.pk not in claimed and all(getattr(m, k) == v for k, v in values.items())
            ]
            if same:
                claimed.add(same[0].pk)
                self.pending_unchanged[str(Money._meta.verbose_name)] += 1
                continue
            values.update(deployment_id=deployment.pk, certainty=row.certainty)
            money = self.save(Money, None, values, f"{deployment.slug}/{item.financing}")
            existing.append(money)
            claimed.add(money.pk)

    def organisation(self, name: str, group: str, country: str, row: DeploymentRow) -> Organisation:
        """The organisation a buyer, supplier or financier cell names: one the importer may see
        (``access.import_scope``), by slug, name or other name; else a new one, with the slug
        ``atlas.services.free_organisation_slug`` gives. An organisation the importer may not
        see is never matched: its name is treated exactly like an unknown one (same new
        record, same slug, same report), and the hidden one is left as it was.

        Raises:
            RowRejected: when no free slug is left for the new organisation.
            ValidationError: when the new organisation's values are not valid (``save``).
        """
        visible = self.scope(Organisation).visible
        named = atlas_queries.organisation_named(self.user, visible, name)
        organisation = named.organisation
        if named.ambiguous:
            self.report.warn(
                row.line,
                _("several organisations are called %(name)s: linked to %(slug)s")
                % {"name": name, "slug": organisation.slug},
            )
        if organisation is None:
            for candidate in visible.filter(aliases__icontains=name).order_by("pk"):
                if name.casefold() in (alias.casefold() for alias in candidate.alias_list):
                    organisation = candidate
                    break
        if organisation is not None:
            return organisation
        kind = GROUPS[group][1]
        try:
            slug = atlas_services.free_organisation_slug(name)
        except ValueError as taken:
            raise RowRejected(_("no free slug for %(title)s") % {"title": name}) from taken
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
        # A source the importer may not see is unknown: a new one is made for the link.
        source = self.scope(Source).visible.filter(url=link.url).order_by("pk").first()
        if source is None:
            team = owner_team_for(self.user)
            values = {
                "owner_team_id": team.pk if team is not None else None,
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
