"""Finding quoted passages in a document's text, and showing the text with them marked.

A quote is found whatever the line breaks and spacing between its words (PDF text breaks
lines where the page did; a quote is stored on one line). The text page marks every cited
passage server-side with ``<mark id="quote-<anchor>">``, so a reader who follows a
footnote to ``/sources/<key>/text/#quote-<anchor>`` lands on the highlighted sentence (the
anchor is ``Citation.anchor``, an opaque id, never the citation's number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def quote_pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Start and end of the quote in the text, or None."""
    pattern = quote_pattern(quote)
    if pattern is None:
        return None
    match = pattern.search(text)
    return (match.start(), match.end()) if match else None


def normalise_quote(quote: str) -> str:
    return " ".join(quote.split())


def page_of(text: str, position: int) -> int:
    """The 1-based page (pages are separated by form feeds) a position falls on."""
    return text.count("\f", 0, position) + 1


@dataclass
class Mark:
    start: int
    end: int
    anchor: str
    title: str = ""


@dataclass
class Page:
    number: int
    html: SafeString


def marks_for(text: str, quotes: Iterable[tuple[str, str, str]]) -> list[Mark]:
    """Non-overlapping marks for (anchor, quote, title) triples found in the text."""
    marks: list[Mark] = []
    for anchor, quote, title in quotes:
        span = find_quote(text, quote)
        if span is None:
            continue
        if any(span[0] < mark.end and mark.start < span[1] for mark in marks):
            continue
        marks.append(Mark(span[0], span[1], anchor, title))
    return sorted(marks, key=lambda mark: mark.start)


def render_pages(text: str, marks: list[Mark]) -> list[Page]:
    """The text page by page as escaped HTML, the marked passages in <mark>.

    A passage that runs over a page break is marked on both pages; its anchor is on the first.
    """
    pages = []
    offset = 0
    for number, page_text in enumerate(text.split("\f"), start=1):
        page_start, page_end = offset, offset + len(page_text)
        pieces = []
        position = page_start
        for mark in marks:
            start, end = max(mark.start, page_start), min(mark.end, page_end)
            if start >= end:
                continue
            pieces.append(escape(text[position:start]))
            anchor = f' id="{escape(mark.anchor)}"' if start == mark.start else ""
            title = f' title="{escape(mark.title)}"' if mark.title else ""
            pieces.append(f"<mark{anchor}{title}>{escape(text[start:end])}</mark>")
            position = end
        pieces.append(escape(text[position:page_end]))
        pages.append(Page(number, mark_safe("".join(pieces))))  # noqa: S308 - escaped above
        offset = page_end + 1
    return pages
