"""Imports of large `citywatch.json` files: the common case, new deployments with their parts
and new citations of them, written many at a time (issue 13 item 6).

The keys, slugs and records a file names are looked up for all its rows in a few queries per
kind (``Importer.find_keys``, ``keys.taken``), each row's records are built and checked in
Python (``atlas.services.check_new_record``: the rules and messages of ``full_clean``), and a
batch of rows is written by ``atlas.services.save_records_in_bulk`` (rows, history rows, one
``deployment_changed`` and one change of the page cache's generation) with their stable ids
(``keys.remember_new``).

A row takes this path only when it surely imports as the row-by-row path would import it:
every id it gives is new here and in the file so far, every record it names is known (not
left by a refused row), its slug is free, and every record passes its checks. Any other row
(one that updates a record, one with a problem, a contributor's import, a deployment hidden
when made) goes through the row-by-row path, after the rows before it are written: so the
report (its changes, warnings and problems, each with its JSON path and line) is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from citywatch.actors.models import Organisation
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.core import bulk, slugs
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import keys
from citywatch.exchange.dataset import (
    CITATION_FIELDS,
    DEPLOYMENT_FIELDS,
    TARGET_MODELS,
)
from citywatch.exchange.imports.access import owner_team_for
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
from citywatch.exchange.imports.report import ApproximatePlace, Change, RowRejected
from citywatch.places.models import Country, Locality
from citywatch.places.services import PlaceError, locate
from citywatch.teams import permissions

if TYPE_CHECKING:
    from citywatch.exchange.imports.citywatch_json import JsonImporter

# Rows written per batch: a few inserts per model and per batch.
BATCH = 1000
# False: every row goes the row-by-row way (the tests compare both ways).
ENABLED = True
# The records each list of a deployment names, by field: (model, field in the file).
REFERENCES: dict[str, tuple[tuple[type[models.Model], str], ...]] = {
    "parties": ((Organisation, "organisation"),),
    "components": ((Organisation, "supplier"),),
    "money": ((Organisation, "lender"),),
    "events": (),
    "claims": ((Organisation, "vendor"),),
}
PART_MODELS: dict[str, type[models.Model]] = {
    "parties": Party,
    "components": Component,
    "money": Money,
    "events": Event,
    "claims": VendorClaim,
}


class NotSimple(Exception):
    """This row is left to the row-by-row path."""


@dataclass
class NewRecord:
    """A record a row creates, with its stable id and what the report calls it."""

    record: models.Model
    key: str
    label: Callable[[], str]


@dataclass
class NewRow:
    """A row of the file that creates records only (the first is the row's own record), or
    names a record the atlas has already, taken as it is (``known``)."""

    line: int | None
    records: list[NewRecord] = field(default_factory=list)
    known: NewRecord | None = None
    approximate: ApproximatePlace | None = None
    item: Any = None
    path: str = ""


class BulkRows:
    """Plans and writes the simple rows of one list of the file (deployments, citations)."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        self.importer = importer
        self.items = items
        self.pending: list[NewRow] = []
        # Ids named by the rows seen so far in this list (a second row with the same id
        # updates what the first made: row by row).
        self.used_keys: set[str] = set()
        self.enabled = ENABLED and not importer.proposing
        self.taken_keys = keys.taken(self.item_keys(items)) if self.enabled else set()
        self.references: dict[type[models.Model], dict[str, int]] = {}
        self.by = permissions.INTERNAL if importer.user is None else importer.user

    # What the rows name, for all of them ------------------------------------------------------

    def item_keys(self, items: list[Any]) -> Iterable[str]:
        """The keys (ids) the rows of this kind give, for the look-ups made before planning.

        Raises:
            NotImplementedError: a subclass must say this.
        """
        raise NotImplementedError

    def resolve_references(self, wanted: dict[type[models.Model], set[str]]) -> None:
        """Find, in a few queries per kind, the records the rows name that the file has not
        named before (``Importer.find_keys``: what the importer may see)."""
        for model, found_keys in wanted.items():
            unknown = {key for key in found_keys if (model, key) not in self.importer.found and key}
            self.references[model] = self.importer.find_keys(model, unknown)

    def reference_of(self, model: type[models.Model], key: Any, field: str) -> int | None:
        """``reference`` in the shape ``json_rows.part_values`` asks for.

        Raises:
            NotSimple: the record is unknown, or was named by a row that was refused.
        """
        return self.reference(model, key)

    def reference(self, model: type[models.Model], key: Any) -> int | None:
        """The primary key of the record a row names, as ``JsonImporter.ref`` finds it.

        Raises:
            NotSimple: the record is unknown, or was named by a row that was refused.
        """
        if key in (None, ""):
            return None
        if not isinstance(key, str):
            raise NotSimple
        pk = self.importer.known(model, key)
        if pk is None:
            pk = self.references.get(model, {}).get(key)
        if pk is None:
            raise NotSimple
        return pk

    def claim_key(self, key: Any, row_keys: set[str]) -> str:
        """A new stable id of a record the row creates.

        Raises:
            NotSimple: the id names a record here already, or another row of the file or
                another record of this row gives it.
        """
        if key in (None, ""):
            return ""
        if not isinstance(key, str) or key in self.taken_keys or key in self.used_keys:
            raise NotSimple
        if key in row_keys:
            raise NotSimple
        row_keys.add(key)
        return key

    def check(self, record: models.Model) -> models.Model:
        """The record, checked as the row-by-row path checks it (``core.bulk.check_new``).

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        try:
            bulk.check_new(record)
        except ValidationError as error:
            raise NotSimple from error
        return record

    # Writing ----------------------------------------------------------------------------------

    def add(self, row: NewRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the planned rows, then report them as the row-by-row path does. Should the
        database refuse the batch after all (a value taken that the checks missed), the
        batch is undone and its rows go the row-by-row way, each reported on its own."""
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        try:
            with transaction.atomic():
                self.write(rows)
        except DatabaseError:
            for row in rows:
                self.importer.row(row.line, row.path, lambda row=row: self.slow(row.item, row.path))
            self.after_slow()
            return
        importer = self.importer
        # What the report calls a record of each kind, and what it did (a place: named alike
        # whether the atlas had it or not, ``use_place``).
        said: dict[type[models.Model], tuple[str, str]] = {}
        for row in rows:
            for new in row.records:
                model = type(new.record)
                if model not in said:
                    action = "use" if importer.tells_places_alike(model) else "create"
                    said[model] = (action, str(model._meta.verbose_name))
                action, kind = said[model]
                importer.report.changes.append(Change(row.line, action, kind, new.label()))
                importer.created.add((model, new.key))
                importer.claimed[model].add(new.record.pk)
                importer.fresh[model].add(new.record.pk)
                if new.key:
                    importer.remember_found(model, new.key, new.record.pk)
            if row.known is not None:
                model = type(row.known.record)
                if importer.tells_places_alike(model):
                    label = row.known.label()
                    importer.report.changes.append(
                        Change(row.line, "use", str(model._meta.verbose_name), label)
                    )
                else:
                    importer.report.unchanged[str(model._meta.verbose_name)] += 1
                importer.remember_found(model, row.known.key, row.known.record.pk)
            if row.approximate is not None:
                importer.report.approximate.append(row.approximate)

    def write(self, rows: list[NewRow]) -> None:
        """Insert the rows' records (atlas's through ``save_records_in_bulk``, shared
        reference records through ``core.bulk``) and their stable ids."""
        records = [new.record for row in rows for new in row.records]
        atlas_records = [r for r in records if atlas_services.is_deployment_record(r)]
        others: dict[type[models.Model], list[models.Model]] = {}
        for record in records:
            if not atlas_services.is_deployment_record(record):
                others.setdefault(type(record), []).append(record)
        for model, batch in others.items():
            bulk.create_with_history(model, batch, reason=self.importer.change_reason)
        if atlas_records:
            atlas_services.save_records_in_bulk(
                atlas_records, by=self.by, reason=self.importer.change_reason
            )
        pairs = [(new.record, new.key) for row in rows for new in row.records]
        pairs += [(row.known.record, row.known.key) for row in rows if row.known is not None]
        keys.remember_new(pairs)

    def seen(self, item: Any) -> None:
        """What a row names, once it is imported (either way)."""
        self.used_keys.update(self.item_keys([item]))

    def after_slow(self) -> None:
        """A row went the row-by-row way: forget what it may have changed."""

    def run(self, name: str, slow: Callable[[Any, str], Any]) -> None:
        """Import the list ``name`` (the items given): each simple row planned and written in
        batches, any other row by ``slow(item, path)`` in its own savepoint, after the rows
        before it."""
        importer = self.importer
        self.slow = slow
        for index, item in enumerate(self.items):
            importer.report.rows += 1
            line = importer.lines.get((name, index))
            path = f"{name}[{index}]"
            row = None
            if self.enabled:
                try:
                    row = self.plan(item, line, path)
                except (
                    NotSimple,
                    RowRejected,
                    PlaceError,
                    LookupError,
                    TypeError,
                    ValueError,
                    AttributeError,
                ):
                    row = None
            if row is not None:
                row.line, row.item, row.path = line, item, path
                self.add(row)
            else:
                self.flush()
                importer.row(line, path, lambda item=item, path=path: slow(item, path))
                self.after_slow()
            self.seen(item)
        self.flush()

    def plan(self, item: Any, line: int | None, path: str) -> NewRow | None:
        """The records this row creates, checked; None when the row has nothing to write here.

        Raises:
            NotImplementedError: a subclass must say this.
        """
        raise NotImplementedError


class BulkDeployments(BulkRows):
    """New deployments with their parties, components, money, events and vendor claims."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        super().__init__(importer, items)
        self.taken_slugs: set[str] = set()
        if not self.enabled:
            return
        wanted: dict[type[models.Model], set[str]] = {Locality: set(), Organisation: set()}
        raw_slugs: set[str] = set()
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("locality"), str):
                wanted[Locality].add(item["locality"])
            for part, references in REFERENCES.items():
                for entry in item.get(part) or []:
                    for model, name in references:
                        if isinstance(entry, dict) and isinstance(entry.get(name), str):
                            wanted[model].add(entry[name])
            if isinstance(item.get("slug"), str):
                raw_slugs.update({item["slug"], slugs.slug_text(item["slug"])})
        self.resolve_references(wanted)
        self.localities = self.in_bulk(
            Locality,
            [pk for pk in self.references[Locality].values()]
            + [pk for (model, _key), pk in importer.found.items() if model is Locality],
        )
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.taken_slugs = self.existing_slugs(raw_slugs)
        self.team = owner_team_for(importer.user)

    @staticmethod
    def in_bulk(model: type[models.Model], pks: list[int]) -> dict[int, models.Model]:
        ordered = sorted(set(pks))
        found: dict[int, models.Model] = {}
        for start in range(0, len(ordered), keys.KEY_BATCH):
            found.update(model._default_manager.in_bulk(ordered[start : start + keys.KEY_BATCH]))
        return found

    @staticmethod
    def existing_slugs(wanted: set[str]) -> set[str]:
        ordered = sorted(wanted)
        found: set[str] = set()
        for start in range(0, len(ordered), keys.KEY_BATCH):
            chunk = ordered[start : start + keys.KEY_BATCH]
            found.update(Deployment.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        return found

    def item_keys(self, items: list[Any]) -> Iterable[str]:
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("id"), str):
                yield item["id"]
            for part in PART_MODELS:
                for entry in item.get(part) or []:
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        yield entry["id"]

    def note_slug(self, slug: str) -> None:
        """A slug this import gave (or may have given) a deployment: a later row that names
        it finds that deployment (row by row)."""
        self.taken_slugs.update({slug, slugs.slug_text(slug)})

    def plan(self, item: dict[str, Any], line: int | None, path: str) -> NewRow | None:
        """The records a new deployment's row creates, checked; None (or NotSimple) when the
        row is for the row-by-row path.

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        row_keys: set[str] = set()
        key = self.claim_key(item["id"], row_keys)
        if not key:
            raise NotSimple
        values = present(item, DEPLOYMENT_FIELDS)
        if item["country"] not in self.countries or "visibility" in item or "embargo_until" in item:
            raise NotSimple  # who sees it is set row by row (JsonImporter.visibility)
        values["country_id"] = item["country"]
        locality = None
        if "locality" in item:
            locality_id = self.reference(Locality, item["locality"])
            if locality_id is not None:
                locality = self.localities.get(locality_id)
                if locality is None:
                    raise NotSimple
        raw = values["slug"]
        slug = slugs.slug_text(raw)
        if (
            not slug
            or raw in self.taken_slugs
            or slug in self.taken_slugs
            or slug in atlas_services.RESERVED_SLUGS
        ):
            raise NotSimple
        values["slug"] = slug
        if self.team is not None:
            values["owner_team_id"] = self.team.pk
        deployment = bulk.new_record(Deployment, values)
        deployment.locality = locality
        if not permissions.is_public(deployment):
            raise NotSimple  # a hidden one's unguessable slug: made row by row
        self.check(deployment)
        self.note_slug(raw)
        row = NewRow(None, [NewRecord(deployment, key, lambda: deployment.slug)])
        for part, model in PART_MODELS.items():
            for entry in item.get(part) or []:
                row.records.append(self.part(model, entry, deployment, row_keys))
        parties = [
            (new.record.organisation_id, new.record.role)
            for new in row.records
            if isinstance(new.record, Party)
        ]
        if len(parties) != len(set(parties)):
            raise NotSimple  # one organisation twice in one role: refused row by row
        return row

    def part(
        self, model: type[models.Model], item: dict[str, Any], deployment: Deployment, row_keys: set
    ) -> NewRecord:
        """A part of a new deployment, as ``JsonImporter.party`` … ``claim`` build it.

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        key = self.claim_key(item.get("id"), row_keys)
        values = part_values(model, item, self.importer.technologies, self.reference_of)
        if model is Party and values["organisation_id"] is None:
            raise NotSimple
        if model is VendorClaim and values["vendor_id"] is None:
            raise NotSimple
        name = part_label(model, item, values)
        record = bulk.new_record(model, values)
        record.deployment = deployment
        return NewRecord(self.check(record), key, lambda: name(deployment.slug))


class BulkCitations(BulkRows):
    """New citations of deployments and their parts made by this import's simple rows."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        super().__init__(importer, items)
        if not self.enabled:
            return
        wanted: dict[type[models.Model], set[str]] = {Source: set()}
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("source"), str):
                wanted[Source].add(item["source"])
        self.resolve_references(wanted)

    def item_keys(self, items: list[Any]) -> Iterable[str]:
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield item["id"]

    def plan(self, item: dict[str, Any], line: int | None, path: str) -> NewRow | None:
        """The new citation a row makes, checked; None (or NotSimple) for the row-by-row
        path: its target must be a record this import made (so no citation of it exists but
        those this import made, each matched once already).

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        key = self.claim_key(item.get("id"), set())
        values = present(item, CITATION_FIELDS)
        target = item["target"]
        model = TARGET_MODELS[target["type"]]
        if model not in atlas_services.DEPLOYMENT_RECORDS:
            raise NotSimple
        values["source_id"] = self.reference(Source, item["source"])
        object_id = self.reference(model, target["id"])
        if values["source_id"] is None or object_id not in self.importer.fresh[model]:
            raise NotSimple
        citation = bulk.new_record(Citation, {**values, "object_id": object_id})
        citation.content_type = ContentType.objects.get_for_model(model)
        label = citation_label(item)
        return NewRow(None, [NewRecord(self.check(citation), key, lambda: label)])


def existing_values(model: type[models.Model], name: str, wanted: Iterable[Any]) -> set[Any]:
    """Which of these values of the field ``name`` records of ``model`` hold already (one
    query per ``keys.KEY_BATCH`` values)."""
    ordered = sorted({value for value in wanted if value not in (None, "")}, key=str)
    found: set[Any] = set()
    for start in range(0, len(ordered), keys.KEY_BATCH):
        chunk = ordered[start : start + keys.KEY_BATCH]
        found.update(
            model._default_manager.filter(**{f"{name}__in": chunk}).values_list(name, flat=True)
        )
    return found


class BulkReferenceRows(BulkRows):
    """Rows of the shared reference records (sources, organisations, places), each with its
    stable id."""

    def item_keys(self, items: list[Any]) -> Iterable[str]:
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield item["id"]

    def new_key(self, item: dict[str, Any]) -> str:
        """The row's own key, claimed for this import (no other row of the file claims it).

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        key = self.claim_key(item["id"], set())
        if not key:
            raise NotSimple
        return key


class BulkMatchedRows(BulkReferenceRows):
    """New records of a kind the row-by-row path also finds by one field (a source by its web
    address, an organisation by its slug): a row whose value of that field a record here or
    an earlier row holds goes row by row."""

    model: type[models.Model]
    # The field the row-by-row path finds a record by, and the report names it by.
    matched_by: str
    label_field: str

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        super().__init__(importer, items)
        self.used: set[Any] = set()
        if self.enabled:
            wanted = [item.get(self.matched_by) for item in items if isinstance(item, dict)]
            self.used = existing_values(self.model, self.matched_by, wanted)
            self.countries = set(Country.objects.values_list("code", flat=True))
            self.team = owner_team_for(importer.user)

    def seen(self, item: Any) -> None:
        super().seen(item)
        if isinstance(item, dict) and isinstance(item.get(self.matched_by), str):
            self.used.add(item[self.matched_by])

    def values_of(self, item: dict[str, Any]) -> dict[str, Any]:
        """The new record's fields.

        Raises:
            NotImplementedError: a subclass must say this.
        """
        raise NotImplementedError

    def plan(self, item: dict[str, Any], line: int | None, path: str) -> NewRow | None:
        """The record this row creates, checked.

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        key = self.new_key(item)
        values = self.values_of(item)
        matched = values.get(self.matched_by)
        if not matched or not isinstance(matched, str) or matched in self.used:
            raise NotSimple  # found by it (or, a source, by title and publisher): row by row
        record = self.check(bulk.new_record(self.model, values))
        label = values[self.label_field]
        return NewRow(line, [NewRecord(record, key, lambda: label)])


class BulkSources(BulkMatchedRows):
    """New sources, each with a web address no source has (``JsonImporter.source`` would
    otherwise find one by it), owned by the importer's team."""

    model, matched_by, label_field = Source, "url", "title"

    def values_of(self, item: dict[str, Any]) -> dict[str, Any]:
        values = source_values(item)
        if self.team is not None:
            values["owner_team_id"] = self.team.pk
        return values


class BulkOrganisations(BulkMatchedRows):
    """New organisations, each with a slug no organisation has (the one rule of matching an
    organisation by what it is, ``JsonImporter.organisation``)."""

    model, matched_by, label_field = Organisation, "slug", "slug"

    def values_of(self, item: dict[str, Any]) -> dict[str, Any]:
        """The new organisation's fields.

        Raises:
            NotSimple: its country is not one here (refused row by row).
        """
        values = organisation_values(item)
        if values.get("country_id") is not None and values["country_id"] not in self.countries:
            raise NotSimple
        return values


class BulkLocalities(BulkReferenceRows):
    """Places: one the atlas has (by GeoNames id, or as the place resolver finds it) is taken
    as it is; a new one is made as ``JsonImporter.locality`` makes it. A row whose place
    raises a note, is ambiguous, or is one a row of this batch makes goes row by row."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        super().__init__(importer, items)
        self.by_country: dict[str, list[Locality]] = {}
        self.used_geonames: set[int] = set()
        self.by_geonames: dict[int, Locality] = {}
        if self.enabled:
            wanted = sorted(
                {
                    item["geonames_id"]
                    for item in items
                    if isinstance(item, dict) and isinstance(item.get("geonames_id"), int)
                }
            )
            for start in range(0, len(wanted), keys.KEY_BATCH):
                chunk = wanted[start : start + keys.KEY_BATCH]
                for locality in Locality.objects.filter(geonames_id__in=chunk):
                    self.by_geonames[locality.geonames_id] = locality
            self.used_geonames = set(
                Locality.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True)
            )
            self.countries = set(Country.objects.values_list("code", flat=True))

    def country_localities(self, country: str) -> list[Locality]:
        """The country's localities: those here (read once) and those planned since."""
        if country not in self.by_country:
            self.by_country[country] = list(
                self.importer.scope(Locality).visible.filter(country_id=country)
            )
        return self.by_country[country]

    def after_slow(self) -> None:
        self.by_country = {}  # the row may have made a place: read them again
        self.used_geonames = set(
            Locality.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True)
        )

    def plan(self, item: dict[str, Any], line: int | None, path: str) -> NewRow | None:
        """The records this row creates, checked; None when the row has nothing to write here.

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        key = self.new_key(item)
        name, country = item["name"], item["country"]
        given, latitude, longitude = place_given(item)
        known = self.by_geonames.get(given["geonames_id"]) if given.get("geonames_id") else None
        if known is None:
            placement = locate(
                name,
                country,
                item.get("subdivision_code", ""),
                latitude,
                longitude,
                localities=self.country_localities(country),
            )
            if placement.notes:
                raise NotSimple  # warned row by row
            known = placement.locality
            if known is None:
                return self.new_place(item, key, given, placement, line, path)
        if known.pk is None:
            raise NotSimple  # a place another row of this batch makes
        return NewRow(line, known=NewRecord(known, key, lambda: name))

    def new_place(
        self,
        item: dict[str, Any],
        key: str,
        given: dict[str, Any],
        placement: Any,
        line: int | None,
        path: str,
    ) -> NewRow:
        """The new locality a row makes, as ``JsonImporter.locality`` makes it, checked.

        Raises:
            NotSimple: the row is for the row-by-row path (it may match an existing record, names
                something this import makes, or fails a check the per-row path reports with its own
                message).
        """
        values = new_place_values(item, given, placement)
        if values["country_id"] not in self.countries:
            raise NotSimple
        locality = self.check(bulk.new_record(Locality, values))
        localities = self.country_localities(locality.country_id)
        same = [
            other
            for other in localities
            if (other.subdivision_code, other.name) == (locality.subdivision_code, locality.name)
        ]
        geonames_id = locality.geonames_id
        if same or (geonames_id is not None and geonames_id in self.used_geonames):
            raise NotSimple  # refused by the database's rules: reported row by row
        approximate = None
        if locality.approximate:
            approximate = approximate_place(line, item["name"], placement, locality, path)
        localities.append(locality)
        if geonames_id is not None:
            self.used_geonames.add(geonames_id)
        label = item["name"]
        return NewRow(line, [NewRecord(locality, key, lambda: label)], approximate=approximate)
