"""The words search indexes and looks for: one form for Serbian in both scripts, for accents
and for inflections, computed here in Python so that SQLite and PostgreSQL match the same.

    >>> exact_form("Ђорђевић")        # Serbian Cyrillic → Latin, đ → dj, no marks
    'djordjevic'
    >>> word_forms("Đorđević", ("sr",)).alternates
    ('dordevic',)                      # "Dordevic", as people type it without đ
    >>> word_forms("cámaras", ("es",)).stems
    ('es0cam',)                        # Snowball Spanish stem, tagged with its language

The steps, the same for what is indexed and for what is searched:

1. Serbian Cyrillic is written in Latin (``cyrtranslit``, the Serbian standard
   correspondence: Ђ → Đ, Љ → Lj, Џ → Dž), so ``Београд`` and ``Beograd`` are one word.
2. Words are split on anything that is not a letter, mark or digit; Chinese and Japanese
   characters are one word each (they are written without spaces).
3. The *exact form* of a word: lower case, marks removed (``Cámaras`` → ``camaras``),
   ``đ`` → ``dj`` (the Serbian convention), every other letter to ASCII (``anyascii``:
   ``ß`` → ``ss``, Arabic and Greek letters to Latin ones), so that every token is plain
   ``[a-z0-9]`` and the two databases' tokenizers cannot split it differently.
4. *Stems*: the Snowball stemmer of each language the text may be in (PyStemmer: English,
   Spanish, French, Serbian and others), applied to the word with its accents and to its
   exact form, each stem tagged with its language (``en0camera``). A query word matches a
   text word when their exact forms are equal or when one language gives both the same stem:
   ``cameras`` finds ``camera`` (English), ``cámara`` finds ``cámaras`` (Spanish), but the
   French stem of ``camera`` (``cam``) never meets the Spanish stem of ``cámaras``.
   Text whose language is known (a source's ``language``, an FOI request's) is stemmed in
   that language only; other text in each interface language (``UNKNOWN_LANGUAGES``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import Stemmer
from anyascii import anyascii

from citywatch.core.text import to_latin

# ISO 639-1 code → Snowball algorithm (those PyStemmer ships).
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
# Languages of the interface: text whose language is not recorded is stemmed in each.
UNKNOWN_LANGUAGES = ("en", "es", "fr", "sr")
# A query word is stemmed in every language text may have been stemmed in.
QUERY_LANGUAGES = tuple(sorted(STEMMERS))

MAX_WORD_CHARS = 60  # longer "words" (hashes, run-together text) are indexed cut to this
# Scripts written without spaces between words: each character is a word.
UNSPACED = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])"
)
ASCII_WORD = re.compile(r"[a-z0-9]+")
SPECIAL_LETTERS = str.maketrans(
    {"đ": "dj", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "þ": "th"}
)


class _Separators(dict):
    """str.translate table: letters, marks and digits stay, everything else becomes a space.

    Filled on first sight of each character, so the translation runs at C speed."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = char if unicodedata.category(char)[0] in "LMN" else " "
        self[code] = value
        return value


SEPARATORS = _Separators()


def split_words(text: str) -> list[str]:
    """The words of a text, in order, Serbian Cyrillic already in Latin, lower case, with
    their accents: "Београд: Cámaras-IP" → ["beograd", "cámaras", "ip"]."""
    text = unicodedata.normalize("NFC", to_latin(text)).casefold()
    text = UNSPACED.sub(r" \1 ", text.translate(SEPARATORS))
    return [word[:MAX_WORD_CHARS] for word in text.split()]


@lru_cache(maxsize=100_000)
def exact_form(word: str) -> str:
    """A word's indexed form: lower case, no marks, đ → dj, ASCII letters and digits only
    ("" for a word with nothing left, e.g. a lone mark)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.translate(SPECIAL_LETTERS)
    if not stripped.isascii():
        stripped = anyascii(stripped).lower()
    return "".join(ASCII_WORD.findall(stripped))


@cache
def stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[language])


@dataclass(frozen=True)
class WordForms:
    exact: str
    alternates: tuple[str, ...]  # other exact spellings: "dordevic" beside "djordjevic"
    stems: tuple[str, ...]  # language-tagged stems: "en0camera"


@lru_cache(maxsize=200_000)
def word_forms(word: str, languages: tuple[str, ...]) -> WordForms:
    """The exact form, alternate spellings and tagged stems of one word (see module doc)."""
    word = word.casefold()
    exact = exact_form(word)
    alternates = []
    if "đ" in word:
        plain = exact_form(word.replace("đ", "d"))
        if plain and plain != exact:
            alternates.append(plain)
    stems: list[str] = []
    if exact and not exact.isdigit():
        for language in languages:
            algorithm = stemmer(language)
            for spelling in {word, exact}:
                stem = exact_form(algorithm.stemWord(spelling))
                tagged = f"{language}0{stem}"
                if stem and tagged not in stems:
                    stems.append(tagged)
    return WordForms(exact, tuple(alternates), tuple(stems))


def stem_languages(language: str | None) -> tuple[str, ...]:
    """The Snowball languages to stem a text in: its own when known ("es", "sr-Latn" → sr),
    none when known but without a stemmer (Burmese), the interface languages when unknown."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if not code:
        return UNKNOWN_LANGUAGES
    return (code,) if code in STEMMERS else ()


@dataclass(frozen=True)
class IndexedText:
    words: str  # exact forms, in order (phrases and prefixes match here)
    stems: str  # alternates and tagged stems, each once


def index_text(text: str, languages: Iterable[str]) -> IndexedText:
    """What the index stores for a text: its exact words in order, and its other forms.

    Line by line (a line break always separates words), each line's forms kept for the
    next record that has the same line (a country's or a technology's names in every
    language, an organisation's name)."""
    languages = tuple(languages)
    words: list[str] = []
    extra: dict[str, None] = {}
    for line in text.split("\n"):
        line_words, line_extra = line_forms(line, languages)
        words.extend(line_words)
        extra.update(dict.fromkeys(line_extra))
    return IndexedText(" ".join(words), " ".join(extra))


@lru_cache(maxsize=20_000)
def line_forms(line: str, languages: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The exact forms of one line's words, in order, and their other forms, each once."""
    words: list[str] = []
    extra: dict[str, None] = {}
    for word in split_words(line):
        forms = word_forms(word, languages)
        if not forms.exact:
            continue
        words.append(forms.exact)
        extra.update(dict.fromkeys(forms.alternates))
        extra.update(dict.fromkeys(forms.stems))
    return tuple(words), tuple(extra)


def exact_words(text: str) -> list[str]:
    """The exact forms of a text's words, in order (the query's phrases, the highlighter)."""
    return [form for form in (exact_form(word) for word in split_words(text)) if form]


def spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word in the original text, for highlighting snippets: the same
    split as split_words(), with offsets into ``text`` itself (Cyrillic stays Cyrillic)."""
    separated = text.translate(SEPARATORS)  # one character for one: offsets are kept
    for run in RUN.finditer(separated):
        for piece in UNSPACED_SPLIT.finditer(run.group()):
            yield run.start() + piece.start(), run.start() + piece.end()


RUN = re.compile(r"\S+")
UNSPACED_SPLIT = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]|"
    r"[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"
)
