"""Readable slugs for titles and names in any script.

    >>> slug_text("Београд: паметне камере")
    'beograd-pametne-kamere'
    >>> slug_text("Đorđevićeva ulica")          # Serbian đ written "dj", as Serbs do
    'djordjeviceva-ulica'
    >>> slug_text("مدينة آمنة (Huawei)")
    'mdynh-amnh-huawei'

Serbian Cyrillic goes to Serbian Latin first (``cyrtranslit``, the standard
correspondence), then every other script to ASCII (``anyascii``), then Django's slugify.
A title with nothing left (only punctuation) gives the caller's fallback word.
"""

from __future__ import annotations

from typing import Any

from anyascii import anyascii
from django.utils.text import slugify

from citywatch.core.text import to_latin

MAX_SLUG = 100


def slug_text(text: str, max_length: int = MAX_SLUG) -> str:
    """The slug of a title or name, ASCII only, at most ``max_length`` characters ("" if
    nothing readable is left)."""
    latin = to_latin(text or "").replace("đ", "dj").replace("Đ", "Dj")
    return slugify(anyascii(latin))[:max_length].strip("-")


def free_slug(
    model: Any, text: str, fallback: str, extra: str = "", max_length: int = MAX_SLUG
) -> str:
    """A slug for ``text`` that no ``model`` row has yet: the text's slug, then (if given)
    with ``extra`` appended, then numbered (``-2``, ``-3``...). ``fallback`` stands in for
    a text with nothing readable ("deployment", "organisation").

    Raises:
        ValueError: when the slug, its ``extra`` variant and every numbered one up to ``-9999``
            are all taken.
    """
    base = slug_text(text, max_length) or fallback
    candidates = [base]
    extra_slug = slug_text(extra, 19)
    if extra_slug:
        candidates.append(f"{base}-{extra_slug}")
    candidates += [f"{base}-{number}" for number in range(2, 10_000)]
    for slug in candidates:
        if not model.objects.filter(slug=slug).exists():
            return slug
    raise ValueError(f"no free slug for {text!r}")
