"""Template tags for atlas pages: the public FOI requests about a deal, transparency figures.

{% load foi %}
{% foi_deployment_requests deployment %}
{% foi_transparency country=country %}   or   {% foi_transparency authority=organisation %}
{% foi_new_replies %}                     (the account page)
"""

from __future__ import annotations

from django import template

from citywatch.foi import queries
from citywatch.foi.models import RefusalGround, RequestStatus, Resolution

register = template.Library()

BAR_COLOURS = {
    "answered_on_time": "#1d6b35",
    "answered_late": "#8a4b00",
    "answered_timing_unknown": "#4a6b8a",
    "ignored": "#a1161c",
    "waiting": "#8c96a3",
    "successful": "#1d6b35",
    "partially_successful": "#4f8a3a",
    "refused": "#a1161c",
    "not_held": "#6b5d8a",
}


@register.filter
def bar_colour(key: str) -> str:
    return BAR_COLOURS.get(key, "#0b5cad")


@register.filter
def status_label(value: str) -> str:
    """The label of a stored status value (a timeline entry's), e.g. ``Resolved``."""
    return str(dict(RequestStatus.choices).get(value, value))


@register.filter
def resolution_label(value: str) -> str:
    return str(dict(Resolution.choices).get(value, value))


@register.filter
def ground_label(value: str) -> str:
    return str(dict(RefusalGround.choices).get(value, value))


@register.inclusion_tag("foi/_new_replies.html", takes_context=True)
def foi_new_replies(context: template.Context) -> dict:
    """The letters received lately for the requests of the user's teams, and the size of
    the unmatched mail queue for those who may read it (for the account page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "replies": list(queries.new_replies_for(user)),
        "campaigns": queries.can_manage(user),
        "unmatched": queries.unmatched_mail_for(user).count(),
        "can_triage": queries.permissions.can_triage_mail(user),
    }


@register.inclusion_tag("foi/_deployment_requests.html", takes_context=True)
def foi_deployment_requests(context: template.Context, deployment) -> dict:
    request = context.get("request")
    return {
        "deployment": deployment,
        "foi_requests": list(queries.public_requests_for_deployment(deployment)),
        "can_manage": queries.can_manage(getattr(request, "user", None)),
    }


@register.inclusion_tag("foi/_transparency.html", takes_context=True)
def foi_transparency(context: template.Context, authority=None, country=None) -> dict:
    request = context.get("request")
    return {
        "figures": queries.transparency_figures(authority=authority, country=country),
        "authority": authority,
        "country": country,
        "can_manage": queries.can_manage(getattr(request, "user", None)),
    }
