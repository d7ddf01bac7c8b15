"""Template helpers: footnote references and dates shown as precise as they are."""

from __future__ import annotations

from django import template

from citywatch.atlas.footnotes import Footnote, Footnotes, StatedValue
from citywatch.core.partial_dates import display_partial_date

register = template.Library()


@register.inclusion_tag("web/footnote_refs.html")
def cite(footnotes: Footnotes, record: object, field_name: str = "") -> dict:
    return {"refs": footnotes.refs(record, field_name)}


@register.simple_tag
def stated_values(footnotes: Footnotes, record: object, field_name: str) -> list[StatedValue]:
    return footnotes.stated_values(record, field_name)


@register.filter
def partial_date(value: str | None) -> str:
    return display_partial_date(value)


@register.filter
def footnote_numbers(footnotes: list[Footnote]) -> str:
    return ", ".join(str(footnote.number) for footnote in footnotes)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.simple_tag
def facet_titles() -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    return [
        ("vendor", _("Vendor")),
        ("country", _("Country")),
        ("technology", _("Technology")),
        ("status", _("Status")),
        ("certainty", _("Certainty")),
    ]


@register.filter
def markdown(text: str):
    """Render user Markdown, sanitised (see citywatch.core.markdown)."""
    from citywatch.core.markdown import render_markdown

    return render_markdown(text)
