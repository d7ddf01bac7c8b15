"""Text helpers shared by search, the gazetteer and every input door.

Control characters: XML 1.0 (Atom feeds, OOXML, ODF) cannot carry any C0 control but tab,
line feed and carriage return (XML 1.0, section 2.2, production [2] ``Char``); C1 controls
(U+0080-U+009F), unpaired surrogates and the non-characters U+FFFE/U+FFFF are no better: a
spreadsheet, a terminal or PostgreSQL (NUL) chokes on them. CityWatch removes them wherever
text comes in (``strip_controls``), keeping tab and line feed, and carriage return only in
multi-line text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from typing import Any

# Every C0 control, DEL, every C1 control, unpaired surrogates, U+FFFE and U+FFFF.
_CONTROLS = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
SINGLE_LINE_KEEPS = "\t\n"
MULTI_LINE_KEEPS = "\t\n\r"
# What XML 1.0 accepts among the characters above.
XML_KEEPS = "\t\n\r"


def _pattern(keep: str) -> re.Pattern[str]:
    kept = "".join(f"\\x{ord(ch):02x}" for ch in keep)
    return re.compile(f"(?![{kept}])[{_CONTROLS}]") if keep else re.compile(f"[{_CONTROLS}]")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def strip_controls(text: str, keep: str = SINGLE_LINE_KEEPS) -> str:
    """``text`` without control characters, keeping only those in ``keep``.

    >>> strip_controls("Beograd\\x1a: kamere\\x85")
    'Beograd: kamere'
    >>> strip_controls("a\\r\\nb", keep=MULTI_LINE_KEEPS)
    'a\\r\\nb'
    """
    if not isinstance(text, str) or text.isprintable():
        return text  # every character removed here is one ``isprintable`` refuses
    pattern = _PATTERNS.get(keep)
    if pattern is None:
        pattern = _PATTERNS[keep] = _pattern(keep)
    return pattern.sub("", text)


def has_controls(text: str, keep: str = SINGLE_LINE_KEEPS) -> bool:
    return strip_controls(text, keep) != text


def xml_safe(text: str) -> str:
    """Only the characters XML 1.0 can carry (for feeds and XML exports)."""
    return strip_controls(text, XML_KEEPS)


def strip_controls_deep(value: Any, keep: str = MULTI_LINE_KEEPS) -> Any:
    """The same value with control characters removed from every string in it (dict keys
    included), for JSON data."""
    if isinstance(value, str):
        return strip_controls(value, keep)
    if isinstance(value, dict):
        return {
            strip_controls_deep(k, keep): strip_controls_deep(v, keep) for k, v in value.items()
        }
    if isinstance(value, list):
        return [strip_controls_deep(item, keep) for item in value]
    if isinstance(value, tuple):
        return tuple(strip_controls_deep(item, keep) for item in value)
    return value


@cache
def combining_marks() -> dict[int, None]:
    """Every code point ``unicodedata.combining`` calls combining, mapped to None (a
    ``str.translate`` table that removes them; built once, about 0.1 s)."""
    return dict.fromkeys(
        point for point in range(sys.maxunicode + 1) if unicodedata.combining(chr(point))
    )


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Cámaras Rivas-Vaciamadrid" -> "camaras rivas
    vaciamadrid".

    ASCII text has nothing to decompose and no combining mark, and its ``casefold`` is its
    ``lower``: it takes the short way to the same result.
    """
    if text.isascii():
        return " ".join(text.lower().replace("-", " ").split())
    stripped = unicodedata.normalize("NFKD", text).translate(combining_marks())
    return " ".join(stripped.casefold().replace("-", " ").split())


def to_latin(text: str) -> str:
    """Serbian Cyrillic written in Serbian Latin (``cyrtranslit``); other text unchanged:
    "Ђорђе из Београда" → "Đorđe iz Beograda"."""
    import re

    import cyrtranslit

    if not re.search(r"[\u0400-\u04ff]", text):
        return text
    return cyrtranslit.to_latin(text, "sr")
