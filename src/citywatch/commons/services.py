"""Writes for the commons: proposals, review, reverting, the audit log. Each is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from citywatch.commons import permissions
from citywatch.commons.models import (
    AuditAction,
    AuditEntry,
    ChangeProposal,
    ReviewStatus,
    Team,
)

# The fields of a deployment a contributor may propose to change.
EDITABLE_DEPLOYMENT_FIELDS = [
    "title",
    "summary",
    "status",
    "certainty",
    "visibility",
    "embargo_until",
]


def field_value(record: models.Model, name: str) -> Any:
    """A field's value as JSON-friendly data (dates as ISO text, foreign keys as ids)."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def current_values(record: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: field_value(record, name) for name in names}


@dataclass
class FieldChange:
    name: str
    label: str
    current: Any
    proposed: Any
    when_proposed: Any
    choices: dict[Any, Any] | None = None

    @property
    def changed_since_proposal(self) -> bool:
        return self.current != self.when_proposed

    def shown(self, value: Any) -> Any:
        """A value as people read it: the label of a choice, not its code."""
        return self.choices.get(value, value) if self.choices else value

    @property
    def current_shown(self) -> Any:
        return self.shown(self.current)

    @property
    def proposed_shown(self) -> Any:
        return self.shown(self.proposed)

    @property
    def when_proposed_shown(self) -> Any:
        return self.shown(self.when_proposed)


def audit(actor: Any, action: str, target: Any, **details: Any) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if permissions.is_authenticated(actor) else None,
        action=action,
        target=str(target)[:300],
        details=details,
    )


def propose_change(
    record: models.Model,
    values: dict[str, Any],
    *,
    user: Any,
    reason: str = "",
    team: Team | None = None,
) -> ChangeProposal:
    """Keep only real changes; refuse a proposal that changes nothing."""
    if not permissions.can_edit(user, record):
        raise PermissionDenied
    changes = {k: v for k, v in values.items() if field_value(record, k) != v}
    if not changes:
        raise ValidationError("This proposal changes nothing.")
    return ChangeProposal.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        proposed_values=changes,
        base_values=current_values(record, list(changes)),
        reason=reason,
        proposed_by=user,
        team=team,
        proposed_on=timezone.localdate(),
    )


def field_changes(proposal: ChangeProposal) -> list[FieldChange]:
    record = proposal.target
    model = proposal.content_type.model_class()
    return [
        FieldChange(
            name=name,
            label=str(model._meta.get_field(name).verbose_name),
            current=field_value(record, name),
            proposed=value,
            when_proposed=proposal.base_values.get(name),
            choices=dict(model._meta.get_field(name).flatchoices) or None,
        )
        for name, value in proposal.proposed_values.items()
    ]


class StaleRecord(Exception):
    """The record changed after the reviewer opened it: nothing was written."""


def apply_proposal(
    proposal: ChangeProposal,
    *,
    reviewer: Any,
    seen_values: dict[str, Any],
    note: str = "",
) -> models.Model:
    """Apply in one transaction; refuse if the record changed since the reviewer looked."""
    with transaction.atomic():
        model = proposal.content_type.model_class()
        record = model.objects.select_for_update().get(pk=proposal.object_id)
        if not permissions.can_review_record(reviewer, record):
            raise PermissionDenied
        locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ReviewStatus.PENDING:
            raise StaleRecord("This proposal has already been reviewed.")
        if current_values(record, list(locked.proposed_values)) != seen_values:
            raise StaleRecord("The record changed since you opened this page.")
        for name, value in locked.proposed_values.items():
            setattr(record, record._meta.get_field(name).attname, value)
        record.full_clean()
        record._change_reason = f"Proposal #{locked.pk}: {locked.reason}"[:100]
        record.save()
        locked.status = ReviewStatus.APPLIED
        locked.reviewed_by = reviewer
        locked.reviewed_on = timezone.localdate()
        locked.review_note = note
        locked.save()
        audit(reviewer, AuditAction.PROPOSAL_APPLIED, record, proposal=locked.pk)
        return record


def reject_proposal(proposal: ChangeProposal, *, reviewer: Any, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("Say why the proposal is rejected.")
    with transaction.atomic():
        record = proposal.target
        if record is not None and not permissions.can_review_record(reviewer, record):
            raise PermissionDenied
        proposal.status = ReviewStatus.REJECTED
        proposal.reviewed_by = reviewer
        proposal.reviewed_on = timezone.localdate()
        proposal.review_note = reason
        proposal.save()
        audit(reviewer, AuditAction.PROPOSAL_REJECTED, proposal, reason=reason)


def revert_to(record: models.Model, history_id: int, *, reviewer: Any) -> models.Model:
    """Restore a record's fields from one of its historical versions (a new version)."""
    with transaction.atomic():
        if not permissions.can_review_record(reviewer, record):
            raise PermissionDenied
        version = record.history.get(history_id=history_id)
        restored = version.instance
        restored._change_reason = f"Reverted to version {history_id}"
        restored.save()
        audit(reviewer, AuditAction.REVERTED, record, version=history_id)
        return restored
