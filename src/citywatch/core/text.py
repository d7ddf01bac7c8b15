"""Text helpers shared by search and the gazetteer."""

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Cámaras Rivas-Vaciamadrid" -> "camaras rivas
    vaciamadrid"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("-", " ").split())
