"""Template tags for atlas pages: the public FOI requests about a deal, transparency figures.

{% load foi %}
{% foi_deployment_requests deployment %}
{% foi_transparency country=country %}   or   {% foi_transparency authority=organisation %}
"""

from __future__ import annotations

from django import template

from citywatch.foi import queries

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
