"""The one sender list: whatever saves or deletes a record of a deployment's aggregate (the
admin, a migration's data, atlas's own services) ends in ``deployment_changed``
(``citywatch.core.signals``), sent through ``services.deployment_records_changed`` so that an
import sends it once. Derived fields (search text, years) listen to it here; the search index
listens in its own app."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from citywatch.actors.models import Organisation
from citywatch.atlas import services
from citywatch.atlas.models import Component, Party
from citywatch.core.signals import deployment_changed
from citywatch.evidence.models import Citation
from citywatch.places.models import Locality


def record_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A deployment, part or claim was saved or deleted (fixtures loaded raw are left alone)."""
    if not raw:
        services.deployment_records_changed([services.owning_deployment_id(instance)])


def citation_changed(sender: Any, instance: Citation, raw: bool = False, **kwargs: Any) -> None:
    if raw or not services.is_deployment_record(instance):
        return
    deployment_id = services.owning_deployment_id(instance)
    if deployment_id is not None:
        services.deployment_records_changed([deployment_id])


def organisation_saved(
    sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any
) -> None:
    """An organisation's name is part of the search text of every deal it is a party or a
    supplier in."""
    if raw:
        return
    ids = set(Party.objects.filter(organisation=instance).values_list("deployment_id", flat=True))
    ids |= set(Component.objects.filter(supplier=instance).values_list("deployment_id", flat=True))
    services.deployment_records_changed(ids)


def locality_saved(sender: Any, instance: Locality, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.deployment_records_changed(instance.deployments.values_list("pk", flat=True))


def refresh_derived(
    sender: Any,
    deployment_ids: frozenset[int],
    derived_current: frozenset[int] = frozenset(),
    **kwargs: Any,
) -> None:
    """Search text and years, but for the deployments written with them computed
    (``services.save_records_in_bulk``)."""
    services.refresh_derived_fields(deployment_ids - derived_current)


def connect() -> None:
    for model in services.DEPLOYMENT_RECORDS:
        uid = f"citywatch-deployment-record-{model._meta.label_lower}"
        post_save.connect(record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(record_changed, sender=model, dispatch_uid=uid)
    post_save.connect(citation_changed, sender=Citation, dispatch_uid="citywatch-atlas-citation")
    post_delete.connect(citation_changed, sender=Citation, dispatch_uid="citywatch-atlas-citation")
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="citywatch-atlas-org")
    post_save.connect(locality_saved, sender=Locality, dispatch_uid="citywatch-atlas-locality")
    deployment_changed.connect(refresh_derived, dispatch_uid="citywatch-derived-fields")
