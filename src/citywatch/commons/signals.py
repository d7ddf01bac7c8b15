"""Audit sensitive changes wherever they are made (pages, admin, shell): visibility and roles."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from citywatch.atlas.models import Deployment
from citywatch.commons.models import AuditAction, AuditEntry
from citywatch.evidence.models import Source
from citywatch.teams.models import Membership


def current_user() -> Any:
    """The user of the request being served, if any (set by simple-history's middleware)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def record(action: str, target: Any, **details: Any) -> None:
    """An audit entry naming its actor (to staff): the request's user (a token's user for the
    API), or, with no request, the command line or a background task."""
    actor = current_user()
    if actor is None:
        details.setdefault("via", "command line or background task")
    AuditEntry.objects.create(actor=actor, action=action, target=str(target)[:300], details=details)


@receiver(pre_save, sender=Deployment)
@receiver(pre_save, sender=Source)
def visibility_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Who widened or narrowed who may see a deployment, a source (or, connected by the FOI
    desk, an FOI request)."""
    if raw or instance.pk is None:
        return
    before = (
        sender.objects.filter(pk=instance.pk)
        .values("visibility", "embargo_until", "owner_team_id")
        .first()
    )
    if before is None:
        return
    after = {
        "visibility": instance.visibility,
        "embargo_until": instance.embargo_until,
        "owner_team_id": instance.owner_team_id,
    }
    if before != after:
        changed = {k: [str(before[k]), str(after[k])] for k in after if before[k] != after[k]}
        record(AuditAction.VISIBILITY_CHANGED, instance, **changed)


@receiver(pre_save, sender=Membership)
def membership_role_changed(
    sender: Any, instance: Membership, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    before = Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    if before is not None and before != instance.role:
        record(AuditAction.ROLE_CHANGED, instance, before=before, after=instance.role)


@receiver(post_save, sender=Membership)
def membership_added(
    sender: Any, instance: Membership, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        record(AuditAction.MEMBER_ADDED, instance, role=instance.role)


@receiver(post_delete, sender=Membership)
def membership_removed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    record(AuditAction.MEMBER_REMOVED, instance, role=instance.role)
