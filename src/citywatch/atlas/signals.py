"""Keep derived deployment fields current whenever a deal or one of its parts changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Event, Money, Party
from citywatch.atlas.services import refresh_derived_fields
from citywatch.places.models import Locality


@receiver(post_save, sender=Deployment)
def deployment_saved(sender: Any, instance: Deployment, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_derived_fields([instance.pk])


@receiver(post_save, sender=Party)
@receiver(post_save, sender=Component)
@receiver(post_save, sender=Event)
@receiver(post_save, sender=Money)
@receiver(post_delete, sender=Party)
@receiver(post_delete, sender=Component)
@receiver(post_delete, sender=Event)
@receiver(post_delete, sender=Money)
def part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_derived_fields([instance.deployment_id])


@receiver(post_save, sender=Organisation)
def organisation_saved(
    sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        ids = Party.objects.filter(organisation=instance).values_list("deployment_id", flat=True)
        refresh_derived_fields(list(ids))


@receiver(post_save, sender=Locality)
def locality_saved(sender: Any, instance: Locality, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_derived_fields(list(instance.deployments.values_list("pk", flat=True)))
