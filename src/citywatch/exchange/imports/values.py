"""Values as people write them in spreadsheets: numbers with either decimal mark, quantities
and amounts with a qualifier ("about 2,500", "USD 126m", "€2 million"), labels in any case and
in the four interface languages, and Excel's date serial numbers.

Each parser returns the value or raises ``ValueProblem`` with a message that says what to
write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from citywatch.core.text import fold

# The interface languages: labels are accepted in each of them.
LANGUAGES = ("en", "es", "fr", "sr-latn")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


# Numbers ------------------------------------------------------------------------------------

SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f'’](?=\d{3}\b)")
NUMBER = re.compile(r"^[+-]?(\d[\d.,]*)$")


def parse_number(text: str) -> Decimal:
    """A number written with either decimal mark: "1,800", "1.800" and "1 800" are 1800;
    "2,5" and "2.5" are 2.5; "1.800,50" and "1,800.50" are 1800.50.

    A single mark followed by exactly three digits separates thousands (as in counts and
    amounts people type); any other single mark is the decimal mark.

    Raises:
        ValueProblem: the text is not a number.
    """
    cleaned = SPACES.sub("", text.strip())
    match = NUMBER.match(cleaned)
    if not match:
        raise ValueProblem(_("%(value)r is not a number") % {"value": text})
    digits = cleaned
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in digits or "." in digits:
        mark = "," if "," in digits else "."
        parts = digits.split(mark)
        if len(parts) > 2 or (len(parts[1]) == 3 and parts[0].lstrip("+-") != "0"):
            if not all(len(part) == 3 for part in parts[1:]):
                raise ValueProblem(_("%(value)r is not a number") % {"value": text})
            digits = digits.replace(mark, "")
        else:
            digits = digits.replace(mark, ".")
    try:
        return Decimal(digits)
    except InvalidOperation as error:
        raise ValueProblem(_("%(value)r is not a number") % {"value": text}) from error


# Qualifiers and scales ------------------------------------------------------------------------

# Words before a figure, folded, in en/es/fr/sr-Latn -> qualifier value (atlas.QuantityQualifier).
QUALIFIER_WORDS = {
    "exactly": "exactly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx": "about",
    "approx.": "about",
    "roughly": "about",
    "some": "about",
    "circa": "about",
    "ca.": "about",
    "c.": "about",
    "~": "about",
    "≈": "about",
    "aproximadamente": "about",
    "alrededor de": "about",
    "cerca de": "about",
    "unos": "about",
    "unas": "about",
    "environ": "about",
    "pres de": "about",
    "oko": "about",
    "priblizno": "about",
    "at least": "at_least",
    "no fewer than": "at_least",
    "al menos": "at_least",
    "como minimo": "at_least",
    "au moins": "at_least",
    "najmanje": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "above": "more_than",
    "upwards of": "more_than",
    ">": "more_than",
    "mas de": "more_than",
    "plus de": "more_than",
    "vise od": "more_than",
    "preko": "more_than",
    "up to": "up_to",
    "as many as": "up_to",
    "max": "up_to",
    "max.": "up_to",
    "<": "up_to",
    "hasta": "up_to",
    "jusqu'a": "up_to",
    "do": "up_to",
}
SCALES = {
    "k": 1000,
    "thousand": 1000,
    "mil": 1000,
    "mille": 1000,
    "hiljada": 1000,
    "hiljade": 1000,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "milion": 10**6,
    "miliona": 10**6,
    "milioni": 10**6,
    "bn": 10**9,
    "b": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "mil millones": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "milijarda": 10**9,
    "milijarde": 10**9,
    "milijardi": 10**9,
}
CURRENCY_SYMBOLS = {"€": "EUR", "us$": "USD", "$": "USD", "£": "GBP", "¥": "CNY", "rmb": "CNY"}
CURRENCY_WORDS = {
    "dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "pounds": "GBP",
    "dinars": "RSD",
    "dinara": "RSD",
}


@cache
def currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


SYMBOL_QUALIFIERS = {"~": "about", "≈": "about", ">": "more_than", "<": "up_to"}
NUMBER_AT_START = re.compile(
    r"^(?P<number>\d{1,3}(?:[\s\u00a0\u202f.,'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"\s*(?P<rest>.*)$"
)


def take_qualifier(text: str) -> tuple[str, str]:
    """Split a leading qualifier off: ("about", "2,500 cameras") for "about 2,500 cameras";
    ("exactly", text) when there is none."""
    text = text.strip()
    if text[:1] in SYMBOL_QUALIFIERS:
        return SYMBOL_QUALIFIERS[text[:1]], text[1:].strip()
    words = text.split()
    for count in (3, 2, 1):
        if len(words) > count:
            qualifier = QUALIFIER_WORDS.get(fold(" ".join(words[:count])))
            if qualifier:
                return qualifier, " ".join(words[count:])
    return "exactly", text


def take_scale(text: str) -> tuple[int, str]:
    """Split a leading scale word off: (1000000, "cameras") for "million cameras"."""
    words = text.split()
    for count in (2, 1):
        if len(words) >= count and fold(" ".join(words[:count])) in SCALES:
            return SCALES[fold(" ".join(words[:count]))], " ".join(words[count:])
    return 1, text


def split_number(text: str) -> tuple[Decimal, str] | None:
    """The number at the start of a text (with a scale word or letter: "126m", "2 million")
    and what follows it; None when the text does not start with a number."""
    found = split_scaled(text)
    return None if found is None else (found[0] * found[1], found[2])


def split_scaled(text: str) -> tuple[Decimal, int, str] | None:
    """(number, scale, rest): "126m cameras" -> (126, 1000000, "cameras")."""
    match = NUMBER_AT_START.match(text.strip())
    if not match:
        return None
    number = parse_number(match["number"])
    rest = match["rest"]
    letters = re.match(r"^(?:[kKmMbB]|bn|mn|mln)\b", rest)
    if letters:
        return number, SCALES[letters.group().casefold()], rest[letters.end() :].strip()
    scale, rest = take_scale(rest)
    return number, scale, rest


# Quantities ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    qualifier: str
    number: int
    unit: str
    planned: int | None = None


PLANNED_SUFFIX = re.compile(r"^(?P<rest>.*?)\s*\((?P<planned>[^()]+?)\s+planned\)$", re.I)
OF_PLANNED = re.compile(
    r"^(?P<installed>.+?)\s+(?:of|out of|de|sur|od)\s+(?:a\s+|las\s+|les\s+)?"
    r"(?:planned|previst[oa]s|prévu(?:e?s)?|planiranih)\s+(?P<planned>.+)$",
    re.I,
)


def count_of(number: Decimal, original: str) -> int:
    """A count from a parsed number (``original``: the text as written, for the message).

    Raises:
        ValueProblem: when the number is not a whole number of at least 1.
    """
    if number != number.to_integral() or number < 1:
        raise ValueProblem(
            _("%(value)r is not a whole number of at least 1: a count needs one, e.g. 1800")
            % {"value": original}
        )
    return int(number)


def parse_quantity(text: str) -> Quantity:
    """A count as people write it, with its qualifier and unit: "1,800", "about 2,500
    cameras", "more than 300 cameras", "1,000 cameras (1,500 planned)", "1,000 of a planned
    1,500 cameras".

    Raises:
        ValueProblem: no count can be read.
    """
    original = text.strip()
    text = original
    planned: int | None = None
    suffix = PLANNED_SUFFIX.match(text)
    of_planned = OF_PLANNED.match(text)
    if suffix:
        found = split_number(suffix["planned"])
        if found is None:
            raise ValueProblem(
                _("%(value)r: the planned figure is not a number") % {"value": original}
            )
        planned = count_of(found[0], original)
        text = suffix["rest"]
    elif of_planned:
        found = split_number(of_planned["planned"])
        if found is None:
            raise ValueProblem(
                _("%(value)r: the planned figure is not a number") % {"value": original}
            )
        planned = count_of(found[0], original)
        text = f"{of_planned['installed']} {found[1]}"
    qualifier, rest = take_qualifier(text)
    found = split_number(rest)
    if found is None:
        raise ValueProblem(
            _('%(value)r is not a count: write it as e.g. "1,800 cameras" or "about 2,500"')
            % {"value": original}
        )
    return Quantity(qualifier, count_of(found[0], original), found[1].strip(), planned)


# Amounts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    qualifier: str
    amount: Decimal
    amount_max: Decimal | None
    currency: str  # "" when the text names none


RANGE = re.compile(
    r"^(?:between\s+|entre\s+|od\s+)?(?P<low>.+?)\s*(?:-|–|—|\bto\b|\band\b|\by\b|\bet\b|\bà\b|\ba\b|\bdo\b|\bi\b)\s*(?P<high>\d.*)$",
    re.I,
)


def take_currency(text: str) -> tuple[str, str]:
    """Split a currency off either end: ("USD", "126m") for "USD 126m" or "126m USD"."""
    text = text.strip()
    lowered = text.casefold()
    for symbol, code in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if lowered.startswith(symbol):
            return code, text[len(symbol) :].strip()
        if not symbol.isalpha() and lowered.endswith(symbol):
            return code, text[: -len(symbol)].strip()
    words = text.split()
    for candidate, rest in ((words[:1], words[1:]), (words[-1:], words[:-1])):
        if not candidate:
            continue
        word = candidate[0]
        if word.isalpha() and word.upper() in currency_codes() and len(word) == 3:
            return word.upper(), " ".join(rest)
        if fold(word) in CURRENCY_WORDS:
            return CURRENCY_WORDS[fold(word)], " ".join(rest)
    return "", text


def parse_amount(text: str) -> Amount:
    """An amount of money as people write it: "USD 126m", "€2 million", "126 million", "about
    USD 2.5 million", "USD 2-3 million", "between 2 and 3 million euros", "2000000.00 EUR".
    A missing currency is "".

    Raises:
        ValueProblem: no amount can be read.
    """
    original = text.strip()
    problem = ValueProblem(
        _(
            '%(value)r is not an amount: write it as e.g. "USD 126 million", "€2,000,000" '
            'or "about 2.5 million EUR"'
        )
        % {"value": original}
    )
    qualifier, rest = take_qualifier(original)
    currency, rest = take_currency(rest)
    ranged = RANGE.match(rest)
    low_text, high_text = (ranged["low"], ranged["high"]) if ranged else (rest, "")
    low = split_scaled(low_text)
    if low is None:
        raise problem
    number, scale, tail = low
    upper: Decimal | None = None
    if high_text:
        if tail:
            raise problem
        high = split_scaled(high_text)
        if high is None:
            raise problem
        upper_number, upper_scale, tail = high
        if scale == 1:
            scale = upper_scale  # "USD 2-3 million": the scale written once serves both ends
        upper = upper_number * upper_scale
    tail = re.sub(r"^(?:de|of|d')(?:\s+|$)", "", tail, flags=re.IGNORECASE)
    if tail:
        found, tail = take_currency(tail)
        if tail or not found or (currency and found != currency):
            raise problem
        currency = found
    amount = number * scale
    if upper is not None and upper < amount:
        raise ValueProblem(
            _("%(value)r: the upper end of the range is below its lower end") % {"value": original}
        )
    return Amount(qualifier, amount.quantize(Decimal("0.01")), _quantize(upper), currency)


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


# Labels -----------------------------------------------------------------------------------------


# Words people write for a certainty besides the interface's own labels ("Según
# informaciones" is the Spanish label of "reported"; a spreadsheet says "reportado").
SYNONYMS = {
    "reportado": "reported",
    "reportada": "reported",
    "informado": "reported",
    "rapporte": "reported",
    "rapportee": "reported",
    "signale": "reported",
    "izvesteno": "reported",
    "documentado": "documented",
    "documentada": "documented",
    "documente": "documented",
    "documentee": "documented",
    "dokumentovano": "documented",
    "especulativo": "speculative",
    "speculatif": "speculative",
    "spekulativno": "speculative",
}


def label_lookup(choices: type) -> dict[str, str]:
    """Folded value or label (in every interface language) -> the choice's value."""
    found: dict[str, str] = {}
    for word, value in SYNONYMS.items():
        if value in choices.values:
            found[word] = value
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                found.setdefault(fold(str(label)), value)
    for value in choices.values:
        found[fold(value)] = value
        found[fold(value.replace("_", " "))] = value
    return found


def parse_label(text: str, choices: type, what: str) -> str:
    """A choice's value from its value or label in any case and interface language:
    "Operational", "operativo", "Opérationnel" and "operational" are all ``operational``.

    Raises:
        ValueProblem: no value or label matches; the message lists the values.
    """
    found = label_lookup(choices).get(fold(text))
    if found is None:
        raise ValueProblem(
            _("unknown %(what)s %(value)r: use one of %(allowed)s")
            % {"what": what, "value": text, "allowed": ", ".join(choices.values)}
        )
    return found


# Dates ----------------------------------------------------------------------------------------

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in, for dates after
# February 1900); serials from 20000 (1954) to 80000 (2119) are read as dates.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def excel_serial_date(text: str) -> str | None:
    """The ISO date of an Excel date serial ("44197" is 2021-01-01); None if it is not one."""
    match = EXCEL_SERIAL.match(text.strip())
    if not match or not 20000 <= int(match.group(1)) <= 80000:
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(match.group(1)))).isoformat()
