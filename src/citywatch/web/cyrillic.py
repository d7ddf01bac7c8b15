"""Serbian Latin → Serbian Cyrillic for the interface's messages (the ``sr`` catalogue is made
from the ``sr_Latn`` one: ``scripts/make_cyrillic_catalogue.py``).

    >>> to_cyrillic("Izvori za %(title)s: <a href=\"/sources/\">vidi CSV</a>")
    'Извори за %(title)s: <a href="/sources/">види CSV</a>'

Serbian Latin maps letter for letter onto Cyrillic (``cyrtranslit``; lj → љ, nj → њ,
dž → џ). What is not Serbian text stays as it is: placeholders (``%(name)s``, ``{count}``),
HTML tags and entities, the content of ``<code>``, web addresses, e-mail addresses, paths
and file names, and foreign words and names: words with q, w, x or y (Huawei, Wikidata),
words with a capital inside (CityWatch, eLTE, GeoJSON) and acronyms in capitals (CSV, PDF,
API), except the Serbian date pattern letters GGGG, MM, DD.
"""

from __future__ import annotations

import re

import cyrtranslit

PROTECTED = re.compile(
    "|".join(
        [
            r"<code\b[^>]*>.*?</code>",  # code samples
            r"<[^<>]+>",  # HTML tags
            r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);",  # HTML entities
            r"%?%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]",  # %(name)s (and %%(name)s)
            r"%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]",  # %s, %d, %%
            r"\{[^{}\s]*\}",  # {count}, {0}
            r"(?:https?|ftp)://[^\s<>\"]+",  # web addresses
            r"www\.[^\s<>\"]+",
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
            r"(?<![\w/])/[\w./:-]+",  # paths: /api/docs
            r"\b[A-Z][A-Za-z]*-\d+(?:\.\d+)*(?:-[a-z]+)*",  # licence ids: AGPL-3.0-or-later
            r"\b[\w-]+(?:\.[A-Za-z0-9]+)+\b",  # file and host names: citywatch.json
        ]
    ),
    re.DOTALL,
)
LATIN_WORD = re.compile(r"[A-Za-zČĆŠŽĐčćšžđ]+")
SERBIAN_CAPITALS = {"GGGG", "GG", "MM", "DD"}


# Letter pairs that Serbian Latin never writes (it has č and no h after c, p or g).
FOREIGN_PAIRS = re.compile(r"ch|ph|ck|gh", re.IGNORECASE)
# Foreign words that no rule catches, as they appear in the catalogue (names of products,
# licences and standards, English words quoted as such).
KEEP_LATIN = {
    "Atlas", "Commons", "Contracting", "Creative", "Data", "Earth", "Excel", "Frictionless",
    "Natural", "Office", "Open", "Python", "Spain", "Standard", "Surveillance", "Tor", "Word",
    "and", "of", "tiles",
}  # fmt: skip


def is_foreign(word: str) -> bool:
    """A Latin word that is not Serbian: kept in Latin letters inside Cyrillic text."""
    if word in KEEP_LATIN or re.search(r"[qwxyQWXY]", word) or FOREIGN_PAIRS.search(word):
        return True
    if re.search(r"[a-zčćšžđ][A-ZČĆŠŽĐ]", word):
        return True
    return len(word) > 1 and word.isupper() and word not in SERBIAN_CAPITALS


def words_to_cyrillic(text: str) -> str:
    """Plain Serbian text (nothing protected in it) in Cyrillic, foreign words kept."""
    pieces = []
    position = 0
    for match in LATIN_WORD.finditer(text):
        pieces.append(text[position : match.start()])
        word = match.group()
        pieces.append(word if is_foreign(word) else cyrtranslit.to_cyrillic(word, "sr"))
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def to_cyrillic(text: str) -> str:
    """A Serbian Latin message in Serbian Cyrillic, its placeholders, markup, addresses and
    foreign words unchanged."""
    pieces = []
    position = 0
    for match in PROTECTED.finditer(text):
        pieces.append(words_to_cyrillic(text[position : match.start()]))
        pieces.append(match.group())
        position = match.end()
    pieces.append(words_to_cyrillic(text[position:]))
    return "".join(pieces)
