"""Keep the search index in step with the records it covers."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_delete, post_migrate, post_save

from citywatch.actors.models import Organisation
from citywatch.evidence.models import SearchEntry, Source
from citywatch.evidence.queries import sources_using
from citywatch.places.models import Country
from citywatch.research import search

DEPLOYMENT_PARTS = ("atlas.Party", "atlas.Component", "atlas.Money", "atlas.Event")


def deployment_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_record(search.DEPLOYMENT, instance)


def deployment_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.DEPLOYMENT, instance.pk)


def deployment_part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_deployment_by_id(getattr(instance, "deployment_id", None))


def organisation_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    search.index_record(search.ORGANISATION, instance)
    for deployment_id in set(instance.parties.values_list("deployment_id", flat=True)):
        search.index_deployment_by_id(deployment_id)


def organisation_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    search.remove_entries(search.ORGANISATION, instance.pk)


def locality_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        search.index_record(search.PLACE, instance)
        for deployment_id in instance.deployments.values_list("pk", flat=True):
            search.index_deployment_by_id(deployment_id)


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
    """After migrating a database that has records but no index yet, build the index."""
    if sender.label != "evidence" or not fully_migrated(using):
        return
    if SearchEntry.objects.using(using).exists():
        return
    if (
        Organisation.objects.using(using).exists()
        or Source.objects.using(using).exists()
        or Country.objects.using(using).exists()
    ):
        search.rebuild_index()


def connect() -> None:
    post_save.connect(deployment_saved, sender="atlas.Deployment")
    post_delete.connect(deployment_deleted, sender="atlas.Deployment")
    for label in (*DEPLOYMENT_PARTS, "atlas.VendorClaim"):
        post_save.connect(deployment_part_changed, sender=label)
        post_delete.connect(deployment_part_changed, sender=label)
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
