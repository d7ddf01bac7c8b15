"""The research write a contributor proposes: adding a fact from a suggestion. A reviewer of
the deployment's team applies it (``citywatch.commons.operations``) with the same service a
reviewer would have called directly (``citywatch.research.services.accept_suggestion``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citywatch.atlas.models import Deployment
from citywatch.commons.operations import Operation, register_operation
from citywatch.evidence.models import Source
from citywatch.research import services
from citywatch.teams import permissions


def _source(payload: dict[str, Any]) -> Source:
    source = Source.objects.filter(key=payload.get("source")).first()
    if source is None:
        raise ValidationError(_("The source no longer exists."))
    return source


def apply_suggestion(payload: dict[str, Any], reviewer: Any) -> models.Model:
    """Apply a proposed "accept_suggestion": the fact and its citation, in the reviewer's name.

    Raises:
        ValidationError: the source or the deployment is gone, or as
            ``research.services.accept_suggestion``.
    """
    deployment = Deployment.objects.filter(pk=payload.get("deployment")).first()
    if deployment is None:
        raise ValidationError(_("The deployment no longer exists."))
    return services.accept_suggestion(
        _source(payload), payload["key"], deployment, payload.get("options") or {}
    )


def describe_suggestion(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """The rows a reviewer reads: source, deployment, the suggested fact and its sentence."""
    source = Source.objects.filter(key=payload.get("source")).first()
    deployment = Deployment.objects.filter(pk=payload.get("deployment")).first()
    rows = [
        (_("Source"), str(source or _("(removed)"))),
        (_("Deployment"), str(deployment or _("(removed)"))),
    ]
    if source is not None:
        try:
            # Only the source's own words are shown, as the proposer found them.
            suggestion = services.find_suggestion(
                source, payload.get("key", ""), permissions.INTERNAL
            )
        except ValidationError:
            rows.append((_("Suggestion"), _("no longer found in the source's text")))
        else:
            rows.append((_("Suggested fact"), suggestion.matched))
            rows.append((_("Quote"), suggestion.sentence))
    options = {k: v for k, v in (payload.get("options") or {}).items() if v}
    rows += [(name, value) for name, value in sorted(options.items())]
    return rows


def register() -> None:
    """Declare the "accept_suggestion" operation (called from ``ResearchConfig.ready``)."""
    register_operation(
        Operation(
            "accept_suggestion",
            gettext_lazy("Add a suggested fact"),
            apply_suggestion,
            describe_suggestion,
        )
    )
