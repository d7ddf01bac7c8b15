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
from django.db import models

from citywatch.actors.models import Organisation
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.core import slugs
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import keys
from citywatch.exchange.dataset import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    COMPONENT_FIELDS,
    DEPLOYMENT_FIELDS,
    EVENT_FIELDS,
    MONEY_FIELDS,
    PARTY_FIELDS,
    TARGET_MODELS,
)
from citywatch.exchange.imports.access import owner_team_for
from citywatch.exchange.imports.report import Change, RowRejected
from citywatch.places.models import Country, Locality
from citywatch.teams import permissions

if TYPE_CHECKING:
    from citywatch.exchange.imports.citywatch_json import JsonImporter

# Rows written per batch: a few inserts per model and per batch.
BATCH = 1000
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
    """A row of the file that creates records only: the first is the row's own record."""

    line: int | None
    records: list[NewRecord] = field(default_factory=list)


class BulkRows:
    """Plans and writes the simple rows of one list of the file (deployments, citations)."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        self.importer = importer
        self.pending: list[NewRow] = []
        # Ids named by the rows seen so far in this list (a second row with the same id
        # updates what the first made: row by row).
        self.used_keys: set[str] = set()
        self.enabled = not importer.proposing
        self.taken_keys = keys.taken(self.item_keys(items)) if self.enabled else set()
        self.references: dict[type[models.Model], dict[str, int]] = {}
        self.by = permissions.INTERNAL if importer.user is None else importer.user

    # What the rows name, for all of them ------------------------------------------------------

    def item_keys(self, items: list[Any]) -> Iterable[str]:
        raise NotImplementedError

    def resolve_references(self, wanted: dict[type[models.Model], set[str]]) -> None:
        """Find, in a few queries per kind, the records the rows name that the file has not
        named before (``Importer.find_keys``: what the importer may see)."""
        for model, found_keys in wanted.items():
            unknown = {key for key in found_keys if (model, key) not in self.importer.found and key}
            self.references[model] = self.importer.find_keys(model, unknown)

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
        try:
            atlas_services.check_new_record(record)
        except ValidationError as error:
            raise NotSimple from error
        return record

    # Writing ----------------------------------------------------------------------------------

    def add(self, row: NewRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the planned rows, then report them as the row-by-row path does."""
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        records = [new.record for row in rows for new in row.records]
        atlas_services.save_records_in_bulk(records, by=self.by, reason=self.importer.change_reason)
        keys.remember_new((new.record, new.key) for row in rows for new in row.records)
        importer = self.importer
        for row in rows:
            for new in row.records:
                model = type(new.record)
                kind = str(model._meta.verbose_name)
                importer.report.changes.append(Change(row.line, "create", kind, new.label()))
                importer.created.add((model, new.key))
                importer.claimed[model].add(new.record.pk)
                importer.fresh[model].add(new.record.pk)
                if new.key:
                    importer.remember_found(model, new.key, new.record.pk)

    def run(
        self, name: str, items: list[Any], plan: Callable[[Any], NewRow | None], slow: Any
    ) -> None:
        """Import the list ``name``: each simple row planned and written in batches, any
        other row by ``slow(item, path)`` in its own savepoint, after the rows before it."""
        importer = self.importer
        for index, item in enumerate(items):
            importer.report.rows += 1
            line = importer.lines.get((name, index))
            path = f"{name}[{index}]"
            row = None
            if self.enabled and importer.report.ok:
                try:
                    row = plan(item)
                except (NotSimple, RowRejected, KeyError, TypeError, ValueError, AttributeError):
                    row = None
            if row is not None:
                row.line = line
                self.add(row)
            else:
                self.flush()
                importer.row(line, path, lambda item=item, path=path: slow(item, path))
            self.used_keys.update(self.item_keys([item]))
        self.flush()


class BulkDeployments(BulkRows):
    """New deployments with their parties, components, money, events and vendor claims."""

    def __init__(self, importer: JsonImporter, items: list[Any]) -> None:
        super().__init__(importer, items)
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

    def plan(self, item: dict[str, Any]) -> NewRow | None:
        """The records a new deployment's row creates, checked; None (or NotSimple) when the
        row is for the row-by-row path."""
        from citywatch.exchange.imports.citywatch_json import present

        row_keys: set[str] = set()
        key = self.claim_key(item["id"], row_keys)
        if not key:
            raise NotSimple
        values = present(item, DEPLOYMENT_FIELDS)
        if item["country"] not in self.countries:
            raise NotSimple
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
        deployment = Deployment(**values)
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
        """A part of a new deployment, as ``JsonImporter.party`` … ``claim`` build it."""
        from citywatch.exchange.imports.citywatch_json import present

        key = self.claim_key(item.get("id"), row_keys)
        importer = self.importer
        if model is Party:
            values = present(item, PARTY_FIELDS)
            values["organisation_id"] = self.reference(Organisation, item["organisation"])
            if values["organisation_id"] is None:
                raise NotSimple
            role = values["role"]
            label = lambda: f"{deployment.slug}/{role}"  # noqa: E731
        elif model is Component:
            values = present(item, COMPONENT_FIELDS)
            technology = item["technology"]
            if technology not in importer.technologies:
                raise NotSimple
            values["technology_id"] = importer.technologies[technology]
            if "supplier" in item:
                values["supplier_id"] = self.reference(Organisation, item["supplier"])
            label = lambda: f"{deployment.slug}/{technology}"  # noqa: E731
        elif model is Money:
            values = present(item, MONEY_FIELDS)
            if "lender" in item:
                values["lender_id"] = self.reference(Organisation, item["lender"])
            financing = values.get("financing", "money")
            label = lambda: f"{deployment.slug}/{financing}"  # noqa: E731
        elif model is Event:
            values = present(item, EVENT_FIELDS)
            title = values["title"][:40]
            label = lambda: f"{deployment.slug}/{title}"  # noqa: E731
        else:
            values = present(item, CLAIM_FIELDS)
            values["vendor_id"] = self.reference(Organisation, item["vendor"])
            if values["vendor_id"] is None:
                raise NotSimple
            statement = values["statement"][:40]
            label = lambda: statement  # noqa: E731
        record = model(**values)
        record.deployment = deployment
        return NewRecord(self.check(record), key, label)


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

    def plan(self, item: dict[str, Any]) -> NewRow | None:
        """The new citation a row makes, checked; None (or NotSimple) for the row-by-row
        path: its target must be a record this import made (so no citation of it exists but
        those this import made, each matched once already)."""
        from citywatch.exchange.imports.citywatch_json import present

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
        citation = Citation(**values, object_id=object_id)
        citation.content_type = ContentType.objects.get_for_model(model)
        label = f"{target['type']} ← {values['source_id']}"
        return NewRow(None, [NewRecord(self.check(citation), key, lambda: label)])
