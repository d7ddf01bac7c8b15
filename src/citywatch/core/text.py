"""Text helpers shared by search and the gazetteer."""

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Cámaras Rivas-Vaciamadrid" -> "camaras rivas
    vaciamadrid"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("-", " ").split())


def to_latin(text: str) -> str:
    """Serbian Cyrillic written in Serbian Latin (``cyrtranslit``); other text unchanged:
    "Ђорђе из Београда" → "Đorđe iz Beograda"."""
    import re

    import cyrtranslit

    if not re.search(r"[\u0400-\u04ff]", text):
        return text
    return cyrtranslit.to_latin(text, "sr")
