"""Counted phrases that the browser fills in (the map's count and its country tooltips).

Plural rules differ by language: English has two forms, Serbian three ("1 raspoređivanje",
"2 …", "5 …"), and gettext decides which form a number takes from the catalogue's
``Plural-Forms`` header. The map script cannot run that formula (the site's Content Security
Policy allows no ``eval``), so the page hands it a table: the phrase's distinct forms in the
active language, and for each number from 0 to 199 the index of its form. Every plural rule
of the languages CityWatch ships (and of gettext's usual formulas) depends only on n below
200 and on n % 100 above, so a number n ≥ 200 takes the form of 100 + n % 100.

    >>> plural_table("deployments")   # in English
    {'forms': ['%(count)s deployment', '%(count)s deployments'], 'table': '0111…'}
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import ngettext

TABLE_SIZE = 200

# Each entry returns the untranslated-placeholder form for a number; the msgids are literal
# ngettext calls so that makemessages extracts them.
PHRASES: dict[str, Callable[[int], str]] = {
    "deployments": lambda n: ngettext("%(count)s deployment", "%(count)s deployments", n),
}


def plural_table(name: str) -> dict[str, object]:
    """The forms of phrase ``name`` in the active language and the form index of 0…199.

    Returns ``{"forms": [str, ...], "table": "0111..."}`` (one digit per number).
    Raises KeyError for an unknown phrase name.
    """
    phrase = PHRASES[name]
    forms: list[str] = []
    table = []
    for number in range(TABLE_SIZE):
        form = phrase(number)
        if form not in forms:
            forms.append(form)
        table.append(str(forms.index(form)))
    return {"forms": forms, "table": "".join(table)}


def count_phrase(name: str, count: int) -> str:
    """The phrase for ``count`` as the browser would build it (for tests and server use)."""
    return PHRASES[name](count) % {"count": count}
