"""A deployment saved from its page (or any door that sends a whole deployment change).

A reviewer of the owning team writes at once; a contributor's save is checked now (every
problem named) and becomes ONE proposal, operation ``save_deployment``, whose payload is the
whole change as plain JSON. A reviewer applying it runs the same ``atlas.services`` function a
reviewer's own save runs, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citywatch.atlas import services as atlas_services
from citywatch.atlas.change_summary import describe_changes, describe_path
from citywatch.atlas.models import Deployment
from citywatch.commons.models import ChangeProposal, ReviewStatus
from citywatch.commons.operations import Operation, register_operation
from citywatch.commons.services import propose_operation
from citywatch.core.signals import organisation_moved
from citywatch.teams import permissions
from citywatch.teams.models import Team

SAVE_DEPLOYMENT = "save_deployment"


@dataclass
class Saved:
    """What a save did: the deployment written, or the proposal waiting for review."""

    deployment: Deployment | None = None
    proposal: ChangeProposal | None = None


def save_or_propose(
    changes: dict[str, Any],
    *,
    deployment: Deployment | None,
    team: Team | None,
    user: Any,
    reason: str = "",
) -> Saved:
    """Write the change when ``user`` reviews for the owning team (``team`` for a new
    deployment), else check it and store it as one proposal for that team's reviewers.

    Raises:
        PermissionDenied: the user may neither write nor propose this change.
        ValidationError: every problem of the change, by path (see atlas.services).
    """
    if deployment is None:
        if permissions.has_capability(user, permissions.Capability.REVIEW, team):
            created = atlas_services.create_deployment(changes, team=team, by=user, reason=reason)
            return Saved(deployment=created)
        atlas_services.check_deployment_changes(changes, team=team, by=user)
    else:
        mode = permissions.write_mode(user, deployment)
        if mode == "refuse":
            raise PermissionDenied
        if mode == "apply":
            updated = atlas_services.update_deployment(deployment, changes, by=user, reason=reason)
            return Saved(deployment=updated)
        atlas_services.check_deployment_changes(changes, deployment=deployment, by=user)
    payload = {
        "deployment": deployment.pk if deployment is not None else None,
        "team": team.slug if team is not None else None,
        "changes": changes,
        "reason": reason,
    }
    proposal = propose_operation(
        SAVE_DEPLOYMENT,
        payload,
        target=deployment,
        model=Deployment,
        team=team if deployment is None else None,
        user=user,
        reason=reason,
    )
    return Saved(proposal=proposal)


def apply_saved(payload: dict[str, Any], reviewer: Any) -> models.Model:
    """Apply a proposed deployment change in the reviewer's name.

    Raises:
        ValidationError: the change no longer applies (each problem with where it is).
        PermissionDenied: the reviewer may not write it.
    """
    changes = payload.get("changes") or {}
    reason = str(payload.get("reason") or "")
    try:
        if payload.get("deployment") is None:
            team = Team.objects.filter(slug=payload.get("team") or "").first()
            if team is None:
                raise ValidationError(_("The team no longer exists."))
            return atlas_services.create_deployment(changes, team=team, by=reviewer, reason=reason)
        deployment = Deployment.objects.filter(pk=payload["deployment"]).first()
        if deployment is None:
            raise ValidationError(_("The deployment no longer exists."))
        return atlas_services.update_deployment(deployment, changes, by=reviewer, reason=reason)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            [
                f"{describe_path(path)}: {message}" if path != "__all__" else message
                for path, messages in error.message_dict.items()
                for message in messages
            ]
        ) from error


def describe_saved(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The proposal as rows: the team of a new deployment, then the change itself."""
    rows: list[tuple[str, str]] = []
    deployment = None
    if payload.get("deployment") is not None:
        deployment = Deployment.objects.filter(pk=payload["deployment"]).first()
        if deployment is None:
            rows.append((_("Deployment"), _("(removed)")))
    else:
        team = Team.objects.filter(slug=payload.get("team") or "").first()
        rows.append((_("New deployment for the team"), team.name if team else _("(removed)")))
    return rows + describe_changes(payload.get("changes") or {}, deployment)


def follow_moved_organisation(
    sender: Any, organisation: Any, former_slug: str, **kwargs: Any
) -> None:
    """Pending deployment changes name organisations by slug: when a hidden organisation gives
    its slug to a new one (``atlas.services.move_organisation``), the pending proposals that
    named it by its former slug name it by its new one, so applying them later still links the
    organisation the proposer chose (not the new one that took the slug)."""
    pending = ChangeProposal.objects.filter(operation=SAVE_DEPLOYMENT, status=ReviewStatus.PENDING)
    for proposal in pending:
        changes = (proposal.payload or {}).get("changes")
        if isinstance(changes, dict) and renamed_references(
            changes, former_slug, organisation.slug
        ):
            proposal.save(update_fields=["payload"])


def renamed_references(changes: dict[str, Any], former: str, new: str) -> bool:
    """Replace ``former`` by ``new`` wherever a part row of ``changes`` names an organisation
    (``atlas.services.ORGANISATION_FIELDS``), in place; True when something was replaced."""
    replaced = False
    for kind in atlas_services.PART_MODELS:
        rows = changes.get(kind)
        if not isinstance(rows, list):
            continue
        for row in rows:
            if not isinstance(row, dict):
                continue
            for name in atlas_services.ORGANISATION_FIELDS:
                if row.get(name) == former:
                    row[name] = new
                    replaced = True
            was = row.get("was")
            if isinstance(was, dict):
                for name in atlas_services.ORGANISATION_FIELDS:
                    if was.get(name) == former:
                        was[name] = new
                        replaced = True
    return replaced


def register() -> None:
    organisation_moved.connect(
        follow_moved_organisation, dispatch_uid="citywatch-commons-moved-organisation"
    )
    register_operation(
        Operation(
            SAVE_DEPLOYMENT,
            gettext_lazy("Save a deployment"),
            apply_saved,
            describe_saved,
        )
    )
