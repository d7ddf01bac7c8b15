"""Which existing records an import may match and change: decided here only, by asking the
permission module.

An import run from the command line (``user`` None) is the server's operator and may match and
change every record. An import through the web page runs as the person who uploads the file:

- a record they may not see does not exist for the import: a slug or a natural key that names
  it is treated like an unknown one (the new record gets a free slug), and a stable id that
  names it is refused with the neutral "this id is not available here", so nothing about the
  hidden record is told;
- a record they may see but not review is reported ("you may not change …"): the report names
  only what the page would show them anyway;
- a contributor (who may propose but not review) imports proposals: changes to the title,
  summary, status and certainty of deployments they may edit become change proposals for the
  owning team's reviewers (``may_propose``); anything else, such as a new record, is refused
  with a message that says to ask a reviewer;
- parts (parties, components, money, events, claims) follow their deployment; citations follow
  the record they back.

Organisations, places, sources and legal cards are shared reference records: a reviewer may
change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from citywatch.atlas.models import Component, Deployment, Event, Money, Party, VendorClaim
from citywatch.commons import permissions
from citywatch.commons.models import Role
from citywatch.evidence.models import Citation

DEPLOYMENT_PARTS = (Party, Component, Money, Event)


@dataclass(frozen=True)
class Scope:
    """The records of one kind an import may match (``visible``) and change (``editable``)."""

    visible: models.QuerySet
    editable: models.QuerySet


def reviewable_deployments_q(user: Any) -> Q:
    """Deployments the user may change directly: reviewers of the owning team, or of any team
    for a record no team owns (the rule of ``permissions.can_review_record``)."""
    if permissions.is_authenticated(user) and user.is_superuser:
        return Q()
    reviewing = [
        team
        for team, role in permissions.team_roles(user).items()
        if permissions.has_role(user, team, Role.REVIEWER)
    ]
    condition = Q(owner_team__in=reviewing)
    if permissions.can_review(user):
        condition |= Q(owner_team__isnull=True)
    return permissions.visible_q(user) & condition


def import_scope(user: Any | None, model: type[models.Model]) -> Scope:
    """The one answer to "which existing records of this kind may this import match and
    change?" (``user`` None: the command line, which may do everything)."""
    everything = model._default_manager.all()
    if user is None:
        return Scope(everything, everything)
    if model is Deployment:
        return Scope(
            everything.filter(permissions.visible_q(user)),
            everything.filter(reviewable_deployments_q(user)),
        )
    if model in DEPLOYMENT_PARTS or model is VendorClaim:
        deployments = import_scope(user, Deployment)
        shared = Q(deployment__isnull=True) if model is VendorClaim else Q(pk__in=[])
        return Scope(
            everything.filter(shared | Q(deployment__in=deployments.visible.values("pk"))),
            everything.filter(shared | Q(deployment__in=deployments.editable.values("pk"))),
        )
    if model is Citation:
        visible, editable = Q(), Q()
        for target in (Deployment, *DEPLOYMENT_PARTS, VendorClaim):
            content_type = ContentType.objects.get_for_model(target)
            scope = import_scope(user, target)
            hidden = ~Q(object_id__in=scope.visible.values("pk"))
            locked = ~Q(object_id__in=scope.editable.values("pk"))
            visible &= ~(Q(content_type=content_type) & hidden)
            editable &= ~(Q(content_type=content_type) & locked)
        return Scope(everything.filter(visible), everything.filter(visible & editable))
    if permissions.can_review(user):
        return Scope(everything, everything)
    return Scope(everything, model._default_manager.none())


def owner_team_for(user: Any | None) -> Any:
    """The team that owns a deployment an import creates: the importer's reviewing team
    (as for a deployment made from a tip); none from the command line."""
    if user is None:
        return None
    from citywatch.commons.models import Team

    for team_id in sorted(permissions.team_roles(user)):
        if permissions.has_role(user, team_id, Role.REVIEWER):
            return Team.objects.get(pk=team_id)
    return None


# The fields of a deployment a contributor's import may propose to change (as the "Propose an
# edit" page does).
PROPOSABLE_FIELDS = frozenset({"title", "summary", "status", "certainty"})


def proposes(user: Any | None) -> bool:
    """Whether an import by this user proposes changes instead of making them: a contributor
    who reviews no team."""
    return user is not None and not permissions.can_review(user)


def may_propose(user: Any | None, record: models.Model, fields: set[str]) -> bool:
    """Whether a contributor's import may propose these changes to this record."""
    return (
        isinstance(record, Deployment)
        and fields <= PROPOSABLE_FIELDS
        and permissions.can_edit(user, record)
    )
