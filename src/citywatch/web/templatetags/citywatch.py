"""Template helpers: footnote references, dates shown as precise as they are, the language
and direction of user text, and counted phrases for scripts."""

from __future__ import annotations

import re

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from citywatch.atlas.footnotes import Footnote, Footnotes, StatedValue
from citywatch.core.markdown import render_markdown
from citywatch.core.partial_dates import display_partial_date
from citywatch.research.search import search_examples

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
    return render_markdown(text)


LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@register.simple_tag
def text_lang(language: str | None) -> str:
    """` lang="xx"` for text in another language than the page's, else nothing.

    ``language`` is a BCP 47 tag as sources and requests store it (``es``, ``sr-latn``);
    malformed values give nothing. Text in the page's own language (same primary subtag)
    needs no attribute. Usage: ``<blockquote dir="auto"{% text_lang source.language %}>``.
    """
    tag = (language or "").strip()
    if not LANGUAGE_TAG.match(tag):
        return ""
    page = (translation.get_language() or "").split("-")[0].lower()
    if tag.split("-")[0].lower() == page:
        return ""
    return format_html(' lang="{}"', tag)


@register.simple_tag
def search_placeholder() -> str:
    """The search boxes' example text, in the active language: "e.g. cameras, eLTE, …".

    Each example is searched in the demo data by the tests, in every language."""
    return _("e.g. %(examples)s") % {"examples": ", ".join(search_examples())}


@register.filter
def bdi(value: object) -> str:
    """User text set inside a translated sentence, isolated so that a name in Arabic or
    Hebrew keeps its own direction: ``{% blocktranslate with name=x|bdi %}``. Escaped."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)
