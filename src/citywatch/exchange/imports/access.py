"""Which existing records an import may match and change: decided here only, by asking the
permission module.

An import run from the command line (``user`` None) is the server's operator and may match and
change every record. An import through the web page runs as the person who uploads the file:

- a record they may not see does not exist for the import: a slug, a natural key, a stable id
  or an external key (``external_id``, an EFF Atlas row number) that names it is treated exactly
  like an unknown one, in the dry run, the import and every later import. The new record gets a
  free slug and claims the id too (``exchange.keys``: a key may name several records, one per
  team that imported it without seeing the others), so importing the file again finds the new
  record; the hidden record keeps its claim and is not touched;
- a key that names several records they may see means the one that claimed it first, as
  the exports they may read name it (``keys.stable_ids``), and the report warns, naming them
  (all visible to the importer; from the command line, which sees everything, every one);
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

from django.db import models

from citywatch.atlas.models import Deployment
from citywatch.teams import permissions
from citywatch.teams.models import Team


@dataclass(frozen=True)
class Scope:
    """The records of one kind an import may match (``visible``) and change (``editable``)."""

    visible: models.QuerySet
    editable: models.QuerySet


def import_scope(user: Any | None, model: type[models.Model]) -> Scope:
    """The one answer to "which existing records of this kind may this import match and
    change?" (``user`` None: the command line, which may do everything). The permission module
    decides: what the user may see is matched, what the user may review is changed."""
    everything = model._default_manager.all()
    if user is None:
        return Scope(everything, everything)
    try:
        visible = everything.filter(permissions.visible_q(user, model))
        editable = everything.filter(permissions.reviewable_q(user, model))
    except LookupError:  # reference data the permission module has no rule for (technologies)
        if permissions.can_review_anything(user):
            return Scope(everything, everything)
        return Scope(everything, model._default_manager.none())
    return Scope(visible, editable)


def owner_team_for(user: Any | None) -> Team | None:
    """The team that owns a deployment an import creates: the importer's reviewing team
    (as for a deployment made from a tip); none from the command line."""
    if user is None:
        return None
    teams = permissions.teams_with(user, permissions.Capability.REVIEW)
    return Team.objects.get(pk=teams[0]) if teams else None


# The fields of a deployment a contributor's import may propose to change (as the "Propose an
# edit" page does).
PROPOSABLE_FIELDS = frozenset({"title", "summary", "status", "certainty"})


def proposes(user: Any | None) -> bool:
    """Whether an import by this user proposes changes instead of making them: a contributor
    who reviews no team."""
    return user is not None and not permissions.can_review_anything(user)


def may_propose(user: Any | None, record: models.Model, fields: set[str]) -> bool:
    """Whether a contributor's import may propose these changes to this record."""
    return (
        isinstance(record, Deployment)
        and fields <= PROPOSABLE_FIELDS
        and permissions.can_edit(user, record)
    )
