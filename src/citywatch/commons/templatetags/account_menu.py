"""The account menu of every page: what the logged-in user may do, decided by the permission
module (record a deal, review with the number waiting, the Django admin for site
administrators)."""

from __future__ import annotations

from typing import Any

from django import template

from citywatch.commons.models import ReviewStatus, Tip
from citywatch.commons.services import proposals_for_reviewer
from citywatch.teams import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def account_menu(context: template.Context) -> dict[str, Any]:
    """{"contribute", "review", "review_count", "admin"} for the request's user; empty for a
    visitor. ``review_count`` counts what the review queue lists: the proposals this user may
    review and the public tips waiting."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not permissions.is_authenticated(user):
        return {}
    reviewing = permissions.can_review_anything(user)
    count = 0
    if reviewing:
        count = len(proposals_for_reviewer(user))
        if permissions.can_review_tips(user):
            count += Tip.objects.filter(status=ReviewStatus.PENDING).count()
    return {
        "contribute": permissions.can_contribute(user),
        "review": reviewing,
        "review_count": count,
        "admin": permissions.is_superuser(user),
    }
