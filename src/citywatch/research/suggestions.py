"""Candidate facts found in a document's text, each with the sentence it comes from.

CityWatch reads a document and proposes:

* counts of devices: "335 CCTV cameras", "a thousand smart surveillance cameras", "12 km of
  fibre" → a component (technology, quantity, unit, qualifier);
* money: "worth two million euros", "€2 million", "USD 1.5m" → an amount and currency;
* organisations already in the atlas (vendors, authorities, integrators, financiers), by name
  or alias → a party;
* places from the shipped city list (and the atlas's own localities) → the deployment's place;
* dates: "In November 2019", "March 31st 2021", "2017" → an event's date of known precision.

The rules are plain patterns, written to be read and corrected; their precision and recall on
a labelled set of sentences is measured by tests/test_suggestions.py and reported in
docs/evidence.md. A contributor accepts a suggestion (services.accept_suggestion) to create the
fact and its citation in one step; nothing is written without that.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation
from citywatch.core.partial_dates import PartialDate
from citywatch.places.gazetteer import find_cities
from citywatch.places.models import Locality
from citywatch.research.search import fold_words
from citywatch.teams import permissions

DEVICE = "device_count"
MONEY = "money"
ORGANISATION = "organisation"
PLACE = "place"
DATE = "date"
KINDS = {
    DEVICE: _("Count of devices"),
    MONEY: _("Money"),
    ORGANISATION: _("Organisation"),
    PLACE: _("Place"),
    DATE: _("Date"),
}

# ---------------------------------------------------------------- numbers

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "millones": 1_000_000,
    "millón": 1_000_000,
    "billion": 1_000_000_000,
    "milliards": 1_000_000_000,
    "bn": 1_000_000_000,
    "m": 1_000_000,
    "k": 1000,
}
WORD_SCALES = ("hundred", "thousand", "million", "billion")
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_WORD_NUMBER = (
    rf"(?:(?:a|an)\s+(?:{'|'.join(WORD_SCALES)})|(?:{_UNIT_WORDS}))"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_UNIT_WORDS}|{'|'.join(WORD_SCALES)}))*"
)
_DIGITS = r"(?:\d{1,3}(?:[,\u00a0\u202f]\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]\d)|\d+)(?:[.,]\d+)?"
_SCALE = r"(?:\s*(?:hundred|thousand|millions?|millones|millón|billion|milliards|bn|m|k)\b)"
NUMBER = rf"(?P<number>(?:{_DIGITS}){_SCALE}?|\b{_WORD_NUMBER}\b)"


def parse_number(text: str) -> Decimal | None:
    """ "335" → 335, "1,000" → 1000, "2.5 million" → 2500000, "a thousand" → 1000."""
    text = " ".join(text.lower().replace("-", " ").split())
    digits = re.match(rf"({_DIGITS})\s*(\w+)?$", text)
    if digits:
        number_text, scale = digits.group(1), digits.group(2)
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", number_text):
            number_text = number_text.replace(".", "")  # 1.000 written the European way
        number_text = re.sub(r"[,\u00a0\u202f](?=\d{3}\b)", "", number_text).replace(",", ".")
        try:
            value = Decimal(number_text)
        except InvalidOperation:
            return None
        if scale:
            if scale not in SCALES:
                return None
            value *= SCALES[scale]
        return value
    total, current = 0, 0
    for word in text.split():
        if word in ("and",):
            continue
        if word in ("a", "an"):
            current = 1
        elif word in UNITS:
            current += UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
    return Decimal(total + current)


def integer_text(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


# ---------------------------------------------------------------- sentences


@dataclass
class Sentence:
    text: str
    start: int
    page: int | None


SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•])"  # a full stop, then a capital
    r"|\n\s*\n"  # a blank line
    r"|\n(?=\s*[•\-*\d])"  # a list item
)
ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "No.", "Art.", "e.g.", "i.e.", "etc.", "vs.")


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with their offsets and pages (pages split on form feeds)."""
    result: list[Sentence] = []
    offset = 0
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        start = 0
        for boundary in SENTENCE_END.finditer(page):
            piece = page[start : boundary.start()]
            if piece.rstrip().endswith(ABBREVIATIONS):
                continue
            _add_sentence(result, page, start, boundary.start(), offset, number, len(pages))
            start = boundary.end()
        _add_sentence(result, page, start, len(page), offset, number, len(pages))
        offset += len(page) + 1
    return result


def _add_sentence(
    result: list[Sentence], page: str, start: int, end: int, offset: int, number: int, pages: int
) -> None:
    piece = page[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    result.append(
        Sentence(" ".join(stripped.split()), offset + start + lead, number if pages > 1 else None)
    )


# ---------------------------------------------------------------- suggestions


@dataclass
class Suggestion:
    kind: str
    label: str
    value: dict[str, Any]
    sentence: str
    matched: str
    page: int | None = None
    offset: int = 0
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def canonical(self) -> str:
        """The value in one comparable string, e.g. "335 cctv", "2000000 EUR", "huawei"."""
        return str(self.value["canonical"])

    @property
    def key(self) -> str:
        """Stable id of the suggestion: same text and atlas, same key."""
        raw = f"{self.kind}|{self.canonical}|{self.offset}|{self.sentence}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @property
    def sentence_html(self) -> Any:
        at = self.sentence.find(self.matched)
        if at < 0:
            return escape(self.sentence)
        end = at + len(self.matched)
        return mark_safe(  # noqa: S308 - each piece is escaped
            escape(self.sentence[:at])
            + "<mark>"
            + escape(self.matched)
            + "</mark>"
            + escape(self.sentence[end:])
        )


# Device nouns: (pattern, technology slug, unit).
DEVICES = [
    (r"body[- ]?(?:worn\s+)?cam(?:era)?s?", "body-worn-cameras", "cameras"),
    (r"(?:CCTV\s+)?cameras?|CCTVs?|c[áa]maras|cam[ée]ras|kamer[ae]", "cctv", "cameras"),
    (r"drones?|UAVs?", "drones", "drones"),
    (r"sensors?", "iot-sensors", "sensors"),
    (r"servers?", "data-centre", "servers"),
    (
        r"(?:command|control|monitoring|operations)\s+(?:and\s+control\s+)?"
        r"(?:cent(?:re|er)s?|rooms?)",
        "command-centre",
        "centres",
    ),
    (r"base\s+stations?", "broadband-trunking", "base stations"),
    (
        r"(?:km|kilomet(?:re|er)s?)\s+of\s+(?:optical\s+)?(?:fib(?:re|er)|cables?)",
        "fibre-network",
        "km",
    ),
]  # fmt: skip
DEVICE_NOUN = "|".join(f"(?P<d{index}>{pattern})" for index, (pattern, *_r) in enumerate(DEVICES))
QUOTES = "\"“”‘’'"
DEVICE_PATTERN = re.compile(
    NUMBER
    + rf"[{QUOTES}]?\s+(?:[{QUOTES}]?\s*)"
    + r"(?P<modifiers>(?:(?!(?:and|or|of|in|the|to|for|with|from|by)\b)[A-Za-z][\w-]*\s+){0,4}?)"
    + rf"(?P<device>{DEVICE_NOUN})\b",
    re.IGNORECASE,
)
QUALIFIERS = [
    (re.compile(r"(?:more\s+than|over|above|in\s+excess\s+of)\s*$", re.I), "more_than"),
    (re.compile(r"at\s+least\s*$", re.I), "at_least"),
    (re.compile(r"(?:up\s+to|as\s+many\s+as)\s*$", re.I), "up_to"),
    (
        re.compile(
            r"(?:about|around|approximately|roughly|some|nearly|almost|an\s+estimated)\s*$", re.I
        ),
        "about",
    ),
]  # fmt: skip


def qualifier_before(text: str, number: str) -> str:
    for pattern, qualifier in QUALIFIERS:
        if pattern.search(text[-25:].rstrip(QUOTES + " ")):
            return qualifier
    if re.match(r"an?\s", number, re.I):
        return "about"
    return "exactly"


def device_counts(sentence: Sentence) -> list[Suggestion]:
    found = []
    for match in DEVICE_PATTERN.finditer(sentence.text):
        quantity = parse_number(match.group("number"))
        if quantity is None or quantity < 1 or quantity != quantity.to_integral_value():
            continue
        index = next(i for i in range(len(DEVICES)) if match.group(f"d{i}"))
        _pattern, technology, unit = DEVICES[index]
        modifiers = match.group("modifiers").lower()
        qualifier = qualifier_before(sentence.text[: match.start()], match.group("number"))
        count = int(quantity)
        found.append(
            Suggestion(
                kind=DEVICE,
                label=f"{count:,} {unit} ({technology})",
                value={
                    "canonical": f"{count} {technology}",
                    "quantity": count,
                    "unit": unit,
                    "technology": technology,
                    "qualifier": qualifier,
                    "facial_recognition": "facial" in modifiers or "face" in modifiers,
                },
                sentence=sentence.text,
                matched=match.group(0).strip(),
                page=sentence.page,
                offset=sentence.start + match.start(),
            )
        )
    return found


CURRENCY_CODES = [
    "EUR", "USD", "GBP", "CNY", "RMB", "RSD", "UGX", "MMK", "JPY", "CHF", "KES", "NGN", "ZAR",
    "INR", "BRL", "ARS", "MXN", "CLP", "COP", "PEN", "PKR", "BDT", "LKR", "IDR", "MYR", "PHP",
    "THB", "VND", "KRW", "TRY", "EGP", "MAD", "DZD", "TND", "XOF", "XAF", "GHS", "TZS", "RWF",
    "ZMW", "ETB", "AED", "SAR", "QAR", "KZT", "UZS", "AZN", "GEL", "AMD", "UAH", "RUB", "BYN",
    "PLN", "CZK", "HUF", "RON", "BGN", "HRK", "BAM", "MKD", "ALL",
]  # fmt: skip
CURRENCY_WORDS = {
    r"euros?": "EUR",
    r"(?:US\s+|American\s+)?dollars?": "USD",
    r"(?:British\s+)?pounds(?:\s+sterling)?": "GBP",
    r"(?:Chinese\s+)?yuan|renminbi": "CNY",
    r"(?:Serbian\s+)?dinars?": "RSD",
    r"(?:Ugandan\s+)?shillings?": "UGX",
    r"kyats?": "MMK",
    r"rupees?": "INR",
}
CURRENCY_SYMBOLS = {"€": "EUR", "US$": "USD", "$": "USD", "£": "GBP", "¥": "CNY", "Shs": "UGX"}
_CODE = "|".join(CURRENCY_CODES)
_WORDS = "|".join(f"(?:{word})" for word in CURRENCY_WORDS)
_SYMBOLS = "|".join(re.escape(symbol) for symbol in CURRENCY_SYMBOLS)
MONEY_BEFORE = re.compile(
    rf"(?P<currency>{_SYMBOLS}|\b(?:{_CODE})\b)\.?\s?(?P<number>{_DIGITS}{_SCALE}?)",
)
MONEY_AFTER = re.compile(
    NUMBER + rf"\s+(?:of\s+|de\s+|d['’])?(?P<currency>\b(?-i:{_CODE})\b|\b(?:{_WORDS})\b)",
    re.IGNORECASE,
)


def currency_code(text: str) -> str:
    text = " ".join(text.split())
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    if text.upper() in CURRENCY_CODES:
        return "CNY" if text.upper() == "RMB" else text.upper()
    for pattern, code in CURRENCY_WORDS.items():
        if re.fullmatch(pattern, text, re.IGNORECASE):
            return code
    return ""


def money(sentence: Sentence) -> list[Suggestion]:
    found: list[Suggestion] = []
    spans: list[tuple[int, int]] = []
    for pattern in (MONEY_BEFORE, MONEY_AFTER):
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue
            amount = parse_number(match.group("number"))
            currency = currency_code(match.group("currency"))
            if amount is None or not currency:
                continue
            spans.append((match.start(), match.end()))
            amount_text = integer_text(amount)
            found.append(
                Suggestion(
                    kind=MONEY,
                    label=f"{amount:,.0f} {currency}",
                    value={
                        "canonical": f"{amount_text} {currency}",
                        "amount": amount_text,
                        "currency": currency,
                    },
                    sentence=sentence.text,
                    matched=match.group(0).strip(),
                    page=sentence.page,
                    offset=sentence.start + match.start(),
                )
            )
    return found


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
DATE_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+|de\s+)?(?P<month>{_MONTH})\.?,?\s+(?:de\s+)?{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<month>{_MONTH})\.?,?\s+(?:of\s+|de\s+)?{_YEAR}\b", re.I),
    re.compile(r"(?<![\d/.,-])(?<!No\. )\b(?P<year>(?:19|20)\d{2})\b(?![/\d]|[.,]\d|-\d)"),
]


def dates(sentence: Sentence) -> list[Suggestion]:
    found: list[Suggestion] = []
    spans: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue
            groups = match.groupdict()
            year = int(groups["year"])
            month = groups.get("month")
            month_number = (
                int(month) if month and month.isdigit() else MONTHS.get((month or "").lower())
            )
            if month and not month_number:
                continue
            # "may 2019" is as likely the verb as the month.
            if month and month.lower() in ("may", "mar") and not month[0].isupper():
                continue
            day = int(groups["day"]) if groups.get("day") else None
            iso = f"{year:04d}"
            if month_number:
                iso += f"-{month_number:02d}"
                if day:
                    iso += f"-{day:02d}"
            try:
                PartialDate.parse(iso)
            except ValueError:
                continue
            spans.append((match.start(), match.end()))
            found.append(
                Suggestion(
                    kind=DATE,
                    label=iso,
                    value={"canonical": iso, "date": iso},
                    sentence=sentence.text,
                    matched=match.group(0).strip(),
                    page=sentence.page,
                    offset=sentence.start + match.start(),
                )
            )
    return found


# ---------------------------------------------------------------- names already known

WORD = re.compile(r"[^\W_]+")


@dataclass
class KnownName:
    words: tuple[str, ...]
    canonical: str
    label: str
    value: dict[str, Any]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in WORD.finditer(text):
        for word in fold_words(match.group()):
            spans.append((match.start(), match.end(), word))
    return spans


def find_names(
    sentence: Sentence, names: Iterable[KnownName], kind: str, taken: list[tuple[int, int]]
) -> list[Suggestion]:
    """Known names in the sentence, longest first, each span used once."""
    spans = word_spans(sentence.text)
    folded = [word for _s, _e, word in spans]
    found = []
    ordered = sorted(names, key=lambda name: -len(name.words))
    for name in ordered:
        size = len(name.words)
        for index in range(len(folded) - size + 1):
            if tuple(folded[index : index + size]) != name.words:
                continue
            start, end = spans[index][0], spans[index + size - 1][1]
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(
                Suggestion(
                    kind=kind,
                    label=name.label,
                    value=dict(name.value, canonical=name.canonical),
                    sentence=sentence.text,
                    matched=sentence.text[start:end],
                    page=sentence.page,
                    offset=sentence.start + start,
                )
            )
    return found


PARTY_KINDS = ("vendor", "authority", "integrator", "financier")


def known_organisations(user: Any = None) -> list[KnownName]:
    """The names (and other names) of the organisations ``user`` may see
    (``permissions.visible``; None: the public), to find in a text: an organisation named only
    by records the user may not see is never suggested, as if it did not exist."""
    names = []
    visible = permissions.visible(user, Organisation).filter(kind__in=PARTY_KINDS)
    for organisation in visible.order_by("pk"):
        for name in {organisation.name, *organisation.alias_list}:
            words = tuple(fold_words(name))
            if words:
                names.append(
                    KnownName(
                        words,
                        organisation.slug,
                        organisation.name,
                        {"organisation": organisation.pk, "organisation_kind": organisation.kind},
                    )
                )
    return names


# Capitalised words that are also names of places in the city list, but rarely mean them.
NOT_PLACES = {
    "march", "may", "police", "union", "mobile", "reading", "split", "orange", "independence",
    "liberty", "justice", "providence", "concord", "hope", "progress", "victory", "unity",
    "security", "central", "internet", "university", "national", "federal", "republic",
    "smart city", "safe city", "city", "capital", "metro", "industry", "commerce", "paradise",
    "eagle", "sun", "moon", "marina", "esperanza", "trinidad", "china", "mexico", "panama",
    "kuwait", "singapore", "luxembourg", "monaco", "djibouti", "guatemala", "brazil",
}  # fmt: skip
CONNECTORS = {"de", "del", "la", "las", "los", "el", "sur", "upon", "am", "an", "der", "di", "da"}
MIN_POPULATION_FOR_OTHER_NAMES = 100_000


def place_candidates(text: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised words (with connectors such as "de"), longest first."""
    tokens = list(re.finditer(r"[^\W\d_][\w’']*", text))
    candidates = []
    for first in range(len(tokens)):
        if not tokens[first].group()[0].isupper():
            continue
        last = first
        while last + 1 < len(tokens) and last - first < 3:
            gap = text[tokens[last].end() : tokens[last + 1].start()]
            word = tokens[last + 1].group()
            if gap not in (" ", "-"):
                break
            if not (word[0].isupper() or word.lower() in CONNECTORS):
                break
            last += 1
        for end in range(last, first - 1, -1):
            if not tokens[end].group()[0].isupper():
                continue
            start_at, end_at = tokens[first].start(), tokens[end].end()
            name = re.sub(r"[’']s$", "", text[start_at:end_at])
            candidates.append((start_at, start_at + len(name), name))
    return sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0]))


def known_localities(user: Any = None) -> dict[tuple[str, ...], Any]:
    """The localities ``user`` may see (``permissions.visible``; None: the public), by their
    folded name: a custom place only hidden records name is never suggested."""
    return {
        tuple(fold_words(locality.name)): locality
        for locality in permissions.visible(user, Locality).order_by("pk")
    }


def places(sentence: Sentence, localities: dict[tuple[str, ...], Any]) -> list[Suggestion]:
    found: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    for start, end, name in place_candidates(sentence.text):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        words = tuple(fold_words(name))
        if not words or " ".join(words) in NOT_PLACES:
            continue
        locality = localities.get(words)
        if locality is None and len(words) == 1 and len(words[0]) < 4:
            continue  # "To", "As", "Of": too short to tell from ordinary words
        if locality is not None:
            value = {
                "canonical": locality.name,
                "locality": locality.pk,
                "geonames_id": locality.geonames_id,
                "country": locality.country_id,
                "name": locality.name,
            }
        else:
            city = best_city(name, words, find_cities(name))
            if city is None:
                continue
            value = {
                "canonical": city.name,
                "geonames_id": city.geonames_id,
                "country": city.country_code,
                "name": city.name,
            }
        taken.append((start, end))
        found.append(
            Suggestion(
                kind=PLACE,
                label=f"{value['name']} ({value['country']})",
                value=value,
                sentence=sentence.text,
                matched=name,
                page=sentence.page,
                offset=sentence.start + start,
            )
        )
    return found


def best_city(name: str, words: tuple[str, ...], cities: list[Any]) -> Any:
    for city in cities:  # most populous first
        if tuple(fold_words(city.name)) == words:
            return city
    for city in cities:
        if len(name) >= 5 and city.population >= MIN_POPULATION_FOR_OTHER_NAMES:
            return city
    return None


# ---------------------------------------------------------------- all together


def suggest(
    text: str, organisations: list[KnownName] | None = None, user: Any = None
) -> list[Suggestion]:
    """Every candidate fact in the text, in reading order; organisations among those ``user``
    may see (``known_organisations``) unless ``organisations`` are given."""
    organisations = known_organisations(user) if organisations is None else organisations
    localities = known_localities(user)
    found: list[Suggestion] = []
    for sentence in sentences(text):
        found += device_counts(sentence)
        found += money(sentence)
        found += find_names(sentence, organisations, ORGANISATION, [])
        found += places(sentence, localities)
        found += dates(sentence)
    return sorted(found, key=lambda s: (s.offset, s.kind))
