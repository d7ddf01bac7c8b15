"""Declares the FOI desk's records to the permission module (the rules live there)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from citywatch.evidence.models import Source
from citywatch.foi.models import FoiAttachment, FoiEvent, FoiMessage, FoiRequest
from citywatch.teams import permissions, withdrawals


def sources_of_requests(user: Any) -> QuerySet:
    """Sources a visible FOI request holds: its documentation, its messages' and events'
    documents and the attachments of its replies."""
    requests = FoiRequest.objects.filter(permissions.visible_q(user, FoiRequest)).values("pk")
    held = (
        Q(foi_attachments__message__request__in=requests)
        | Q(pk__in=FoiRequest.objects.filter(pk__in=requests).values("source_id"))
        | Q(pk__in=FoiMessage.objects.filter(request__in=requests).values("source_id"))
        | Q(pk__in=FoiEvent.objects.filter(request__in=requests).values("source_id"))
    )
    return Source.objects.filter(held).values("pk")


def visible_requests(user: Any) -> QuerySet:
    return FoiRequest.objects.filter(permissions.visible_q(user, FoiRequest))


def authorities_named(user: Any) -> QuerySet:
    """The authorities of the requests this user may see."""
    return visible_requests(user).values("authority_id")


def requesters_named(user: Any) -> QuerySet:
    """The requesting organisations of the requests this user may see."""
    return visible_requests(user).values("requester_id")


def register() -> None:
    permissions.register(FoiRequest, permissions.foi_request_policy())
    for part in (FoiMessage, FoiEvent):
        permissions.register(part, permissions.foi_request_policy("request__"))
    permissions.register(FoiAttachment, permissions.foi_request_policy("message__request__"))
    permissions.register_citing(sources_of_requests)
    permissions.register_naming(authorities_named)
    permissions.register_naming(requesters_named)
    withdrawals.watch(FoiRequest, own_visibility=True)
    for model in (FoiMessage, FoiEvent, FoiAttachment):
        withdrawals.watch(model)
