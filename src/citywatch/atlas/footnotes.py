"""Numbered footnotes for a record page: every fact shows the sources that back it.

Numbers are given in the order facts are first shown, so the list at the foot of the page
reads top to bottom. One footnote stands for one passage: citations of the same source with
the same quote and locator (one sentence backing the count, the vendor and the year) share a
number, cited as often as the facts it backs. Citations that state their own value for a fact
are grouped by value, so conflicting figures stay side by side, each with its sources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from citywatch.evidence.models import Citation


@dataclass
class Footnote:
    """One numbered passage. ``citation`` is the first citation of it (source, quote, link);
    ``stated_values`` are the distinct values its citations state, in first-seen order."""

    number: int
    citation: Citation
    stated_values: list[str] = field(default_factory=list)


@dataclass
class StatedValue:
    value: str
    footnotes: list[Footnote] = field(default_factory=list)


FactKey = tuple[int, int, str]
PassageKey = tuple[int, str, str]


def passage_key(citation: Citation) -> PassageKey:
    """(source id, quote with whitespace collapsed, locator): what makes one footnote."""
    return (citation.source_id, " ".join(citation.quote.split()), citation.locator.strip())


class Footnotes:
    def __init__(self, citations: list[Citation]) -> None:
        self._by_fact: dict[FactKey, list[Citation]] = defaultdict(list)
        for citation in sorted(citations, key=lambda c: c.pk):
            key = (citation.content_type_id, citation.object_id, citation.field_name)
            self._by_fact[key].append(citation)
        self._numbers: dict[PassageKey, Footnote] = {}

    def _key(self, record: object, field_name: str) -> FactKey:
        content_type = ContentType.objects.get_for_model(record)
        return (content_type.pk, record.pk, field_name)

    def _footnote(self, citation: Citation) -> Footnote:
        key = passage_key(citation)
        if key not in self._numbers:
            self._numbers[key] = Footnote(len(self._numbers) + 1, citation)
        footnote = self._numbers[key]
        if citation.stated_value and citation.stated_value not in footnote.stated_values:
            footnote.stated_values.append(citation.stated_value)
        return footnote

    def refs(self, record: object, field_name: str = "") -> list[Footnote]:
        """Footnotes backing this fact (or the whole record when field_name is empty), each
        once, even when several citations of the fact quote the same passage."""
        notes = [self._footnote(c) for c in self._by_fact.get(self._key(record, field_name), [])]
        return list({note.number: note for note in notes}.values())

    def stated_values(self, record: object, field_name: str) -> list[StatedValue]:
        """The values sources give for this fact, when they state their own; in first-seen order."""
        grouped: dict[str, StatedValue] = {}
        for citation in self._by_fact.get(self._key(record, field_name), []):
            if citation.stated_value:
                entry = grouped.setdefault(
                    citation.stated_value, StatedValue(citation.stated_value)
                )
                footnote = self._footnote(citation)
                if footnote not in entry.footnotes:
                    entry.footnotes.append(footnote)
        return list(grouped.values())

    def all(self) -> list[Footnote]:
        return sorted(self._numbers.values(), key=lambda footnote: footnote.number)
