"""Writes for the commons: proposals, review, reverting, the audit log. Each is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citywatch.atlas import services as atlas_services
from citywatch.commons import operations
from citywatch.commons.models import (
    AuditAction,
    AuditEntry,
    ChangeProposal,
    ReviewStatus,
)
from citywatch.core.change_reasons import PROPOSAL_PREFIX, REVERTED
from citywatch.teams import permissions
from citywatch.teams.models import Team

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
    """Propose new values for fields of a record; keep only real changes.

    Raises:
        PermissionDenied: the user may not change this record.
        ValidationError: the proposal changes nothing.
    """
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
        team=team or owning_team(record),
        proposed_on=timezone.localdate(),
    )


def owning_team(record: models.Model | None) -> Team | None:
    """The team whose reviewers decide about this record (None: reviewers of any team)."""
    team_id = getattr(record, "owner_team_id", None)
    if team_id is None and getattr(record, "deployment_id", None):
        team_id = record.deployment.owner_team_id
    return Team.objects.filter(pk=team_id).first() if team_id else None


def propose_operation(
    operation: str,
    payload: dict[str, Any],
    *,
    target: models.Model | None,
    user: Any,
    model: type[models.Model] | None = None,
    team: Team | None = None,
    reason: str = "",
) -> ChangeProposal:
    """Store a write for review: ``operation`` (declared in commons.operations) with its
    arguments. ``target`` is the record whose reviewers decide; for a record still to be
    created, give its ``model`` and the ``team`` that will own it.

    Raises:
        PermissionDenied: the user may not propose changes to the target.
        LookupError: no such operation.
    """
    operations.get_operation(operation)
    if target is not None and not permissions.can_edit(user, target):
        raise PermissionDenied
    if target is None and not permissions.has_capability(
        user, permissions.Capability.PROPOSE, team
    ):
        raise PermissionDenied
    content_type = ContentType.objects.get_for_model(model or type(target))
    return ChangeProposal.objects.create(
        content_type=content_type,
        object_id=target.pk if target is not None else None,
        operation=operation,
        payload=payload,
        reason=reason,
        proposed_by=user,
        team=team or owning_team(target),
        proposed_on=timezone.localdate(),
    )


def may_review(user: Any, proposal: ChangeProposal) -> bool:
    """Reviewers of the record's owning team (of the proposal's team for a new record)."""
    record = proposal.target
    if proposal.object_id is not None:
        return record is not None and permissions.can_review(user, record)
    return permissions.has_capability(user, permissions.Capability.REVIEW, proposal.team_id)


def proposals_for_reviewer(user: Any) -> list[ChangeProposal]:
    """Pending proposals this user may review, oldest first."""
    pending = ChangeProposal.objects.filter(status=ReviewStatus.PENDING).select_related(
        "content_type", "proposed_by", "team"
    )
    return [proposal for proposal in pending.order_by("pk") if may_review(user, proposal)]


def describe_operation(proposal: ChangeProposal) -> list[tuple[str, str]]:
    """What an operation proposal would write, as rows a reviewer reads."""
    return operations.get_operation(proposal.operation).describe(proposal.payload)


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
    """Apply in one transaction; refuse if the record changed since the reviewer looked.

    Raises:
        PermissionDenied: the reviewer may not review this record or proposal.
        StaleRecord: the proposal was reviewed already, or the record changed since.
        ValidationError: the proposed values are not valid (any more).
    """
    if proposal.operation != UPDATE_FIELDS:
        return _apply_operation(proposal, reviewer=reviewer, note=note)
    with transaction.atomic():
        model = proposal.content_type.model_class()
        record = model.objects.select_for_update().get(pk=proposal.object_id)
        if not permissions.can_review(reviewer, record):
            raise PermissionDenied
        locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ReviewStatus.PENDING:
            raise StaleRecord("This proposal has already been reviewed.")
        if current_values(record, list(locked.proposed_values)) != seen_values:
            raise StaleRecord("The record changed since you opened this page.")
        for name, value in locked.proposed_values.items():
            setattr(record, record._meta.get_field(name).attname, value)
        record.full_clean()
        _save(record, reviewer, f"{PROPOSAL_PREFIX}{locked.reason}"[:100])
        _mark_applied(locked, reviewer, note, record)
        return record


def _save(record: models.Model, reviewer: Any, reason: str) -> None:
    """Save an already checked record: a deployment's record through its one writer,
    ``atlas.services`` (which checks the reviewer again), anything else directly.

    Raises:
        PermissionDenied: atlas refuses the reviewer's write.
    """
    if atlas_services.is_deployment_record(record):
        atlas_services.save_record(record, by=reviewer, reason=reason, validate=False)
        return
    record._change_reason = reason
    record.save()


UPDATE_FIELDS = "update_fields"


def _mark_applied(
    proposal: ChangeProposal, reviewer: Any, note: str, record: models.Model | None
) -> None:
    proposal.status = ReviewStatus.APPLIED
    proposal.reviewed_by = reviewer
    proposal.reviewed_on = timezone.localdate()
    proposal.review_note = note
    if record is not None and proposal.object_id is None:
        proposal.content_type = ContentType.objects.get_for_model(record)
        proposal.object_id = record.pk
    proposal.save()
    audit(reviewer, AuditAction.PROPOSAL_APPLIED, record or proposal, proposal=proposal.pk)


def _apply_operation(proposal: ChangeProposal, *, reviewer: Any, note: str) -> models.Model:
    """Run a proposed operation in the reviewer's name, in one transaction."""
    with transaction.atomic():
        locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ReviewStatus.PENDING:
            raise StaleRecord("This proposal has already been reviewed.")
        if not may_review(reviewer, locked):
            raise PermissionDenied
        record = operations.get_operation(locked.operation).apply(locked.payload, reviewer)
        _mark_applied(locked, reviewer, note, record)
        return record


def reject_proposal(proposal: ChangeProposal, *, reviewer: Any, reason: str) -> None:
    """Reject the proposal with the reviewer's reason (kept as its review note) and audit
    it; nothing it proposed is applied.

    Raises:
        ValidationError: when the reason is blank.
        PermissionDenied: when the reviewer may not review this proposal.
    """
    if not reason.strip():
        raise ValidationError("Say why the proposal is rejected.")
    with transaction.atomic():
        if not may_review(reviewer, proposal):
            raise PermissionDenied
        proposal.status = ReviewStatus.REJECTED
        proposal.reviewed_by = reviewer
        proposal.reviewed_on = timezone.localdate()
        proposal.review_note = reason
        proposal.save()
        audit(reviewer, AuditAction.PROPOSAL_REJECTED, proposal, reason=reason)


# What a revert keeps as it is now (see ``revert_to``).
KEPT_ON_REVERT = ("slug", "visibility", "embargo_until", "owner_team_id")


def revert_to(record: models.Model, history_id: int, *, reviewer: Any) -> models.Model:
    """Restore a record's fields from one of its historical versions (a new version). The
    record keeps its current address (slug): an old one may belong to another record by now,
    or be the guessable title slug a hidden record no longer holds. It keeps its current
    visibility, embargo and owning team too (``KEPT_ON_REVERT``): a revert never publishes nor
    hides a record; that is done with the visibility control.

    Raises:
        PermissionDenied: the reviewer may not review this record.
        ObjectDoesNotExist: no such version of this record.
        ValidationError: the version cannot be restored as it stands (a value another record
            now holds).
    """
    with transaction.atomic():
        if not permissions.can_review(reviewer, record):
            raise PermissionDenied
        version = record.history.get(history_id=history_id)
        restored = version.instance
        for name in KEPT_ON_REVERT:
            if hasattr(record, name):
                setattr(restored, name, getattr(record, name))
        try:
            with transaction.atomic():
                _save(restored, reviewer, REVERTED)
        except IntegrityError as clash:
            raise ValidationError(
                _(
                    "This version cannot be restored: one of its values now belongs to "
                    "another record."
                )
            ) from clash
        audit(reviewer, AuditAction.REVERTED, record, version=history_id)
        return restored
