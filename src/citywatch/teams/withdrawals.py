"""Stamp the moment a record leaves what the public may see (see ``PublicWithdrawal``).

Apps declare their public records with :func:`watch` from their ``AppConfig.ready()``; the
public dataset's Last-Modified (``exchange.queries.fingerprint``) includes these stamps.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_save, pre_delete, pre_save

from citywatch.teams import permissions
from citywatch.teams.models import PublicWithdrawal


def is_public(model: type[Model], pk: Any) -> bool:
    return model._default_manager.filter(permissions.visible_q(None, model), pk=pk).exists()


def remember_if_public(sender: type[Model], instance: Model, raw: bool = False, **_: Any) -> None:
    instance._was_public = not raw and instance.pk is not None and is_public(sender, instance.pk)


def stamp_if_withdrawn(sender: type[Model], instance: Model, raw: bool = False, **_: Any) -> None:
    if getattr(instance, "_was_public", False) and not is_public(sender, instance.pk):
        PublicWithdrawal.objects.create()


def stamp_if_public_deleted(sender: type[Model], instance: Model, **_: Any) -> None:
    if instance.pk is not None and is_public(sender, instance.pk):
        PublicWithdrawal.objects.create()


def watch(model: type[Model], *, own_visibility: bool = False) -> None:
    """Stamp a withdrawal when a public record of ``model`` is deleted and, for a model with a
    visibility of its own, when a save makes it non-public."""
    uid = model._meta.label_lower
    pre_delete.connect(stamp_if_public_deleted, sender=model, dispatch_uid=f"withdraw-del-{uid}")
    if own_visibility:
        pre_save.connect(remember_if_public, sender=model, dispatch_uid=f"withdraw-pre-{uid}")
        post_save.connect(stamp_if_withdrawn, sender=model, dispatch_uid=f"withdraw-post-{uid}")
