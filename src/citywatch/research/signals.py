"""Keep the search index in step with the records it covers.

Deployments are indexed when ``deployment_changed`` (``citywatch.core.signals``) names them:
atlas sends it for every change to a deployment or its parts, claims and citations, and for
the organisations and places they name (one sender list, in ``citywatch.atlas.signals``).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_delete, post_migrate, post_save

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.core import bulk
from citywatch.core.signals import deployment_changed, records_created
from citywatch.evidence.models import SearchEntry, Source
from citywatch.evidence.queries import sources_using
from citywatch.places.models import Country
from citywatch.research import search

INDEX_BATCH = 500


def deployments_changed(
    sender: Any,
    deployment_ids: frozenset[int],
    derived_current: frozenset[int] = frozenset(),
    **kwargs: Any,
) -> None:
    """Index these deployments again, a batch at a time: their entries are replaced in one
    delete and one insert per batch; a deployment that is gone loses its entries. Those
    written by ``atlas.services.save_records_in_bulk`` (``derived_current``) were indexed
    from the records in hand when they were made (``records_added``)."""
    ids = sorted(deployment_ids - derived_current)
    for start in range(0, len(ids), INDEX_BATCH):
        index_deployments(sender, ids[start : start + INDEX_BATCH])


def index_deployments(model: Any, ids: list[int]) -> None:
    deployments = (
        search.all_records()[search.DEPLOYMENT]
        .filter(pk__in=ids)
        .prefetch_related(
            "parties__organisation",
            "components__technology",
            "components__supplier",
            "money",
            "events",
            "claims",
        )
    )
    entries = []
    for deployment in deployments:
        for number, part in enumerate(search.parts_for(search.DEPLOYMENT, deployment)):
            values = dict(zip(search.ENTRY_FIELDS, search.entry_values(number, part), strict=True))
            entries.append(SearchEntry(kind=search.DEPLOYMENT, object_id=deployment.pk, **values))
    with transaction.atomic():
        SearchEntry.objects.filter(kind=search.DEPLOYMENT, object_id__in=ids).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)


# The index's kinds of each record ``core.bulk`` creates many at a time (deployments follow
# ``deployment_changed``).
NEW_RECORD_KINDS = {
    "actors.organisation": (search.ORGANISATION,),
    "places.locality": (search.PLACE,),
    "evidence.source": (search.SOURCE, search.DOCUMENT),
}


def records_added(
    sender: Any,
    records: list[Any],
    parts: dict[int, dict[str, list[Any]]] | None = None,
    **kwargs: Any,
) -> None:
    """Index new organisations, places and sources made many at a time: one query and one
    insert per batch and kind, as ``index_record`` would for each; new deployments from the
    records in hand (``parts``: each one's parts by relation name, as
    ``atlas.services.save_records_in_bulk`` sends them), one insert per batch."""
    if sender is Deployment and parts is not None:
        index_new_deployments(records, parts)
        return
    ids = sorted(record.pk for record in records)
    for kind in NEW_RECORD_KINDS.get(sender._meta.label_lower, ()):
        for start in range(0, len(ids), INDEX_BATCH):
            index_new_records(kind, ids[start : start + INDEX_BATCH])


def index_new_deployments(deployments: list[Any], parts: dict[int, dict[str, list[Any]]]) -> None:
    """The entries of new deployments (no entry of theirs exists), from the deployments
    with their country and place set and their parts (``search.deployment_parts_of``)."""
    rows = []
    for deployment in deployments:
        own = parts[deployment.pk]
        found = search.deployment_parts_of(
            deployment,
            own["parties"],
            own["components"],
            own["money"],
            own["events"],
            own["claims"],
        )
        for number, part in enumerate(found):
            rows.append((search.DEPLOYMENT, deployment.pk, *search.entry_values(number, part)))
    # Many rows per INSERT: SQLite's FTS5 trigger then costs a fourth of its time per row.
    bulk.insert_plain(SearchEntry, ("kind", "object_id", *search.ENTRY_FIELDS), rows, grouped=True)


def index_new_records(kind: str, ids: list[int]) -> None:
    records = search.all_records()[kind].filter(pk__in=ids)
    if kind == search.DOCUMENT:
        # A source made a moment ago has no archived copy yet: only one with its document
        # has a text to index.
        records = records.exclude(document=None)
    entries = []
    for record in records:
        for number, part in enumerate(search.parts_for(kind, record)):
            values = dict(zip(search.ENTRY_FIELDS, search.entry_values(number, part), strict=True))
            entries.append(
                SearchEntry(kind=kind, object_id=search.record_key(kind, record), **values)
            )
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)


def organisation_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_record(search.ORGANISATION, instance)


def organisation_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.ORGANISATION, instance.pk)


def locality_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_record(search.PLACE, instance)


def locality_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.PLACE, instance.pk)


def foi_request_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_record(search.FOI_REQUEST, instance)


def foi_request_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.FOI_REQUEST, instance.pk)


def foi_part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A question or a letter changed: its request's entry follows."""
    if not raw:
        search.index_foi_request_by_id(getattr(instance, "request_id", None))


def source_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_source(instance)


def source_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.SOURCE, instance.pk)
    search.remove_entries(search.DOCUMENT, instance.pk)


def stored_file_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        for source in sources_using(instance):
            search.index_record(search.DOCUMENT, source)


def snapshot_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    source = Source.objects.filter(pk=instance.source_id).first()
    if not raw and source is not None:
        search.index_record(search.DOCUMENT, source)


def fully_migrated(using: str) -> bool:
    """Whether every migration is applied (not so after ``migrate evidence 0004`` or a
    partial migrate): only then do the models match the tables the index is built from."""
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def build_missing_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After migrating (``citywatch migrate``, ``citywatch init``): build the index of a
    database that has records but no index yet; otherwise index the records whose entries a
    data migration deleted as stale (``search.index_missing``)."""
    if sender.label != "evidence" or not fully_migrated(using):
        return
    if SearchEntry.objects.using(using).exists():
        search.index_missing()
        return
    if (
        Organisation.objects.using(using).exists()
        or Source.objects.using(using).exists()
        or Country.objects.using(using).exists()
    ):
        search.rebuild_index()


def connect() -> None:
    deployment_changed.connect(deployments_changed, dispatch_uid="citywatch-search-deployments")
    records_created.connect(records_added, dispatch_uid="citywatch-search-new-records")
    post_save.connect(organisation_saved, sender="actors.Organisation")
    post_delete.connect(organisation_deleted, sender="actors.Organisation")
    post_save.connect(locality_saved, sender="places.Locality")
    post_delete.connect(locality_deleted, sender="places.Locality")
    post_save.connect(foi_request_saved, sender="foi.FoiRequest")
    post_delete.connect(foi_request_deleted, sender="foi.FoiRequest")
    for label in ("foi.FoiQuestion", "foi.FoiMessage"):
        post_save.connect(foi_part_changed, sender=label)
        post_delete.connect(foi_part_changed, sender=label)
    post_save.connect(source_saved, sender="evidence.Source")
    post_delete.connect(source_deleted, sender="evidence.Source")
    post_save.connect(stored_file_saved, sender="evidence.StoredFile")
    post_save.connect(snapshot_changed, sender="evidence.Snapshot")
    post_delete.connect(snapshot_changed, sender="evidence.Snapshot")
    post_migrate.connect(build_missing_index)
