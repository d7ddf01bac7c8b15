"""Import `citywatch.json` (the round-trip format, described in docs/citywatch-json.md).

The file is checked against the JSON Schema first; then every record is found by its stable id,
or, when the id is new here, by what it is:

- a source by its URL, an organisation or deployment by its slug, a legal-card entry by
  country, topic and name, a party by deployment, organisation and role;
- a locality through the place resolver (name, country, region, coordinates);
- a component, amount, event, claim or citation only by *all* its fields: two parts that
  differ in any field are two parts (two CCTV components, two loans of one year, two
  citations of one sentence with different stated values), and each existing record is
  matched at most once.

Rows that only create records (the common case of a large file) are planned, checked and
written many at a time by ``exchange.imports.bulk``, with the same report; every other row
goes through the methods below, one savepoint per row.

A record found other than by its id never has its place changed (a deployment's country and
locality, a locality's coordinates and region). A field missing from the file keeps the value
the record has; null coordinates or GeoNames id mean "take them from the place list".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import (
    Component,
    Deployment,
    Event,
    Money,
    Party,
    Technology,
    VendorClaim,
)
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import meta
from citywatch.exchange.dataset import (
    CITATION_FIELDS,
    DEPLOYMENT_FIELDS,
    LEGAL_ENTRY_FIELDS,
    TARGET_MODELS,
)
from citywatch.exchange.imports import schema
from citywatch.exchange.imports.access import owner_team_for
from citywatch.exchange.imports.base import (
    Importer,
    contributor_visibility,
    describe_error,
)
from citywatch.exchange.imports.bulk import (
    BulkCitations,
    BulkDeployments,
    BulkLocalities,
    BulkOrganisations,
    BulkSources,
)
from citywatch.exchange.imports.json_rows import (
    approximate_place,
    citation_label,
    new_place_values,
    organisation_values,
    part_label,
    part_values,
    place_given,
    present,
    source_values,
)
from citywatch.exchange.imports.reading import ValueLines, load_json
from citywatch.exchange.imports.report import Change, RowProblems, RowRejected
from citywatch.places.models import LegalCardEntry, Locality
from citywatch.places.services import PlaceError, locate
from citywatch.teams import permissions

LISTS = [
    "sources",
    "organisations",
    "localities",
    "legal_entries",
    "deployments",
    "vendor_claims",
    "citations",
]
PATH_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
PARTS = (
    ("parties", "party"),
    ("components", "component"),
    ("money", "money"),
    ("events", "event"),
    ("claims", "claim"),
)


def is_dataset(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == meta.FORMAT_NAME


class JsonImporter(Importer):
    format_name = "citywatch-json"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.found: dict[tuple[type, str], int] = {}
        self.created: set[tuple[type, str]] = set()
        self.claimed: dict[type, set[int]] = defaultdict(set)
        self.technologies = dict(Technology.objects.values_list("slug", "pk"))
        self.lines: Any = {}
        # Records made by this import's bulk path (citations of them are new too).
        self.fresh: dict[type, set[int]] = defaultdict(set)
        # Ids found or made, in order, and those a refused row named (its records are gone).
        self.found_order: list[tuple[type, str]] = []
        self.stale: set[tuple[type, str]] = set()
        self.row_start = 0
        self.bulk_deployments: BulkDeployments | None = None

    def row(self, line: int | None, record: str, work: Any) -> Any:
        self.row_start = len(self.found_order)
        return super().row(line, record, work)

    def row_failed(self) -> None:
        """The ids a refused row found or made name nothing the bulk path may use."""
        self.stale.update(self.found_order[self.row_start :])

    def remember_found(self, model: type, key: str, pk: int) -> None:
        self.found[(model, key)] = pk
        self.found_order.append((model, key))
        self.stale.discard((model, key))

    def known(self, model: type, key: str) -> int | None:
        """The record an id names that this import found or made, unless a refused row
        made it."""
        if (model, key) in self.stale:
            return None
        return self.found.get((model, key))

    def locate_problem(self, line: int | None, record: str, where: str, message: str) -> None:
        path = f"{record}.{where}" if where else record
        parts: list[str | int] = [
            int(index) if index else name for name, index in PATH_PART.findall(path)
        ]
        for end in range(len(parts), 0, -1):
            if tuple(parts[:end]) in self.lines:
                line = self.lines[tuple(parts[:end])]
                break
        self.report.problem(line, message, path)

    # Finding records ----------------------------------------------------------------------

    def ref(self, model: type[models.Model], key: Any, field: str) -> int | None:
        """The primary key of a record named by a stable id in this file or already here.

        Raises:
            RowRejected: no such record (``column``: the field, relative to the record).
        """
        if key in (None, ""):
            return None
        pk = self.found.get((model, key))
        if pk is None:
            pk = self.find_key(model, key)
        if pk is None:
            raise RowRejected(
                _("no %(kind)s with id %(key)s in this file or here: add it, or fix the id")
                % {"kind": model._meta.verbose_name, "key": key},
                column=field,
            )
        return pk

    def upsert(
        self,
        model: type[models.Model],
        key: str | None,
        values: dict[str, Any],
        natural: models.QuerySet | None,
        label: str,
        place_fields: tuple[str, ...] = (),
        compare_all: bool = False,
    ) -> models.Model:
        """Find the record (by id, else by its natural key or, with ``compare_all``, by every
        field given), then create it or update what differs."""
        record: models.Model | None = None
        by_id = False
        if key:
            pk = self.found.get((model, key)) or self.find_key(model, key)
            if pk is not None:
                record, by_id = model._default_manager.get(pk=pk), True
                check_same_whole(record, values, key)
        if record is None and natural is not None:
            if self.user is not None:
                natural = natural.filter(pk__in=self.scope(model).visible.values("pk"))
            pool = [r for r in natural.order_by("pk") if r.pk not in self.claimed[model]]
            if compare_all:
                pool = [r for r in pool if all(getattr(r, k) == v for k, v in values.items())]
            record = pool[0] if pool else None
        if record is not None and not by_id:
            moved = [name for name in place_fields if getattr(record, name) != values.get(name)]
            for name in place_fields:
                values.pop(name, None)
            if moved:
                self.report.warn(
                    self.line,
                    _(
                        "%(kind)s %(label)s was found by %(what)s, not by its id: its place is "
                        "kept (give its id to move it)"
                    )
                    % {"kind": model._meta.verbose_name, "label": label, "what": _("its slug")},
                )
        if record is None:
            self.created.add((model, key or ""))
        record = self.save(model, record, values, label)
        if key:
            self.remember(record, key)
            self.remember_found(model, key, record.pk)
        self.claimed[model].add(record.pk)
        return record

    # The file -------------------------------------------------------------------------------

    def run(self, text: str) -> None:
        data, item_lines, problems = load_json(text)
        self.report.problems += problems
        if problems:
            return
        if not is_dataset(data):
            self.report.problem(
                1,
                _(
                    'not a CityWatch dataset: the file must be a JSON object with "format": '
                    '"citywatch-dataset" (see /exports/schema/citywatch.schema.json)'
                ),
            )
            return
        self.lines = ValueLines(text, item_lines)
        invalid = schema.check(data, self.lines)
        if invalid:
            self.report.problems += invalid
            return

        def each(name: str, handler: Any) -> None:
            for index, item in enumerate(data.get(name, [])):
                self.report.rows += 1
                line = self.lines.get((name, index))
                path = f"{name}[{index}]"
                self.row(line, path, lambda item=item, path=path: handler(item, path))

        BulkSources(self, data.get("sources", [])).run("sources", self.source)
        BulkOrganisations(self, data.get("organisations", [])).run(
            "organisations", self.organisation
        )
        for index, item in enumerate(data.get("organisations", [])):
            if not isinstance(item, dict) or "parent" not in item:
                continue  # nothing to set
            line = self.lines.get(("organisations", index))
            path = f"organisations[{index}]"
            self.row(line, path, lambda item=item, path=path: self.parent(item, path))
        BulkLocalities(self, data.get("localities", [])).run("localities", self.locality)
        each("legal_entries", self.legal_entry)
        self.bulk_deployments = BulkDeployments(self, data.get("deployments", []))
        self.bulk_deployments.run("deployments", self.deployment)
        each("vendor_claims", lambda item, path: self.claim(item, None, path))
        BulkCitations(self, data.get("citations", [])).run("citations", self.citation)

    def source(self, item: dict[str, Any], path: str) -> None:
        values = source_values(item)
        visible = self.scope(Source).visible  # a source the importer may not see is unknown
        if values.get("url"):
            natural = visible.filter(url=values["url"])
        else:
            natural = visible.filter(title=values["title"], publisher=values.get("publisher", ""))
        key = item["id"]
        is_new = (self.found.get((Source, key)) or self.find_key(Source, key)) is None
        if is_new and not natural.exists():
            # A new source belongs to the importer's team (none from the command line), so the
            # team sees it even before a record cites it.
            team = owner_team_for(self.user)
            if team is not None:
                values["owner_team_id"] = team.pk
        self.upsert(Source, key, values, natural, values["title"])

    def organisation(self, item: dict[str, Any], path: str) -> None:
        """Import one organisation of the file: matched by its id or, among those the importer may
        see, by its slug; else created with the slug every door gives
        (``atlas.services.free_organisation_slug``).

        Raises:
            RowRejected: the row may not be imported as it is (said in the report).
        """
        values = organisation_values(item)
        natural = Organisation.objects.filter(slug=values["slug"])
        key = item["id"]
        is_new = (self.found.get((Organisation, key)) or self.find_key(Organisation, key)) is None
        if is_new and not self.scope(Organisation).visible.filter(slug=values["slug"]).exists():
            # New here (or held by one the importer may not see): the slug every door gives.
            try:
                values["slug"] = atlas_services.free_organisation_slug(values["slug"])
            except ValueError as taken:
                message = _("no free slug for %(slug)s") % {"slug": values["slug"]}
                raise RowRejected(message) from taken
        self.upsert(Organisation, key, values, natural, values["slug"])

    def parent(self, item: dict[str, Any], path: str) -> None:
        key = item["id"]
        pk = self.found.get((Organisation, key))
        if pk is None or "parent" not in item:  # rejected (and reported), or nothing to set
            return
        organisation = Organisation.objects.get(pk=pk)
        parent = self.ref(Organisation, item["parent"], "parent")
        if organisation.parent_id == parent:
            return
        organisation.parent_id = parent
        organisation.full_clean()
        organisation._change_reason = self.change_reason
        organisation.save()
        if (Organisation, key) not in self.created:  # a new record's parent is part of creating it
            self.pending.append(Change(self.line, "update", "organisation", organisation.slug))

    def locality(self, item: dict[str, Any], path: str) -> None:
        """Import a locality: by its id when known, else by GeoNames id, else placed by name,
        country, region and coordinates (``places.services.locate``); a place the atlas has
        already is taken as it is. ``path``: where in the file, for warnings.

        Raises:
            RowRejected: when a coordinate is not a number, or the place is ambiguous or its region
                unknown (the place error's message), or the record may not be written (``save``).
            ValidationError: when the values are not valid (``save``).
            PermissionDenied: when atlas refuses the write (``save``).
        """
        key, name, country = item["id"], item["name"], item["country"]
        given, latitude, longitude = place_given(item)
        pk = self.found.get((Locality, key)) or self.find_key(Locality, key)
        if pk is not None:
            self.upsert(Locality, key, given, None, name)
            return
        known = None
        if given.get("geonames_id"):
            known = Locality.objects.filter(geonames_id=given["geonames_id"]).first()
        if known is None:
            try:
                placement = locate(
                    name,
                    country,
                    item.get("subdivision_code", ""),
                    latitude,
                    longitude,
                    localities=self.scope(Locality).visible.filter(country_id=country),
                )
            except PlaceError as error:
                raise RowRejected(str(error)) from error
            for note in placement.notes:
                self.report.warn(self.line, note, path)
            known = placement.locality
            if known is None and self.proposing:
                values = placement.new_locality_values()
                self.remember_found(Locality, key, self.place_not_written(values, name).pk)
                return
            if known is None:
                values = new_place_values(item, given, placement)
                locality = self.upsert(Locality, key, values, None, name)
                if locality.approximate:
                    self.pending_approximate.append(
                        approximate_place(self.line, name, placement, locality, path)
                    )
                return
        # The atlas has this place already: take it as it is (it is not named by its id here).
        if not self.use_place(known, name):
            self.pending_unchanged[str(Locality._meta.verbose_name)] += 1
        self.remember(known, key)
        self.remember_found(Locality, key, known.pk)

    def legal_entry(self, item: dict[str, Any], path: str) -> None:
        values = present(item, LEGAL_ENTRY_FIELDS)
        values["country_id"] = item["country"]
        natural = LegalCardEntry.objects.filter(
            country_id=item["country"], topic=item["topic"], name=item.get("name", "")
        )
        label = f"{item['country']} {item['topic']}"
        self.upsert(LegalCardEntry, item["id"], values, natural, label)

    def deployment(self, item: dict[str, Any], path: str) -> None:
        """Import a deployment, then its parts (PARTS), each in its own savepoint so that every
        part's problem is found before the item fails.

        Raises:
            RowRejected: when its locality's id is unknown, or the record may not be written
                (``save``).
            ValidationError: when the deployment's values are not valid (``save``).
            PermissionDenied: when atlas refuses the write (``save``).
            RowProblems: when parts were rejected: each with its path and message.
        """
        values = present(item, DEPLOYMENT_FIELDS)
        values["country_id"] = item["country"]
        values.update(self.visibility(item))
        natural = self.scope(Deployment).visible.filter(slug=values["slug"])
        key = item["id"]
        is_new = (self.found.get((Deployment, key)) or self.find_key(Deployment, key)) is None
        if is_new and not natural.exists():
            self.refuse_new(Deployment, item["title"])  # before its place is looked at
        if "locality" in item:
            values["locality_id"] = self.ref(Locality, item["locality"], "locality")
        if is_new and not natural.exists():
            team = owner_team_for(self.user)
            if team is not None:
                values["owner_team_id"] = team.pk
            values["slug"] = self.free_slug(values)
        deployment = self.upsert(
            Deployment,
            key,
            values,
            natural,
            values["slug"],
            place_fields=("country_id", "locality_id"),
        )
        if self.bulk_deployments is not None:
            self.bulk_deployments.note_slug(deployment.slug)
        problems: list[tuple[str, str]] = []
        for part, kind in PARTS:
            for index, entry in enumerate(item.get(part, [])):
                where = f"{part}[{index}]"
                handler = getattr(self, kind)
                try:
                    with transaction.atomic():
                        handler(entry, deployment, f"{path}.{where}")
                except RowRejected as error:
                    problems.append(
                        (f"{where}.{error.column}" if error.column else where, str(error))
                    )
                except ValidationError as error:
                    problems.append((where, describe_error(error)))
        if problems:
            raise RowProblems(problems)

    def visibility(self, item: dict[str, Any]) -> dict[str, Any]:
        """The deployment's ``visibility`` and ``embargo_until`` the item gives (the schema
        checked their form), as the deal page sets them; {} when it gives neither, so a
        record keeps its own and a new one is public.

        Raises:
            RowRejected: a contributor's import gives either (only a reviewer decides who
                sees a record), or the embargo day does not exist (``column``: the field).
        """
        given = {name: item[name] for name in ("visibility", "embargo_until") if name in item}
        if given and self.proposing:
            raise RowRejected(contributor_visibility(), column=next(iter(given)))
        if given.get("embargo_until"):
            try:
                given["embargo_until"] = dt.date.fromisoformat(given["embargo_until"])
            except ValueError as error:
                raise RowRejected(
                    _("embargo_until %(value)s is not a day: write it as YYYY-MM-DD")
                    % {"value": given["embargo_until"]},
                    column="embargo_until",
                ) from error
        return given

    def free_slug(self, values: dict[str, Any]) -> str:
        """A slug for a new deployment from the file's slug, by
        ``atlas.services.free_deployment_slug``: the file's slug (numbered when a visible
        record has it) for a public one, an unguessable one for a hidden one; a hidden record
        never holds a slug made from a title alone, so nothing tells whether one exists.

        Raises:
            RowRejected: when no free slug is found.
        """
        embargo = values.get("embargo_until")
        try:
            embargo = dt.date.fromisoformat(str(embargo)) if embargo else None
            record = Deployment(embargo_until=embargo)  # the model's default visibility
            if values.get("visibility"):
                record.visibility = values["visibility"]
            hidden = not permissions.is_public(record)
        except ValueError:
            hidden = True  # an unreadable embargo is refused later; hide the slug meanwhile
        try:
            return atlas_services.free_deployment_slug(values["slug"], hidden=hidden)
        except ValueError as taken:
            raise RowRejected(_("no free slug for %(slug)s") % {"slug": values["slug"]}) from taken

    def party(self, item: dict[str, Any], deployment: Deployment, path: str) -> None:
        values = self.part_values(Party, item, deployment)
        natural = Party.objects.filter(
            deployment=deployment, organisation_id=values["organisation_id"], role=values["role"]
        )
        label = part_label(Party, item, values)(deployment.slug)
        self.upsert(Party, item.get("id"), values, natural, label)

    def part_values(
        self, model: type[models.Model], item: dict[str, Any], deployment: Deployment | None
    ) -> dict[str, Any]:
        """A part's fields (``json_rows.part_values``), of ``deployment``.

        Raises:
            RowRejected: an unknown technology or id (``column``: the field).
        """
        values = part_values(model, item, self.technologies, self.ref)
        values["deployment_id"] = deployment.pk if deployment else None
        return values

    def component(self, item: dict[str, Any], deployment: Deployment, path: str) -> None:
        """Import one component of ``deployment``, found by its id, else by every field given.

        Raises:
            RowRejected: when its technology (``column`` "technology") or supplier id is unknown, or
                the record may not be written (``save``).
            ValidationError: when the values are not valid (``save``).
            PermissionDenied: when atlas refuses the write (``save``).
        """
        values = self.part_values(Component, item, deployment)
        natural = Component.objects.filter(deployment=deployment)
        label = part_label(Component, item, values)(deployment.slug)
        self.upsert(Component, item.get("id"), values, natural, label, compare_all=True)

    def money(self, item: dict[str, Any], deployment: Deployment, path: str) -> None:
        values = self.part_values(Money, item, deployment)
        natural = Money.objects.filter(deployment=deployment)
        label = part_label(Money, item, values)(deployment.slug)
        self.upsert(Money, item.get("id"), values, natural, label, compare_all=True)

    def event(self, item: dict[str, Any], deployment: Deployment, path: str) -> None:
        values = self.part_values(Event, item, deployment)
        natural = Event.objects.filter(deployment=deployment)
        label = part_label(Event, item, values)(deployment.slug)
        self.upsert(Event, item.get("id"), values, natural, label, compare_all=True)

    def claim(self, item: dict[str, Any], deployment: Deployment | None, path: str) -> None:
        values = self.part_values(VendorClaim, item, deployment)
        natural = VendorClaim.objects.filter(deployment=deployment)
        label = part_label(VendorClaim, item, values)("")
        self.upsert(VendorClaim, item.get("id"), values, natural, label, compare_all=True)

    def citation(self, item: dict[str, Any], path: str) -> None:
        values = present(item, CITATION_FIELDS)
        target = item["target"]
        model = TARGET_MODELS[target["type"]]
        values["source_id"] = self.ref(Source, item["source"], "source")
        values["content_type_id"] = ContentType.objects.get_for_model(model).pk
        values["object_id"] = self.ref(model, target["id"], "target.id")
        natural = Citation.objects.filter(
            content_type_id=values["content_type_id"], object_id=values["object_id"]
        )
        label = citation_label(item)
        self.upsert(Citation, item.get("id"), values, natural, label, compare_all=True)


def check_same_whole(record: models.Model, values: dict[str, Any], key: str) -> None:
    """A part found by its id (a party, component, amount, event, claim or citation) must
    belong to the deployment (a citation: to the record) the file gives it: an id never moves
    a part from one deployment to another. Only records the importer may see are found by
    id (``Importer.find_key``), so a part of a hidden deployment answers as an unknown id.

    Raises:
        RowRejected: the id names a part of another deployment or a citation of another
            record (``column`` "id").
    """
    owner = values.get("deployment_id", getattr(record, "deployment_id", None))
    if "deployment_id" in values and getattr(record, "deployment_id", owner) != owner:
        raise RowRejected(
            _(
                "the id %(key)s names a %(kind)s of another deployment: an import never "
                "moves a part; leave the id out (or give a new one) to add it here"
            )
            % {"key": key, "kind": record._meta.verbose_name},
            column="id",
        )
    if "object_id" in values and hasattr(record, "object_id"):
        target = (values.get("content_type_id"), values["object_id"])
        if (record.content_type_id, record.object_id) != target:
            raise RowRejected(
                _(
                    "the id %(key)s names a citation of another record: an import never "
                    "moves a citation; leave the id out (or give a new one) to add it here"
                )
                % {"key": key},
                column="id",
            )
